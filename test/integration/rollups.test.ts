import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/contracts/settings.js';
import type { Actor } from '../../src/engine/actor.js';
import { channelsChart, metricsChart } from '../../src/engine/charts/charts.js';
import { indicatorsReport } from '../../src/engine/queries/indicators.js';
import { WAIT_BUCKETS } from '../../src/engine/reports/abandonment.js';
import { runReport } from '../../src/engine/reports/run.js';
import { foldRollups } from '../../src/engine/rollups/fold.js';
import { rebuildRollups } from '../../src/engine/rollups/rebuild.js';
import { foldChannels, foldMetrics, type ChartRaw } from '../support/charts-fold.js';
import { foldIndicators, type RawConversation } from '../support/indicators-fold.js';
import { addIntervalCells, foldIntervalCells, intervalFigures, type FoldInterval, type IntervalRaw } from '../support/intervals-fold.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// The rollups of migration 0031 under random scripted traffic (fast-check): conversations written
// step by step as the engine's paths write them (created in the bot, queued, assigned, answered,
// transferred, ended; ended in the bot, abandoned, given up; left open; e-mails over days; ended
// across São Paulo's midnight; reclassified, moved to another service, reassigned after the end,
// deleted by retention), each step a statement of its own so the trigger adds and takes away. After
// each run: the incremental rows equal a rebuild from the raw rows, and every figure the rollups
// serve (Gráficos, Indicadores, Abandono, Intervalos; admin and supervisor) equals an independent
// TypeScript fold of the raw rows (test/support/*-fold.ts, and the Abandono fold below). Migration
// 0036's 15-minute cells are also compared whole with a fold, in São Paulo and after the time zone
// moves to Kolkata (+05:30) with another short-abandon limit and NS target, with more traffic
// (taken back, moved, deleted) written meanwhile.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const DAY0 = Date.parse('2026-06-01T00:00:00Z');
const FROM = '2026-05-30';
const TO = '2026-06-04';
const NOW = new Date('2026-06-10T12:00:00Z');
const spDay = (d: Date) => new Date(d.getTime() - 3 * 3600_000).toISOString().slice(0, 10);

let w: {
  services: { id: string; channel: string; serviceLevelSeconds: number; name: string }[];
  agents: string[];
  classifications: string[];
  sup: string;
  supServices: Set<string>;
  contact: string;
  names: Map<string, string>;
};

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  const chat = await createService(admin, { channel: 'webchat', teamIds: [teamA.id], serviceLevelSeconds: 60 });
  const wa = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id], serviceLevelSeconds: 30 });
  const mail = await createService(admin, { channel: 'email', teamIds: [teamB.id], serviceLevelSeconds: 86_400 });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  const classes = (await t.db.query<{ id: string }>(
    `INSERT INTO classifications (code, name) VALUES ($1, 'Resolvido'), ($2, 'Reclamação') RETURNING id`, [unique('R'), unique('C')],
  )).rows.map((r) => r.id);
  const names = new Map<string, string>();
  for (const r of (await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM services UNION ALL SELECT id, name FROM users UNION ALL SELECT id, name FROM classifications`)).rows) names.set(r.id, r.name);
  w = {
    services: [chat, wa, mail], agents: [a1.id, a2.id, b1.id, sup.id], classifications: classes, sup: sup.id,
    supServices: new Set([chat.id, wa.id]), contact, names,
  };
});

const PATHS = ['bot_end', 'abandon', 'gave_up', 'served', 'transferred', 'open_queued', 'open_service', 'email_long'] as const;
const LATER = ['none', 'none', 'none', 'reclassify', 'delete', 'move', 'reassign_after', 'reopen'] as const;

const conversation = fc.record({
  svc: fc.nat(2),
  // two days from 21:00 in São Paulo: midnight is crossed, and conversations share rows
  start: fc.integer({ min: 0, max: 2 * 86_400 - 1 }),
  ms: fc.nat(999),
  path: fc.constantFrom(...PATHS),
  // the edges of the NS targets (30, 60 s), of the short limit (10 s) and of Abandono's buckets, and between
  wait: fc.oneof(fc.constantFrom(0, 10, 11, 29, 30, 31, 59, 60, 61, 119, 120, 299, 300, 599, 600), fc.integer({ min: 0, max: 700 })),
  handle: fc.integer({ min: 1, max: 30_000 }),
  agent: fc.constantFrom(0, 0, 1, 3),
  agent2: fc.nat(3),
  reply: fc.option(fc.integer({ min: 0, max: 900 })),
  classify: fc.option(fc.constantFrom(0, 0, 1)),
  later: fc.constantFrom(...LATER),
});

type Script = typeof conversation extends fc.Arbitrary<infer T> ? T : never;

/** One conversation written step by step; returns nothing (the raw rows are read back afterwards). */
async function play(s: Script): Promise<void> {
  const db = t.db;
  const svc = w.services[s.path === 'email_long' ? 2 : s.svc];
  const at = (secs: number) => new Date(DAY0 + s.start * 1000 + s.ms + secs * 1000);
  const { rows: [{ id }] } = await db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, bot_started_at) VALUES ($1, $2, $3, $4, 'bot', $5, $5) RETURNING id`,
    [unique('P'), svc.id, svc.channel, w.contact, at(0)],
  );
  const set = (sql: string, ...params: unknown[]) => db.query(`UPDATE conversations SET ${sql} WHERE id = $1`, [id, ...params]);
  const ended = s.path !== 'open_queued' && s.path !== 'open_service';
  if (s.path === 'bot_end') {
    await set(`state = 'completed', bot_ended_at = $2, finished_at = $2`, at(s.handle));
  } else {
    const q = 30;
    await set(`state = 'queued', bot_ended_at = $2, queued_at = $2, first_queued_at = $2`, at(q));
    if (s.path === 'abandon' || s.path === 'gave_up') {
      await set(`state = $2, finished_at = $3`, s.path === 'abandon' ? 'abandoned' : 'customer_gave_up', at(q + s.wait));
    } else if (s.path !== 'open_queued') {
      const a = q + s.wait;
      await set(`state = 'in_service', agent_id = $2, assigned_at = $3, first_assigned_at = $3`, w.agents[s.agent], at(a));
      if (s.reply !== null) await set(`first_agent_message_at = $2`, at(a + s.reply));
      if (s.path === 'transferred') await set(`agent_id = $2, assigned_at = $3`, w.agents[s.agent2], at(a + 5));
      if (s.path !== 'open_service') {
        const end = s.path === 'email_long' ? a + s.handle * 10 : a + s.handle;
        await set(`state = $2, finished_at = $3, classification_id = $4`, s.handle % 5 ? 'completed' : 'cancelled', at(end),
          s.classify === null ? null : w.classifications[s.classify]);
      }
    }
  }
  if (s.later === 'delete') await db.query(`DELETE FROM conversations WHERE id = $1`, [id]);
  else if (s.later === 'move') {
    const other = w.services[(w.services.indexOf(svc) + 1) % 3];
    await set(`service_id = $2, channel = $3`, other.id, other.channel);
  } else if (ended && s.later === 'reclassify') await set(`classification_id = $2`, w.classifications[1]);
  else if (ended && s.later === 'reassign_after') await set(`agent_id = $2`, w.agents[s.agent2]);
  // taken back: the end undone, the conversation waiting or in service again
  else if (ended && s.later === 'reopen' && s.path !== 'bot_end') {
    await set(`state = CASE WHEN first_assigned_at IS NULL THEN 'queued' ELSE 'in_service' END, finished_at = NULL`);
  }
}

/** Both rollup tables as sorted text lines, rows that add nothing left out. */
async function snapshot(): Promise<string[]> {
  await foldRollups(t.db);
  const m = await t.db.query(
    `SELECT day::text, k, service_id, channel, direction, state, wait_bin, n, n1, s1::text, n2, s2::text, in_target, short_n FROM conversation_rollups
      WHERE n <> 0 OR n1 <> 0 OR s1 <> 0 OR n2 <> 0 OR s2 <> 0 OR in_target <> 0 OR short_n <> 0`,
  );
  const f = await t.db.query(
    `SELECT day::text, service_id, channel, agent_id, direction, state, classification_id, n, handled, handle_us::text, handle_max_us::text,
            agent_handled, agent_us::text, agent_max_us::text, last_finished_at FROM conversation_rollups_finished WHERE n <> 0`,
  );
  const i = await t.db.query(
    `SELECT to_char(slot, 'YYYY-MM-DD HH24:MI:SS') AS slot, service_id, channel, n, offered, answered, in_target, wait_us::text, abandoned, short_n,
            handled, handle_us::text, responded, response_us::text, longest_us::text FROM conversation_rollups_15m WHERE n <> 0`,
  );
  return [...m.rows.map((r) => `m ${JSON.stringify(r)}`), ...f.rows.map((r) => `f ${JSON.stringify(r)}`), ...i.rows.map((r) => `i ${JSON.stringify(r)}`)].sort();
}

const adminActor: Actor = { id: null, name: 'admin', role: 'admin', teamIds: [], supervisedTeamIds: [] };
const supActor = (): Actor => ({ id: w.sup, name: 'sup', role: 'supervisor', teamIds: [], supervisedTeamIds: [] });

/** Abandono computed the plain way: per service, offered by first queue entry, abandons by end, waits in the report's buckets. */
function foldAbandonment(rows: any[], from: string, to: string) {
  const inP = (d: Date | null) => d !== null && spDay(d) >= from && spDay(d) <= to;
  const out = new Map<string, Record<string, number>>();
  const of = (id: string) => {
    let r = out.get(id);
    if (!r) out.set(id, (r = { offered: 0, abandoned: 0, short: 0, ...Object.fromEntries(WAIT_BUCKETS.map((b) => [b.key, 0])) }));
    return r;
  };
  for (const c of rows) {
    if (inP(c.first_queued_at)) of(c.service_id).offered++;
    if (inP(c.finished_at) && ['abandoned', 'customer_gave_up'].includes(c.state) && c.first_queued_at && !c.first_assigned_at) {
      const r = of(c.service_id);
      const waited = (c.finished_at.getTime() - (c.queued_at ?? c.first_queued_at).getTime()) / 1000;
      r.abandoned++;
      if (waited <= 10) r.short++;
      const b = WAIT_BUCKETS.find((x) => waited >= x.from && (x.to === null || waited < x.to))!;
      r[b.key]++;
    }
  }
  return [...out.entries()].map(([id, r]) => ({ service: w.names.get(id)!, ...r })).sort((a, b) => a.service.localeCompare(b.service));
}

/** The raw rows as the Intervalos fold reads them. */
const intervalRows = (raw: any[]): IntervalRaw[] => raw.map((c) => ({
  serviceId: c.service_id, channel: c.channel, state: c.state, agentId: c.agent_id, firstQueuedAt: c.first_queued_at, queuedAt: c.queued_at,
  firstAssignedAt: c.first_assigned_at, firstAgentMessageAt: c.first_agent_message_at, finishedAt: c.finished_at,
}));

/**
 * Migration 0036's 15-minute cells equal the fold of the raw rows in `tz` (every cell with a milestone;
 * a cell every conversation left adds nothing, its longest wait gone too), and Intervalos equals the
 * fold at 30 minutes (admin), by day on one channel (admin), by hour (supervisor: rollups and their own
 * conversations outside their services raw) and with an agent asked (raw).
 */
async function checkIntervals(tz: string, shortSeconds: number): Promise<void> {
  await foldRollups(t.db);
  const raw = (await t.db.query(`SELECT * FROM conversations`)).rows;
  const rows = intervalRows(raw);
  const targets = new Map((await t.db.query<{ id: string; s: number }>(`SELECT id, service_level_seconds AS s FROM services`)).rows.map((r) => [r.id, Number(r.s)]));
  const targetOf = (id: string) => targets.get(id)!;
  const { rows: stored } = await t.db.query<Record<string, string | number | null>>(
    `SELECT to_char(slot, 'YYYY-MM-DD HH24:MI:SS') AS slot, service_id, channel, n, offered, answered, in_target, wait_us::text AS wait_us, abandoned,
            short_n, handled, handle_us::text AS handle_us, responded, response_us::text AS response_us, longest_us::text AS longest_us
       FROM conversation_rollups_15m`,
  );
  const us = (ms: number | null) => (ms === null ? null : String(ms * 1000));
  const want = [...foldIntervalCells(rows, { tz, interval: '15m', targetOf, shortSeconds }).values()].map((c) => JSON.stringify({
    slot: c.bucket, service_id: c.serviceId, channel: c.channel, n: c.n, offered: c.offered, answered: c.answered, in_target: c.inTarget,
    wait_us: us(c.waitMs), abandoned: c.abandoned, short_n: c.short, handled: c.handled, handle_us: us(c.handleMs), responded: c.responded,
    response_us: us(c.responseMs), longest_us: us(c.longestMs),
  })).sort();
  expect(stored.filter((r) => r.n !== 0).map((r) => JSON.stringify(r)).sort()).toEqual(want);
  for (const r of stored.filter((x) => x.n === 0)) {
    expect(r, 'an emptied cell').toMatchObject({ offered: 0, answered: 0, abandoned: 0, handled: 0, responded: 0, wait_us: '0', handle_us: '0', response_us: '0', longest_us: null });
  }

  const pick = (r: any) => ({
    offered: r.offered, answered: r.answered, abandoned: r.abandoned, short_abandoned: r.short_abandoned, service_level: r.service_level,
    tme: r.tme, tma: r.tma, tpr: r.tpr, longest_wait: r.longest_wait,
  });
  const cases: { actor: Actor; interval: FoldInterval; channel?: 'whatsapp'; agentId?: string; only: (c: IntervalRaw) => boolean }[] = [
    { actor: adminActor, interval: '30m', only: () => true },
    { actor: adminActor, interval: 'day', channel: 'whatsapp', only: (c) => c.channel === 'whatsapp' },
    { actor: supActor(), interval: 'hour', only: (c) => w.supServices.has(c.serviceId) || c.agentId === w.sup },
    { actor: adminActor, interval: '30m', agentId: w.agents[0], only: (c) => c.agentId === w.agents[0] },
  ];
  for (const k of cases) {
    const cells = foldIntervalCells(rows.filter(k.only), { tz, interval: k.interval, targetOf, shortSeconds, from: FROM, to: TO });
    const r = await runReport(t.db, k.actor, 'intervals', { from: FROM, to: TO, interval: k.interval, channel: k.channel, agentId: k.agentId }, 'pt', NOW);
    const label = `${k.actor.role} ${k.interval} ${k.channel ?? ''} ${k.agentId ? 'agent' : ''}`;
    expect(r.timezone).toBe(tz);
    expect(r.rows.map((x) => [`${x.interval} ${x.service}`, pick(x)]).sort(), label)
      .toEqual([...cells.values()].map((c) => [`${c.bucket} ${w.names.get(c.serviceId)}`, intervalFigures(c)]).sort());
    expect(pick(r.total), label).toEqual(intervalFigures(addIntervalCells(cells.values())));
  }
}

describe('conversation rollups', () => {
  it('keep the defaults of the settings they depend on', async () => {
    await t.db.query(`DELETE FROM settings WHERE key IN ('timezone', 'shortAbandonSeconds')`);
    const { rows: [r] } = await t.db.query<{ tz: string; short: string }>(`SELECT rollup_time_zone() AS tz, rollup_short_abandon()::text AS short`);
    expect(r.tz).toBe(DEFAULT_SETTINGS.timezone);
    expect(Number(r.short)).toBe(DEFAULT_SETTINGS.shortAbandonSeconds);
  });

  it('equal the rebuild and every figure they serve equals a fold of the raw rows, over random traffic', async () => {
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 5, maxLength: 40 }), async (scripts) => {
      // a failed run leaves its rows: each run starts from none (and a shrunk counterexample is its own)
      await t.db.query(`DELETE FROM conversations`);
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      for (const s of scripts) {
        await play(s);
        // the journal (0041) folded now and then in the middle of the traffic, as the background fold does
        if (s.ms % 3 === 0) await foldRollups(t.db);
      }
      const incremental = await snapshot();
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      expect(incremental).toEqual(await snapshot());

      const raw = (await t.db.query(`SELECT * FROM conversations`)).rows;
      const target = new Map(w.services.map((s) => [s.id, s.serviceLevelSeconds]));
      const chartRows: ChartRaw[] = raw.map((c: any) => ({
        serviceId: c.service_id, channel: c.channel, state: c.state, agentId: c.agent_id, createdAt: c.created_at, firstQueuedAt: c.first_queued_at,
        queuedAt: c.queued_at, firstAssignedAt: c.first_assigned_at, firstAgentMessageAt: c.first_agent_message_at, finishedAt: c.finished_at,
        targetSeconds: target.get(c.service_id)!,
      }));
      const indRows: RawConversation[] = raw.map((c: any) => ({
        serviceId: c.service_id, channel: c.channel, direction: c.direction, state: c.state, agentId: c.agent_id, createdAt: c.created_at,
        botStartedAt: c.bot_started_at, firstQueuedAt: c.first_queued_at, firstAssignedAt: c.first_assigned_at, assignedAt: c.assigned_at,
        finishedAt: c.finished_at, classificationId: c.classification_id,
      }));
      const inSup = (c: { serviceId?: string; service_id?: string; agentId?: string | null; agent_id?: string | null }) =>
        w.supServices.has((c.serviceId ?? c.service_id)!) || (c.agentId ?? c.agent_id) === w.sup;

      // Gráficos: the whole (rollups) and two agents (raw), a day interval; a supervisor's whole
      const asked = [w.agents[0], w.agents[3]];
      const m = await metricsChart(t.db, adminActor, { from: FROM, to: TO, agentId: asked }, 'pt', NOW);
      expect(m.series[0].figures).toEqual(foldMetrics(chartRows, FROM, TO, false));
      for (const [i, id] of asked.entries()) expect(m.series[i + 1].figures).toEqual(foldMetrics(chartRows.filter((c) => c.agentId === id), FROM, TO, true));
      const ms = await metricsChart(t.db, supActor(), { from: FROM, to: TO }, 'pt', NOW);
      expect(ms.series[0].figures).toEqual(foldMetrics(chartRows.filter(inSup), FROM, TO, false));
      const mid = '2026-06-01';
      expect((await channelsChart(t.db, adminActor, { from: mid, to: '2026-06-02' }, NOW)).rows).toEqual(foldChannels(chartRows, mid, '2026-06-02'));
      expect((await channelsChart(t.db, adminActor, { from: FROM, to: TO, channel: 'whatsapp' }, NOW)).rows)
        .toEqual(foldChannels(chartRows.filter((c) => c.channel === 'whatsapp'), FROM, TO));

      // Indicadores: admin (a middle day too) and supervisor
      const strip = (x: any) => ({ byService: x.byService, byChannel: x.byChannel, byAgent: x.byAgent, byStatus: x.byStatus, daySummary: x.daySummary });
      expect(strip(await indicatorsReport(t.db, adminActor, { from: FROM, to: TO }, NOW))).toEqual(foldIndicators(indRows, { from: FROM, to: TO }, w.names));
      expect(strip(await indicatorsReport(t.db, adminActor, { from: mid, to: mid }, NOW))).toEqual(foldIndicators(indRows, { from: mid, to: mid }, w.names));
      expect(strip(await indicatorsReport(t.db, supActor(), { from: FROM, to: TO }, NOW))).toEqual(foldIndicators(indRows.filter(inSup), { from: FROM, to: TO }, w.names));

      // Abandono: admin and supervisor
      const pick = (r: any) => ({ service: r.service, offered: r.offered, abandoned: r.abandoned, short: r.short, ...Object.fromEntries(WAIT_BUCKETS.map((b) => [b.key, r[b.key]])) });
      const ab = await runReport(t.db, adminActor, 'abandonment', { from: FROM, to: TO }, 'pt', NOW);
      expect(ab.rows.map(pick)).toEqual(foldAbandonment(raw, FROM, TO));
      const abs = await runReport(t.db, supActor(), 'abandonment', { from: FROM, to: TO }, 'pt', NOW);
      expect(abs.rows.map(pick)).toEqual(foldAbandonment(raw.filter(inSup), FROM, TO));

      await checkIntervals('America/Sao_Paulo', 10);

      // the time zone moves half an hour off São Paulo's slots (Kolkata, +05:30) and the short limit to
      // 20 s: the settings' trigger rebuilds; more traffic is written in the new zone, a target changes
      try {
        await t.db.query(`INSERT INTO settings (key, value) VALUES ('timezone', '"Asia/Kolkata"'), ('shortAbandonSeconds', '20')`);
        await checkIntervals('Asia/Kolkata', 20);
        for (const s of scripts.slice(0, 10)) await play(s);
        const moved = await snapshot();
        await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
        expect(moved).toEqual(await snapshot());
        await checkIntervals('Asia/Kolkata', 20);
        await t.db.query(`UPDATE services SET service_level_seconds = 45 WHERE id = $1`, [w.services[0].id]);
        await checkIntervals('Asia/Kolkata', 20);
      } finally {
        await t.db.query(`UPDATE services SET service_level_seconds = $2 WHERE id = $1`, [w.services[0].id, w.services[0].serviceLevelSeconds]);
        await t.db.query(`DELETE FROM settings WHERE key IN ('timezone', 'shortAbandonSeconds')`);
      }
      await checkIntervals('America/Sao_Paulo', 10);

      // retention deletes every conversation: nothing is left in the rollups
      await t.db.query(`DELETE FROM conversations`);
      expect(await snapshot()).toEqual([]);
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
  }, 600_000);

  // Statements that change many conversations at once (the router assigns up to 8 in one UPDATE),
  // some sharing a cell, some leaving one cell for another, leave the same rows as a rebuild.
  const batch = fc.record({
    what: fc.constantFrom('assign', 'move', 'reclassify', 'reassign', 'finish', 'touch'),
    pick: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    to: fc.nat(3),
    secs: fc.integer({ min: 0, max: 3_000 }),
    fold: fc.boolean(),
  });
  it('equal the rebuild when one statement changes many conversations', async () => {
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 5, maxLength: 25 }), fc.array(batch, { minLength: 1, maxLength: 4 }), async (scripts, batches) => {
      await t.db.query(`DELETE FROM conversations`);
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      for (const s of scripts) await play(s);
      for (const b of batches) {
        const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM conversations ORDER BY created_at, id`);
        const ids = rows.filter((_, i) => b.pick[i % b.pick.length]).map((r) => r.id);
        const at = new Date(DAY0 + 86_400_000 + b.secs * 1000);
        const agents = ids.map((_, i) => w.agents[(b.to + i) % w.agents.length]);
        if (b.what === 'assign') {
          // as the router's statement: each its own agent, only those still waiting
          await t.db.query(
            `UPDATE conversations c SET state = 'in_service', agent_id = v.agent_id, assigned_at = $3, first_assigned_at = coalesce(c.first_assigned_at, $3)
               FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent_id) WHERE c.id = v.id AND c.state = 'queued'`, [ids, agents, at]);
        } else if (b.what === 'move') {
          const other = w.services[b.to % 2];
          await t.db.query(`UPDATE conversations SET service_id = $2, channel = $3 WHERE id = ANY($1::uuid[]) AND channel <> 'email'`, [ids, other.id, other.channel]);
        } else if (b.what === 'reclassify') {
          await t.db.query(`UPDATE conversations SET classification_id = $2 WHERE id = ANY($1::uuid[]) AND finished_at IS NOT NULL`,
            [ids, b.to < w.classifications.length ? w.classifications[b.to] : null]);
        } else if (b.what === 'reassign') {
          await t.db.query(`UPDATE conversations c SET agent_id = v.agent_id FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent_id) WHERE c.id = v.id`, [ids, agents]);
        } else if (b.what === 'finish') {
          await t.db.query(`UPDATE conversations SET state = 'completed', finished_at = greatest($2, created_at) WHERE id = ANY($1::uuid[]) AND finished_at IS NULL`, [ids, at]);
        } else {
          await t.db.query(`UPDATE conversations SET version = version + 1 WHERE id = ANY($1::uuid[])`, [ids]);
        }
        if (b.fold) await foldRollups(t.db);
      }
      // and two statements that always put several conversations in one cell: whatever is still open
      // ends at one instant, then every ended conversation gets one classification
      await t.db.query(`UPDATE conversations SET state = 'completed', finished_at = greatest($1, created_at) WHERE finished_at IS NULL`, [new Date(DAY0 + 86_400_000)]);
      await t.db.query(`UPDATE conversations SET classification_id = $1`, [w.classifications[0]]);
      const incremental = await snapshot();
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      expect(incremental).toEqual(await snapshot());
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
  }, 600_000);
});
