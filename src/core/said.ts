/**
 * A message in the two languages of Mirante's screens. The server answers in the one the request
 * asks for (Accept-Language: pt… gets `pt`, anything else `en`); logs and tests read `en`.
 */
export interface Said {
  en: string;
  pt: string;
}

/** A thing's name in both languages; `fem` when the Portuguese noun is feminine ("não encontrada"). */
export interface Noun extends Said {
  fem?: boolean;
}

/** "path: message" in both languages. */
export const at = (path: string, message: Said): Said => ({ en: `${path}: ${message.en}`, pt: `${path}: ${message.pt}` });

/** A conversation's state as the screens name it (the monitor's words). */
export const STATE_PT: Record<string, string> = {
  triage: 'no filtro inicial', bot: 'em pré-atendimento', queued: 'aguardando em fila', in_service: 'em andamento',
  completed: 'concluído', cancelled: 'cancelado', abandoned: 'abandonado', customer_gave_up: 'encerrado por desistência',
  connection_lost: 'encerrado por perda de conexão', inactive_in_service: 'encerrado por inatividade (Inativa PA)', discarded: 'descartado',
};

/** Who moves a conversation, in Portuguese. */
export const ACTOR_PT: Record<string, string> = {
  customer: 'o cliente', agent: 'o agente', supervisor: 'o supervisor', admin: 'o administrador', bot: 'o bot', system: 'o sistema',
};

/** A user's role in Portuguese. */
export const ROLE_PT: Record<string, string> = { admin: 'administrador', supervisor: 'supervisor', agent: 'agente' };
