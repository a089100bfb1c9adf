import { FINISHED_STATES } from '../shared/states.js';
import { emptyServiceDay, type DayAggregates, type ServiceDay } from './monitor-figures.js';

// Keeps one day's aggregates current from conversation changes, so the monitor never queries the
// database on a timer. The same definitions as the SQL that rebuilds them (engine/monitor/day-sql.ts).

export interface ConversationTimes {
  serviceId: string;
  channel: string;
  state: string;
  createdAt: number;
  firstQueuedAt: number | null;
  queuedAt: number | null;
  firstAssignedAt: number | null;
  finishedAt: number | null;
}

export interface DayContext {
  dayStart: number;
  dayEnd: number;
  /** hour of the day (0–23) of an instant, in the contact center's time zone */
  hourOf(at: number): number;
  serviceLevelSeconds(serviceId: string): number;
  shortAbandonSeconds: number;
}

const ABANDONED = new Set(['abandoned', 'customer_gave_up']);
const FINISHED: ReadonlySet<string> = new Set(FINISHED_STATES);

export const emptyDay = (day: string): DayAggregates => ({ day, services: {}, hourly: {}, created: {} });

function service(day: DayAggregates, id: string): ServiceDay {
  return (day.services[id] ??= emptyServiceDay());
}

/**
 * Applies one conversation change (prev: what was known before, undefined for a new or unknown one).
 * Each milestone is counted once, on the day it happened: created, first queued (offered), first
 * assigned (answered, TME), finished (hourly chart, abandonment, TMA).
 */
export function applyToDay(day: DayAggregates, prev: ConversationTimes | undefined, next: ConversationTimes, ctx: DayContext): void {
  const inDay = (t: number | null) => t !== null && t >= ctx.dayStart && t < ctx.dayEnd;
  // a conversation unknown so far and open is a new one (finished ones receive no more changes)
  if (!prev && !FINISHED.has(next.state) && inDay(next.createdAt)) {
    const key = `${next.channel}|${next.serviceId}`;
    day.created[key] = (day.created[key] ?? 0) + 1;
  }
  if (next.firstQueuedAt !== null && prev?.firstQueuedAt == null && inDay(next.firstQueuedAt)) service(day, next.serviceId).offered++;
  if (next.firstAssignedAt !== null && prev?.firstAssignedAt == null && inDay(next.firstAssignedAt)) {
    const s = service(day, next.serviceId);
    const wait = next.firstAssignedAt - (next.firstQueuedAt ?? next.firstAssignedAt);
    s.answered++;
    s.waitSumMs += wait;
    if (wait <= ctx.serviceLevelSeconds(next.serviceId) * 1000) s.answeredInTarget++;
  }
  if (FINISHED.has(next.state) && next.finishedAt !== null && !(prev && FINISHED.has(prev.state)) && inDay(next.finishedAt)) {
    const s = service(day, next.serviceId);
    s.finished++;
    if (next.state === 'completed') s.completed++;
    const key = `${ctx.hourOf(next.finishedAt)}|${next.channel}|${next.serviceId}`;
    day.hourly[key] = (day.hourly[key] ?? 0) + 1;
    if (ABANDONED.has(next.state) && next.firstQueuedAt !== null && next.firstAssignedAt === null) {
      s.abandoned++;
      if (next.finishedAt - (next.queuedAt ?? next.firstQueuedAt) <= ctx.shortAbandonSeconds * 1000) s.shortAbandoned++;
    }
    if (next.firstAssignedAt !== null) {
      s.handled++;
      s.handleSumMs += next.finishedAt - next.firstAssignedAt;
    }
  }
}
