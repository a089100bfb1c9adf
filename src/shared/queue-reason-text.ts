// Why a department's queue waits, as a supervisor reads it (Análise da Operação → Fila): one
// sentence per reason in both languages, for the screen and for the Fila export alike.

export interface QueueReasonFigures {
  code: 'no_department' | 'department_inactive' | 'no_agents' | 'none_logged_in' | 'all_paused' | 'all_at_limit' | 'at_limit_or_paused' | 'free_slots';
  /** the department's maximum per agent; null when none applies */
  limit: number | null;
  loggedIn: number;
  paused: number;
  atLimit: number;
  free: number;
}

export function queueReasonText(r: QueueReasonFigures, lang: 'pt' | 'en'): string {
  const limit = r.limit ?? '—';
  const { paused, loggedIn, atLimit, free } = r;
  if (lang === 'en') {
    switch (r.code) {
      case 'no_department': return 'Service with no department: no agent can take it.';
      case 'department_inactive': return 'Inactive department: its agents receive no conversations.';
      case 'no_agents': return 'No agent linked to the department.';
      case 'none_logged_in': return 'No agent logged in.';
      case 'all_paused': return `Every logged-in agent is paused (${paused}/${loggedIn}).`;
      case 'all_at_limit': return `Every agent at the limit (${atLimit}/${loggedIn}), at most ${limit} per agent.`;
      case 'at_limit_or_paused': return `Every agent at the limit or paused: ${atLimit} at the limit of ${limit}, ${paused} paused, of ${loggedIn} logged in.`;
      case 'free_slots': return `${free} of ${loggedIn} agents have room: routing should assign it in a moment.`;
    }
  }
  switch (r.code) {
    case 'no_department': return 'Serviço sem departamento vinculado: nenhum agente pode atender.';
    case 'department_inactive': return 'Departamento inativo: seus agentes não recebem atendimentos.';
    case 'no_agents': return 'Nenhum agente vinculado ao departamento.';
    case 'none_logged_in': return 'Nenhum agente logado.';
    case 'all_paused': return `Todos os agentes logados estão em pausa (${paused}/${loggedIn}).`;
    case 'all_at_limit': return `Todos os agentes no limite (${atLimit}/${loggedIn}), máximo de ${limit} por agente.`;
    case 'at_limit_or_paused': return `Todos os agentes no limite ou em pausa: ${atLimit} no limite de ${limit}, ${paused} em pausa, de ${loggedIn} logados.`;
    case 'free_slots': return `${free} de ${loggedIn} agentes com vaga: a distribuição deve atender em instantes.`;
  }
}
