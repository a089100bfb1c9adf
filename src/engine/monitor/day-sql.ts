import type { Queryable } from '../../db/database.js';
import { emptyServiceDay, type DayAggregates } from '../../core/monitor-figures.js';
import { emptyDay } from '../../core/monitor-day.js';

/** An instant range [start, end). */
export interface Range {
  start: Date;
  end: Date;
}

/**
 * [firstDay 00:00, the day after lastDay 00:00) in a time zone, as instants: whole calendar days,
 * lastDay included (the day a DST change shortens or lengthens counts as it was lived).
 */
export async function rangeBounds(db: Queryable, firstDay: string, lastDay: string, timeZone: string): Promise<Range> {
  const { rows } = await db.query<{ s: Date; e: Date }>(
    `SELECT ($1::date)::timestamp AT TIME ZONE $3 AS s, ($2::date + 1)::timestamp AT TIME ZONE $3 AS e`,
    [firstDay, lastDay, timeZone],
  );
  return { start: rows[0].s, end: rows[0].e };
}

/** [start, end) of a calendar day in a time zone, as instants. */
export const dayBounds = (db: Queryable, day: string, timeZone: string): Promise<Range> => rangeBounds(db, day, day, timeZone);

/**
 * One day's aggregates from the database, with the definitions of core/monitor-day.ts: used when a
 * node starts (then events keep them current) and for a past Período.
 */
export async function loadDayAggregates(db: Queryable, day: string, timeZone: string, shortAbandonSeconds: number): Promise<DayAggregates> {
  return loadRangeAggregates(db, await dayBounds(db, day, timeZone), timeZone, shortAbandonSeconds, day);
}

/**
 * The same aggregates over any range [start, end) (a week, a month, a report's period): each
 * milestone counted once, in the range it happened in, so a range's counts and sums are the sums of
 * its days' and its averages are taken from those sums. `hourly` adds up the hours of the day across
 * the range; `day` is the label given (the first day, or '').
 */
export async function loadRangeAggregates(db: Queryable, range: Range, timeZone: string, shortAbandonSeconds: number, label = ''): Promise<DayAggregates> {
  const { start, end } = range;
  const out = emptyDay(label);
  const svc = (id: string) => (out.services[id] ??= emptyServiceDay());
  // one after the other: inside a transaction they share one connection
  const [queue, finished, created] = [
    await db.query<{ service_id: string; offered: number; answered: number; in_target: number; wait_ms: number | null }>(
      `SELECT c.service_id,
          count(*) FILTER (WHERE c.first_queued_at >= $1 AND c.first_queued_at < $2)::int AS offered,
          count(*) FILTER (WHERE c.first_assigned_at >= $1 AND c.first_assigned_at < $2)::int AS answered,
          count(*) FILTER (WHERE c.first_assigned_at >= $1 AND c.first_assigned_at < $2
            AND c.first_assigned_at - coalesce(c.first_queued_at, c.first_assigned_at) <= make_interval(secs => s.service_level_seconds))::int AS in_target,
          sum(extract(epoch FROM c.first_assigned_at - coalesce(c.first_queued_at, c.first_assigned_at)) * 1000)
            FILTER (WHERE c.first_assigned_at >= $1 AND c.first_assigned_at < $2)::float8 AS wait_ms
         FROM conversations c JOIN services s ON s.id = c.service_id
        WHERE (c.first_queued_at >= $1 AND c.first_queued_at < $2) OR (c.first_assigned_at >= $1 AND c.first_assigned_at < $2)
        GROUP BY c.service_id`,
      [start, end],
    ),
    await db.query<{ service_id: string; channel: string; hour: number; finished: number; completed: number; abandoned: number; short: number; handled: number; handle_ms: number | null }>(
      `SELECT service_id, channel, extract(hour FROM finished_at AT TIME ZONE $3)::int AS hour,
          count(*)::int AS finished,
          count(*) FILTER (WHERE state = 'completed')::int AS completed,
          count(*) FILTER (WHERE state IN ('abandoned', 'customer_gave_up') AND first_queued_at IS NOT NULL AND first_assigned_at IS NULL)::int AS abandoned,
          count(*) FILTER (WHERE state IN ('abandoned', 'customer_gave_up') AND first_queued_at IS NOT NULL AND first_assigned_at IS NULL
            AND finished_at - coalesce(queued_at, first_queued_at) <= make_interval(secs => $4))::int AS short,
          count(*) FILTER (WHERE first_assigned_at IS NOT NULL)::int AS handled,
          sum(extract(epoch FROM finished_at - first_assigned_at) * 1000) FILTER (WHERE first_assigned_at IS NOT NULL)::float8 AS handle_ms
         FROM conversations WHERE finished_at >= $1 AND finished_at < $2
        GROUP BY 1, 2, 3`,
      [start, end, timeZone, shortAbandonSeconds],
    ),
    await db.query<{ service_id: string; channel: string; n: number }>(
      `SELECT service_id, channel, count(*)::int AS n FROM conversations WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2`,
      [start, end],
    ),
  ];
  for (const r of queue.rows) {
    const s = svc(r.service_id);
    s.offered += r.offered;
    s.answered += r.answered;
    s.answeredInTarget += r.in_target;
    s.waitSumMs += r.wait_ms ?? 0;
  }
  for (const r of finished.rows) {
    const s = svc(r.service_id);
    s.finished += r.finished;
    s.completed += r.completed;
    s.abandoned += r.abandoned;
    s.shortAbandoned += r.short;
    s.handled += r.handled;
    s.handleSumMs += r.handle_ms ?? 0;
    const key = `${r.hour}|${r.channel}|${r.service_id}`;
    out.hourly[key] = (out.hourly[key] ?? 0) + r.finished;
  }
  for (const r of created.rows) out.created[`${r.channel}|${r.service_id}`] = r.n;
  return out;
}
