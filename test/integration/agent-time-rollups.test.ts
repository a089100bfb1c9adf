import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/engine/actor.js';
import { recordStateChange } from '../../src/engine/agents/presence-store.js';
import { periodTimes } from '../../src/engine/reports/agent-time.js';
import type { ReportContext } from '../../src/engine/reports/definition.js';
import { pausesReport } from '../../src/engine/reports/pauses.js';
import { sessionsReport } from '../../src/engine/reports/sessions.js';
import { rebuildAgentTimeRollups } from '../../src/engine/rollups/agents.js';
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
  const time = await t.db.query(`SELECT level, to_char(period, 'YYYY-MM-DD') AS period, user_id, state, pause_reason_id, us::text, started_n, zero_n, continued_n
    FROM agent_time_rollups WHERE us <> 0 OR started_n <> 0 OR zero_n <> 0 OR continued_n <> 0 ORDER BY 1, 2, 3, 4, 5`);
  const marks = await t.db.query(`SELECT user_id, at, login, logout FROM agent_session_marks ORDER BY 1, 2`);
  return { time: time.rows, marks: marks.rows };
}

describe('agents’ time rollups and session marks', () => {
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
