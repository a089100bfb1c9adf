// Gráficos computed the plain way, for the tests: loops over raw conversation rows, each milestone
// counted in the São Paulo day it happened in (UTC−3 all year since 2019), with the definitions of
// reference/metrics.md written out here, not taken from the route's SQL.

export interface ChartRaw {
  serviceId: string;
  channel: string;
  state: string;
  agentId: string | null;
  createdAt: Date;
  firstQueuedAt: Date | null;
  queuedAt: Date | null;
  firstAssignedAt: Date | null;
  firstAgentMessageAt: Date | null;
  finishedAt: Date | null;
  /** the service's NS target */
  targetSeconds: number;
}

const OPEN = new Set(['triage', 'bot', 'queued', 'in_service']);
const OUTCOMES = ['completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'];
const spDay = (d: Date) => new Date(d.getTime() - 3 * 3600_000).toISOString().slice(0, 10);
const bucketOf = (d: Date) => `${spDay(d)} 00:00:00`;
const inPeriod = (d: Date | null, from: string, to: string): d is Date => d !== null && spDay(d) >= from && spDay(d) <= to;
const ms = (a: Date, b: Date) => b.getTime() - a.getTime();

/** The channels chart by day over [from, to]. */
export function foldChannels(rows: ChartRaw[], from: string, to: string) {
  const out = new Map<string, { bucket: string; channel: string; received: number; handled: number; finished: Record<string, number> }>();
  const at = (d: Date, channel: string) => {
    const key = `${bucketOf(d)}|${channel}`;
    let r = out.get(key);
    if (!r) out.set(key, (r = { bucket: bucketOf(d), channel, received: 0, handled: 0, finished: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) }));
    return r;
  };
  for (const c of rows) {
    if (inPeriod(c.createdAt, from, to)) at(c.createdAt, c.channel).received++;
    if (inPeriod(c.firstAssignedAt, from, to)) at(c.firstAssignedAt, c.channel).handled++;
    if (!OPEN.has(c.state) && inPeriod(c.finishedAt, from, to)) at(c.finishedAt, c.channel).finished[c.state]++;
  }
  return [...out.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.channel.localeCompare(b.channel)));
}

/** Métricas do Atendimento over [from, to] for the rows given (already filtered to the whole or to one agent). */
export function foldMetrics(rows: ChartRaw[], from: string, to: string, forAgent: boolean, shortAbandonSeconds = 10) {
  let offered = 0, answered = 0, inTarget = 0, wait = 0, abandoned = 0, short = 0, handled = 0, handle = 0, responded = 0, response = 0;
  for (const c of rows) {
    if (inPeriod(c.firstQueuedAt, from, to)) offered++;
    if (inPeriod(c.firstAssignedAt, from, to)) {
      const w = ms(c.firstQueuedAt ?? c.firstAssignedAt, c.firstAssignedAt);
      answered++;
      wait += w;
      if (w <= c.targetSeconds * 1000) inTarget++;
    }
    if (c.firstQueuedAt && inPeriod(c.firstAgentMessageAt, from, to)) {
      responded++;
      response += ms(c.firstQueuedAt, c.firstAgentMessageAt);
    }
    if (!OPEN.has(c.state) && inPeriod(c.finishedAt, from, to)) {
      if ((c.state === 'abandoned' || c.state === 'customer_gave_up') && c.firstQueuedAt && !c.firstAssignedAt) {
        abandoned++;
        if (ms(c.queuedAt ?? c.firstQueuedAt, c.finishedAt) <= shortAbandonSeconds * 1000) short++;
      }
      if (c.firstAssignedAt) {
        handled++;
        handle += ms(c.firstAssignedAt, c.finishedAt);
      }
    }
  }
  const mean = (sum: number, n: number) => (n ? Math.round(sum / n / 1000) : null);
  const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100 * 10) / 10 : null);
  return {
    offered, answered, answeredInTarget: inTarget, abandoned, shortAbandoned: short, handled, responded,
    serviceLevel: rate(inTarget, answered + abandoned - short),
    tmeSeconds: mean(wait, answered),
    tmaSeconds: mean(handle, handled),
    tprSeconds: mean(response, responded),
    abandonmentRate: forAgent ? null : rate(abandoned, offered),
  };
}
