// Alert rules of the monitor (issue 5): each rule looks at the live picture and names the subjects
// in breach now. Pure: "now" and every threshold come in; the engine records and resolves them.

export const ALERT_RULES = [
  'agent_paused_too_long',
  'queue_wait_over_target',
  'no_interaction',
  'long_service',
  'queue_too_long',
  'service_level_below_target',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface AlertThresholds {
  pauseMinutes: number;
  queueWaitOverTarget: boolean;
  noInteractionMinutes: number;
  longServiceMinutes: number;
  queueLength: number;
  serviceLevelPercent: number;
}

export interface AlertInput {
  now: number;
  thresholds: AlertThresholds;
  agents: Iterable<{ id: string; name: string; teamIds: readonly string[]; presence: string; pauseReasonId: string | null; stateSince: number }>;
  pauseReasons: ReadonlyMap<string, { name: string; maxMinutes: number | null }>;
  conversations: Iterable<{
    id: string; protocol: string; serviceId: string; state: string; agentId: string | null; contactName: string | null;
    queuedAt: number | null; assignedAt: number | null; lastMessageAt: number | null;
  }>;
  services: ReadonlyMap<string, { name: string; teamIds: readonly string[]; serviceLevelSeconds: number; serviceLevel: number | null }>;
}

export interface AlertFinding {
  rule: AlertRule;
  severity: 'info' | 'warning' | 'critical';
  subjectType: 'agent' | 'conversation' | 'service';
  subjectId: string;
  serviceId: string | null;
  teamIds: string[];
  /** pt-BR text for the inbox; payload carries the figures for other languages */
  message: string;
  payload: Record<string, unknown>;
}

const minutes = (ms: number) => Math.floor(ms / 60_000);

export function evaluateAlerts(input: AlertInput): AlertFinding[] {
  const { now, thresholds: th } = input;
  const out: AlertFinding[] = [];
  const agentNames = new Map<string, string>();

  for (const a of input.agents) {
    agentNames.set(a.id, a.name);
    if (a.presence !== 'paused' || !a.pauseReasonId) continue;
    const reason = input.pauseReasons.get(a.pauseReasonId);
    const limit = reason?.maxMinutes ?? th.pauseMinutes;
    const paused = minutes(now - a.stateSince);
    if (paused > limit) {
      out.push({
        rule: 'agent_paused_too_long', severity: 'warning', subjectType: 'agent', subjectId: a.id, serviceId: null, teamIds: [...a.teamIds],
        message: `${a.name} está em pausa (${reason?.name ?? 'pausa'}) há ${paused} min; o limite é ${limit} min`,
        payload: { agentName: a.name, reason: reason?.name ?? null, minutes: paused, limit },
      });
    }
  }

  const queueLength = new Map<string, number>();
  for (const c of input.conversations) {
    const s = input.services.get(c.serviceId);
    if (!s) continue;
    const who = c.contactName ?? c.protocol;
    if (c.state === 'queued' && c.queuedAt !== null) {
      queueLength.set(c.serviceId, (queueLength.get(c.serviceId) ?? 0) + 1);
      const waited = Math.floor((now - c.queuedAt) / 1000);
      if (th.queueWaitOverTarget && waited > s.serviceLevelSeconds) {
        out.push({
          rule: 'queue_wait_over_target', severity: 'warning', subjectType: 'conversation', subjectId: c.id, serviceId: c.serviceId, teamIds: [...s.teamIds],
          message: `${who} (protocolo ${c.protocol}) aguarda na fila de ${s.name} há ${waited} s; a meta é ${s.serviceLevelSeconds} s`,
          payload: { protocol: c.protocol, customer: who, service: s.name, seconds: waited, target: s.serviceLevelSeconds },
        });
      }
    }
    if (c.state === 'in_service' && c.lastMessageAt !== null && minutes(now - c.lastMessageAt) > th.noInteractionMinutes) {
      out.push({
        rule: 'no_interaction', severity: 'info', subjectType: 'conversation', subjectId: c.id, serviceId: c.serviceId, teamIds: [...s.teamIds],
        message: `Atendimento ${c.protocol} (${who}) sem interação há ${minutes(now - c.lastMessageAt)} min`,
        payload: { protocol: c.protocol, customer: who, minutes: minutes(now - c.lastMessageAt), agentId: c.agentId },
      });
    }
    if (c.state === 'in_service' && c.assignedAt !== null && minutes(now - c.assignedAt) > th.longServiceMinutes) {
      out.push({
        rule: 'long_service', severity: 'warning', subjectType: 'conversation', subjectId: c.id, serviceId: c.serviceId, teamIds: [...s.teamIds],
        message: `${agentNames.get(c.agentId ?? '') ?? 'Agente'} está com o atendimento ${c.protocol} aberto há ${minutes(now - c.assignedAt)} min`,
        payload: { protocol: c.protocol, agentName: agentNames.get(c.agentId ?? '') ?? null, minutes: minutes(now - c.assignedAt), agentId: c.agentId },
      });
    }
  }

  for (const [id, s] of input.services) {
    const n = queueLength.get(id) ?? 0;
    if (n > th.queueLength) {
      out.push({
        rule: 'queue_too_long', severity: 'critical', subjectType: 'service', subjectId: id, serviceId: id, teamIds: [...s.teamIds],
        message: `Fila de ${s.name} com ${n} atendimentos aguardando (limite ${th.queueLength})`,
        payload: { service: s.name, queued: n, limit: th.queueLength },
      });
    }
    if (s.serviceLevel !== null && s.serviceLevel < th.serviceLevelPercent) {
      out.push({
        rule: 'service_level_below_target', severity: 'critical', subjectType: 'service', subjectId: id, serviceId: id, teamIds: [...s.teamIds],
        message: `Nível de serviço de ${s.name} em ${s.serviceLevel}% (meta ${th.serviceLevelPercent}%)`,
        payload: { service: s.name, serviceLevel: s.serviceLevel, target: th.serviceLevelPercent },
      });
    }
  }
  return out;
}
