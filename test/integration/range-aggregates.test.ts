import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { emptyServiceDay, type DayAggregates, type ServiceDay } from '../../src/core/monitor-figures.js';
import { loadDayAggregates, loadRangeAggregates, rangeBounds } from '../../src/engine/monitor/day-sql.js';
import { freshDatabase, unique } from '../support/test-app.js';

// A range's aggregates are the sums of its days', and what a plain fold over the seeded rows says;
// the days are São Paulo's (UTC−3), whose midnights are at 03:00 UTC.

const TZ = 'America/Sao_Paulo';
const SHORT = 10;
let db: Database;

interface Conv {
  serviceId: string;
  channel: string;
  sl: number;
  state: string;
  createdAt: number;
  queuedAt: number | null;
  assignedAt: number | null;
  finishedAt: number | null;
}
const convs: Conv[] = [];

const spHour = (t: number) => new Date(t - 3 * 3600_000).getUTCHours();

/** metrics.md's definitions, written plainly over the rows. */
function fold(start: number, end: number): DayAggregates {
  const out: DayAggregates = { day: '', services: {}, hourly: {}, created: {} };
  const inR = (t: number | null): t is number => t !== null && t >= start && t < end;
  const svc = (id: string): ServiceDay => (out.services[id] ??= emptyServiceDay());
  for (const c of convs) {
    if (inR(c.createdAt)) out.created[`${c.channel}|${c.serviceId}`] = (out.created[`${c.channel}|${c.serviceId}`] ?? 0) + 1;
    if (inR(c.queuedAt)) svc(c.serviceId).offered++;
    if (inR(c.assignedAt)) {
      const s = svc(c.serviceId);
      const wait = c.assignedAt - (c.queuedAt ?? c.assignedAt);
      s.answered++;
      s.waitSumMs += wait;
      if (wait <= c.sl * 1000) s.answeredInTarget++;
    }
    if (inR(c.finishedAt)) {
      const s = svc(c.serviceId);
      s.finished++;
      if (c.state === 'completed') s.completed++;
      const key = `${spHour(c.finishedAt)}|${c.channel}|${c.serviceId}`;
      out.hourly[key] = (out.hourly[key] ?? 0) + 1;
      if (c.state === 'abandoned' && c.queuedAt !== null && c.assignedAt === null) {
        s.abandoned++;
        if (c.finishedAt - c.queuedAt <= SHORT * 1000) s.shortAbandoned++;
      }
      if (c.assignedAt !== null) {
        s.handled++;
        s.handleSumMs += c.finishedAt - c.assignedAt;
      }
    }
  }
  return out;
}

/** Adds days up, field by field. */
function sum(days: DayAggregates[]): Omit<DayAggregates, 'day'> {
  const out: Omit<DayAggregates, 'day'> = { services: {}, hourly: {}, created: {} };
  for (const d of days) {
    for (const [id, s] of Object.entries(d.services)) {
      const t = (out.services[id] ??= emptyServiceDay());
      for (const k of Object.keys(s) as (keyof ServiceDay)[]) t[k] += s[k];
    }
    for (const [k, n] of Object.entries(d.hourly)) out.hourly[k] = (out.hourly[k] ?? 0) + n;
    for (const [k, n] of Object.entries(d.created)) out.created[k] = (out.created[k] ?? 0) + n;
  }
  return out;
}

const shape = (d: DayAggregates) => ({ services: d.services, hourly: d.hourly, created: d.created });

beforeAll(async () => {
  let drop: () => Promise<void>;
  ({ db, drop } = await freshDatabase());
  const services: { id: string; channel: string; sl: number }[] = [];
  for (const [channel, sl] of [['webchat', 60], ['whatsapp', 30]] as const) {
    const r = await db.query<{ id: string }>(`INSERT INTO services (name, key, channel, service_level_seconds) VALUES ($1, $2, $3, $4) RETURNING id`, [
      unique('Serviço'), randomUUID(), channel, sl,
    ]);
    services.push({ id: r.rows[0].id, channel, sl });
  }
  const contact = (await db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  // 70 conversations every 73 minutes from 2024-06-09 20:00 UTC (17:00 in São Paulo) to the 13th
  const t0 = Date.UTC(2024, 5, 9, 20);
  for (let k = 0; k < 70; k++) {
    const s = services[k % 2];
    const created = t0 + k * 73 * 60_000;
    const queued = k % 5 === 3 ? null : created + 10_000;
    let assigned: number | null = null;
    let finished: number | null = null;
    let state = 'queued';
    // waits of seconds, some long (hours: answered on another day than offered), handle times of minutes
    const wait = (k % 7 === 0 ? 3 * 3600 : (k * 37) % 120) * 1000;
    const handle = (((k * 53) % 1800) + 60) * 1000;
    switch (k % 5) {
      case 0:
        assigned = created + 10_000 + wait;
        finished = assigned + handle;
        state = 'completed';
        break;
      case 1:
        finished = created + 10_000 + ((k * 7) % 25) * 1000;
        state = 'abandoned';
        break;
      case 2:
        assigned = created + 10_000 + wait;
        finished = assigned + handle;
        state = 'cancelled';
        break;
      case 3: // the bot finished it: never queued
        finished = created + 120_000;
        state = 'completed';
        break;
      default:
        if (k % 2) {
          assigned = created + 10_000 + wait;
          state = 'in_service';
        }
    }
    convs.push({ serviceId: s.id, channel: s.channel, sl: s.sl, state, createdAt: created, queuedAt: queued, assignedAt: assigned, finishedAt: finished });
    const at = (t: number | null) => (t === null ? null : new Date(t));
    await db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, created_at, queued_at, first_queued_at, assigned_at, first_assigned_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7, $8, $8, $9)`,
      [`R${k}`, s.id, s.channel, contact, state, at(created), at(queued), at(assigned), at(finished)],
    );
  }
  return () => drop();
});

describe('loadRangeAggregates', () => {
  it('bounds whole days of São Paulo: midnight there is 03:00 UTC', async () => {
    const b = await rangeBounds(db, '2024-06-10', '2024-06-12', TZ);
    expect(b).toEqual({ start: new Date('2024-06-10T03:00:00Z'), end: new Date('2024-06-13T03:00:00Z') });
  });

  it('a three-day range is the sum of its three days, and what the fold over the rows says', async () => {
    const b = await rangeBounds(db, '2024-06-10', '2024-06-12', TZ);
    const range = await loadRangeAggregates(db, b, TZ, SHORT, '2024-06-10');
    const days = await Promise.all(['2024-06-10', '2024-06-11', '2024-06-12'].map((d) => loadDayAggregates(db, d, TZ, SHORT)));
    expect(shape(range)).toEqual(sum(days));
    expect(shape(range)).toEqual(shape(fold(b.start.getTime(), b.end.getTime())));
    // the seeded rows do exercise what is summed, and leave some outside the range
    const total = Object.values(range.services).reduce((t, s) => ({ offered: t.offered + s.offered, answered: t.answered + s.answered, abandoned: t.abandoned + s.abandoned, short: t.short + s.shortAbandoned }), { offered: 0, answered: 0, abandoned: 0, short: 0 });
    expect(total.offered).toBeGreaterThan(20);
    expect(total.answered).toBeGreaterThan(10);
    expect(total.short).toBeGreaterThan(0);
    expect(total.short).toBeLessThan(total.abandoned);
    expect(convs.filter((c) => c.createdAt < b.start.getTime() || c.createdAt >= b.end.getTime()).length).toBeGreaterThan(0);
  });

  it('a range’s TME and TMA come from its sums (weighted by conversation), not from the days’ averages', async () => {
    const b = await rangeBounds(db, '2024-06-10', '2024-06-12', TZ);
    const range = await loadRangeAggregates(db, b, TZ, SHORT);
    const days = await Promise.all(['2024-06-10', '2024-06-11', '2024-06-12'].map((d) => loadDayAggregates(db, d, TZ, SHORT)));
    let discriminates = 0;
    for (const id of Object.keys(range.services)) {
      const r = range.services[id];
      const inRange = convs.filter((c) => c.serviceId === id && c.assignedAt !== null && c.assignedAt >= b.start.getTime() && c.assignedAt < b.end.getTime());
      const tme = inRange.reduce((t, c) => t + ((c.assignedAt as number) - (c.queuedAt as number)), 0) / inRange.length;
      expect(r.waitSumMs / r.answered).toBeCloseTo(tme, 6);
      // averaging the days' TMEs would weigh a quiet day as much as a busy one: the data tells them apart
      const daily = days.map((d) => d.services[id]).filter((s) => s && s.answered > 0);
      const meanOfMeans = daily.reduce((t, s) => t + s.waitSumMs / s.answered, 0) / daily.length;
      if (Math.abs(meanOfMeans - tme) > 1) discriminates++;
      const handled = convs.filter((c) => c.serviceId === id && c.assignedAt !== null && c.finishedAt !== null && c.finishedAt >= b.start.getTime() && c.finishedAt < b.end.getTime());
      expect(r.handleSumMs / r.handled).toBeCloseTo(handled.reduce((t, c) => t + ((c.finishedAt as number) - (c.assignedAt as number)), 0) / handled.length, 6);
    }
    expect(discriminates).toBeGreaterThan(0);
  });

  it('a range that starts and ends at São Paulo’s midnight, not UTC’s, puts 22:00–23:59 there in the day before', async () => {
    // one day: 2024-06-11 in São Paulo is [06-11 03:00Z, 06-12 03:00Z)
    const b = await rangeBounds(db, '2024-06-11', '2024-06-11', TZ);
    const range = await loadRangeAggregates(db, b, TZ, SHORT);
    expect(shape(range)).toEqual(shape(fold(b.start.getTime(), b.end.getTime())));
    // and not the UTC day's
    const utc = fold(Date.UTC(2024, 5, 11), Date.UTC(2024, 5, 12));
    expect(shape(range)).not.toEqual(shape(utc));
  });
});
