import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/engine/actor.js';
import { recordStateChange } from '../../src/engine/agents/presence-store.js';
import { periodTimes } from '../../src/engine/reports/agent-time.js';
import type { ReportContext } from '../../src/engine/reports/definition.js';
import { pausesReport } from '../../src/engine/reports/pauses.js';
import { sessionsReport } from '../../src/engine/reports/sessions.js';
import { rebuildAgentTimeRollups } from '../../src/engine/rollups/agents.js';
import { foldRollups } from '../../src/engine/rollups/fold.js';
import { rawPauses, rawPeriodTimes, rawSessions } from '../support/agent-time-raw.js';
import { newPauseReason, sp } from '../support/report-traffic.js';
import { appForFile, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// The agents' time rollups and session marks (migration 0033) under random state histories
// (fast-check): changes made through the engine's recordStateChange (one statement closing the open
// row and opening the next, or none on a logout) mixed with raw inserts of closed rows (one a
// statement, or several in one), deletions of rows (a gap: a logout and a login appear) and
// connection-loss events, around São Paulo's midnight and the end of July. For periods of whole days
// (months and days of the rollups) and of partial days (raw edges): the time per agent, state and
// reason and the rows that overlap, Pausas and Sessões equal the raw reading they replaced
// (test/support/agent-time-raw.ts); the rows the triggers kept equal the rebuild's; and after a
// change of time zone too.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const BASE = sp('2026-07-30 18:00:00').getTime();
const STATES = ['available', 'in_service', 'paused', 'offline'] as const;

const step = fc.record({
  agent: fc.integer({ min: 0, max: 1 }),
  how: fc.constantFrom('engine', 'engine', 'engine', 'raw', 'raw-batch', 'delete'),
  state: fc.constantFrom(...STATES),
  reason: fc.integer({ min: 0, max: 2 }),
  // zero: two changes in one instant; up to 30 hours: a state across midnight (and the month's end)
  seconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 3600, max: 30 * 3600 })),
  gap: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 8 * 3600 })),
  lost: fc.boolean(),
});

const tidy = (rows: { user_id: string; state: string; pause_reason_id: string | null; s: number; n: number }[]) =>
  rows.map((r) => ({ ...r, s: Math.round(r.s * 1000) / 1000 })).sort((a, b) => `${a.user_id}${a.state}${a.pause_reason_id}`.localeCompare(`${b.user_id}${b.state}${b.pause_reason_id}`));

async function snapshot() {
  await foldRollups(t.db);
  const time = await t.db.query(`SELECT level, to_char(period, 'YYYY-MM-DD') AS period, user_id, state, pause_reason_id, us::text, started_n, zero_n, continued_n
    FROM agent_time_rollups WHERE us <> 0 OR started_n <> 0 OR zero_n <> 0 OR continued_n <> 0 ORDER BY 1, 2, 3, 4, 5`);
  const marks = await t.db.query(`SELECT user_id, at, login, logout FROM agent_session_marks ORDER BY 1, 2`);
  return { time: time.rows, marks: marks.rows };
}

/** The session marks the rows imply, folded in TypeScript with the Sessões definitions (0033's rule). */
function marksOf(rows: { user_id: string; s: number; e: number | null }[]) {
  const at = new Map<string, { n: number; z: number; p: number }>();
  const of = (user: string, t: number) => {
    const k = `${user} ${t}`;
    if (!at.has(k)) at.set(k, { n: 0, z: 0, p: 0 });
    return at.get(k)!;
  };
  for (const r of rows) {
    if (r.e === r.s) of(r.user_id, r.s).z++;
    else of(r.user_id, r.s).n++;
    if (r.e !== null && r.e > r.s) of(r.user_id, r.e).p++;
  }
  return [...at].flatMap(([k, { n, z, p }]) => {
    const [user_id, t] = k.split(' ');
    const login = n + z > 0 && p === 0;
    const logout = p + z > 0 && n === 0;
    return login || logout ? [{ user_id, at: Number(t), login, logout }] : [];
  }).sort((a, b) => `${a.user_id} ${a.at}`.localeCompare(`${b.user_id} ${b.at}`));
}

describe('agents’ time rollups and session marks', () => {
  // The instant where one row ends and the next begins, written every way the engine and an operator
  // can: one statement or two, either order, rows of no length, several agents at once, ends moved
  // away and back. Every statement below runs in ONE transaction (whatever a trigger keeps for the
  // transaction lives as long as it: a shortcut tried for the routing cost kept such a note, and
  // these cases are what it had to survive), and after each one the marks must equal the fold.
  it('keep the marks exact for every close-and-open at one instant: one statement or two, either order, rows of no length, several agents', async () => {
    const ids = ['00000000-0000-4000-8000-0000000035a1', '00000000-0000-4000-8000-0000001035a1', '00000000-0000-4000-8000-0000000035b2'];
    await t.db.query(`INSERT INTO users (id, email, name, role, password_hash, agent_enabled)
      SELECT id, 'note-' || id || '@test.local', 'Note ' || id, 'agent', 'x', true FROM unnest($1::uuid[]) AS u(id) ON CONFLICT (id) DO NOTHING`, [ids]);
    await t.db.query(`DELETE FROM agent_state_history WHERE user_id = ANY($1::uuid[])`, [ids]);
    const [a, b, c] = ids;
    const T = (minutes: number) => new Date(BASE + minutes * 60_000);
    await t.db.transaction(async (tx) => {
      const check = async (label: string) => {
        // in the transaction: its entries folded there (the lock is held to its end; nothing else runs)
        await tx.query('SELECT agent_state_rollups_fold(100000)');
        const rows = await tx.query<{ user_id: string; s: number; e: number | null }>(
          `SELECT user_id, (extract(epoch FROM started_at) * 1000)::float8 AS s, (extract(epoch FROM ended_at) * 1000)::float8 AS e
             FROM agent_state_history WHERE user_id = ANY($1::uuid[])`, [ids]);
        const marks = await tx.query<{ user_id: string; at: number; login: boolean; logout: boolean }>(
          `SELECT user_id, (extract(epoch FROM at) * 1000)::float8 AS at, login, logout FROM agent_session_marks WHERE user_id = ANY($1::uuid[])`, [ids]);
        const sorted = marks.rows.map((m) => ({ ...m, at: Number(m.at) })).sort((x, y) => `${x.user_id} ${x.at}`.localeCompare(`${y.user_id} ${y.at}`));
        expect(sorted, label).toEqual(marksOf(rows.rows.map((r) => ({ ...r, s: Number(r.s), e: r.e === null ? null : Number(r.e) }))));
      };
      // the engine's two statements: recordStateChange's (the insert's trigger fires first) and
      // assignBatch's, for three agents at once (a and b end in the same two digits)
      const change = (users: string[], at: Date, state: string) => tx.query(
        `WITH closed AS (UPDATE agent_state_history SET ended_at = $2 WHERE user_id = ANY($1::uuid[]) AND ended_at IS NULL)
         INSERT INTO agent_state_history (user_id, state, started_at) SELECT u, $3, $2 FROM unnest($1::uuid[]) AS u`, [users, at, state]);
      await change(ids, T(0), 'available');
      await check('logins');
      await change(ids, T(1), 'in_service');
      await check('close-and-open, one statement, three agents');
      await tx.query(
        `WITH slots AS (SELECT 1), closed AS (UPDATE agent_state_history SET ended_at = $2 WHERE user_id = ANY($1::uuid[]) AND ended_at IS NULL),
         opened AS (INSERT INTO agent_state_history (user_id, state, started_at) SELECT u, 'available', $2 FROM unnest($1::uuid[]) AS u)
         SELECT 1`, [ids, T(2)]);
      await check('assignBatch’s shape');
      // the close's trigger first (the update is the statement, the insert its CTE)
      await tx.query(`WITH opened AS (INSERT INTO agent_state_history (user_id, state, started_at) VALUES ($1, 'paused', $2))
        UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [a, T(3)]);
      await check('close first, one statement');
      // two statements: close then open; open then close (two open rows for a moment)
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [b, T(4)]);
      await check('closed: a logout');
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at) VALUES ($1, 'available', $2)`, [b, T(4)]);
      await check('then opened: neither');
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at) VALUES ($1, 'in_service', $2)`, [c, T(5)]);
      await check('opened while open: a login');
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND started_at < $2 AND ended_at IS NULL`, [c, T(5)]);
      await check('then the older closed: neither');
      // rows of no length at the instant: closed, then one of no length, then the next open
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [a, T(6)]);
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'offline', $2, $2)`, [a, T(6)]);
      await check('no length after a close');
      await change([a], T(6), 'available');
      await check('no length, then close-and-open at the same instant');
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [b, T(7)]);
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'offline', $2, $2), ($1, 'available', $2, $3)`, [b, T(7), T(8)]);
      await check('rows of no length and of some written after the fact');
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at) VALUES ($1, 'available', $2)`, [b, T(8)]);
      await check('and the next open');
      // a row ending at t taken away (t becomes a login of the next row), then another row's end
      // arriving at t: the note saw t, but not this row
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [c, T(9)]);
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'available', $2, $3)`, [c, T(9), T(11)]);
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at) VALUES ($1, 'available', $2)`, [c, T(11)]);
      await check('rows of c');
      await tx.query(`DELETE FROM agent_state_history WHERE user_id = $1 AND started_at = $2`, [c, T(9)]);
      await check('a row ending at t deleted: t a login');
      await tx.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'paused', $2, $3)`, [c, T(10), T(11)]);
      await check('another row’s end arrives at t');
      // an end moved away and back, each in its own statement, and a batch whose ends arrive where a
      // shared note (a, b) saw the other agent
      await tx.query(`UPDATE agent_state_history SET ended_at = $3 WHERE user_id = $1 AND started_at = $2`, [c, T(10), T(10.5)]);
      await check('end moved away: a logout and a login');
      await tx.query(`UPDATE agent_state_history SET ended_at = $3 WHERE user_id = $1 AND started_at = $2`, [c, T(10), T(11)]);
      await check('end moved back');
      await change([a, b], T(12), 'paused');
      await tx.query(`UPDATE agent_state_history SET ended_at = NULL WHERE user_id = ANY($1::uuid[]) AND ended_at = $2`, [[a, b], T(12)]);
      await check('two open rows each: the closes undone');
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = ANY($1::uuid[]) AND started_at < $2 AND ended_at IS NULL`, [[a, b], T(12)]);
      await check('and redone');
      // the note must follow every reconciliation, a leaving end's too: closed at t (noted), reopened
      // (t is no instant any more), closed at t again (the note of the first close is stale)
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [c, T(13)]);
      await check('c closed: a logout');
      await tx.query(`UPDATE agent_state_history SET ended_at = NULL WHERE user_id = $1 AND ended_at = $2`, [c, T(13)]);
      await check('c reopened: no instant');
      await tx.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [c, T(13)]);
      await check('c closed again: the logout again');
    });
    // after the transaction (no note) the same marks as the rebuild
    const kept = await snapshot();
    await rebuildAgentTimeRollups(t.db);
    expect(kept).toEqual(await snapshot());
  });

  it('equal the raw reading and the rebuild over random histories, whole and partial days, and after a time-zone change', async () => {
    const agents = [await createUser(admin, { agentEnabled: true }), await createUser(admin, { agentEnabled: true })];
    const reasons = [null, await newPauseReason(t.db, unique('Café')), await newPauseReason(t.db, unique('Almoço'))];
    const actor: Actor = { id: null, name: 'system', role: 'admin', teamIds: [], supervisedTeamIds: [] };
    const ctxOf = (start: Date, end: Date, now: Date, agentId?: string): ReportContext => ({
      db: t.db, actor, period: { start, end, timeZone: 'America/Sao_Paulo' } as ReportContext['period'], interval: 'day',
      filter: agentId ? { agentId } : {}, now, lang: 'pt-BR' as ReportContext['lang'],
    });

    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 47 }), async (steps, cut) => {
      // each run starts from none: the delete trigger takes every contribution away
      await t.db.query(`DELETE FROM agent_state_history WHERE user_id = ANY($1::uuid[])`, [agents.map((a) => a.id)]);
      await foldRollups(t.db);
      const left = await t.db.query(`SELECT count(*)::int AS n FROM agent_time_rollups WHERE user_id = ANY($1::uuid[]) AND (us <> 0 OR started_n <> 0 OR zero_n <> 0 OR continued_n <> 0)
        UNION ALL SELECT count(*)::int FROM agent_session_marks WHERE user_id = ANY($1::uuid[])`, [agents.map((a) => a.id)]);
      expect(left.rows.map((r: any) => r.n)).toEqual([0, 0]);

      const cursor = [BASE, BASE + 3600_000];
      const open = [false, false];
      for (const s of steps) {
        const a = s.agent;
        const user = agents[a].id;
        const reason = s.state === 'paused' ? reasons[s.reason] : null;
        if (s.how === 'engine') {
          cursor[a] += s.gap * 1000;
          t.clock.set(cursor[a]);
          await t.runtime.engine.execute((u) => recordStateChange(u, user, s.state, reason));
          open[a] = s.state !== 'offline';
          if (s.state === 'offline' && s.lost) {
            await t.db.query(`INSERT INTO events (type, agent_id, payload, at) VALUES ('agent.updated', $1, '{"reason": "connection_lost"}', $2)`, [user, new Date(cursor[a])]);
          }
          cursor[a] += s.seconds * 1000;
        } else if (s.how === 'delete') {
          // a row taken away (retention, a correction): its neighbours become a logout and a login
          await t.db.query(`DELETE FROM agent_state_history WHERE id = (SELECT id FROM agent_state_history WHERE user_id = $1 AND ended_at IS NOT NULL ORDER BY started_at DESC, id DESC OFFSET $2 LIMIT 1)`, [user, s.reason]);
        } else {
          // closed rows written after the fact (the demo's history, imports): the open row, if any, closed first
          if (open[a]) await t.db.query(`UPDATE agent_state_history SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [user, new Date(cursor[a])]);
          open[a] = false;
          cursor[a] += s.gap * 1000;
          const rows = s.how === 'raw' ? 1 : 3;
          const values: unknown[] = [];
          const tuples: string[] = [];
          for (let i = 0; i < rows; i++) {
            const from = cursor[a];
            cursor[a] += (i === 1 ? 0 : s.seconds * 1000);
            const n = values.push(user, i === 1 ? 'available' : s.state, i === 1 ? null : reason, new Date(from), new Date(cursor[a]));
            tuples.push(`($${n - 4}::uuid, $${n - 3}, $${n - 2}::uuid, $${n - 1}::timestamptz, $${n}::timestamptz)`);
          }
          await t.db.query(`INSERT INTO agent_state_history (user_id, state, pause_reason_id, started_at, ended_at) VALUES ${tuples.join(', ')}`, values);
        }
      }
      const now = new Date(Math.max(...cursor) + 1800_000);

      const compare = async (start: Date, end: Date, label: string) => {
        await foldRollups(t.db);
        for (const agentId of [undefined, agents[0].id]) {
          const ctx = ctxOf(start, end, now, agentId);
          const ours = (await periodTimes(ctx)).filter((r) => agents.some((x) => x.id === r.user_id));
          const raw = (await rawPeriodTimes(ctx)).filter((r) => agents.some((x) => x.id === r.user_id));
          expect(tidy(ours), `${label} times`).toEqual(tidy(raw));
          const keep = (d: { rows: any[]; total: any }) => d.rows.filter((r) => agents.some((x) => x.name === r.agent));
          if (agentId) {
            expect(await pausesReport.run(ctx), `${label} pauses`).toEqual(await rawPauses(ctx));
            expect(await sessionsReport.run(ctx), `${label} sessions`).toEqual(await rawSessions(ctx));
          } else {
            expect(keep(await pausesReport.run(ctx)), `${label} pauses`).toEqual(keep(await rawPauses(ctx)));
            expect(keep(await sessionsReport.run(ctx)), `${label} sessions`).toEqual(keep(await rawSessions(ctx)));
          }
        }
      };
      const day = (d: string) => sp(`${d} 00:00:00`);
      // whole days: one, several across midnight and the month's end, the whole of July and of August
      await compare(day('2026-07-31'), day('2026-08-01'), '31 Jul');
      await compare(day('2026-07-30'), day('2026-08-03'), '30 Jul–2 Aug');
      await compare(day('2026-07-01'), day('2026-08-01'), 'July');
      await compare(day('2026-07-01'), day('2026-09-01'), 'July–August');
      // partial days: from an hour of the 30th (or 31st) to an hour of a later day, and within one day
      const from = new Date(BASE + cut * 1800_000);
      await compare(from, new Date(from.getTime() + 2 * 86_400_000 + 5400_000), `from ${from.toISOString()}`);
      await compare(from, new Date(from.getTime() + 7200_000), `2 h from ${from.toISOString()}`);
      await compare(day('2026-07-29'), from, `29 Jul to ${from.toISOString()}`);

      const incremental = await snapshot();
      await rebuildAgentTimeRollups(t.db);
      expect(incremental).toEqual(await snapshot());
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });

    // another time zone: the days and months move, the rollups follow (the settings trigger), the reads equal the raw ones
    await t.db.query(`INSERT INTO settings (key, value) VALUES ('timezone', '"America/Manaus"') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    try {
      const kept = await snapshot();
      await rebuildAgentTimeRollups(t.db);
      expect(kept).toEqual(await snapshot());
      const manaus = (local: string) => new Date(`${local}T00:00:00-04:00`);
      const now = new Date(BASE + 40 * 86_400_000);
      for (const [start, end] of [[manaus('2026-07-31'), manaus('2026-08-01')], [manaus('2026-07-01'), manaus('2026-09-01')], [sp('2026-07-31 00:00:00'), sp('2026-08-02 00:00:00')]]) {
        const ctx = ctxOf(start, end, now);
        expect(tidy(await periodTimes(ctx))).toEqual(tidy(await rawPeriodTimes(ctx)));
      }
    } finally {
      await t.db.query(`DELETE FROM settings WHERE key = 'timezone'`);
    }
  });
});
