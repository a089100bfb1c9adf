import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/database.js';
import { foldRollups } from '../../src/engine/rollups/fold.js';
import { rebuildRollups } from '../../src/engine/rollups/rebuild.js';
import { rebuildAgentTimeRollups } from '../../src/engine/rollups/agents.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Migration 0041: the writers' transactions note each row in a journal; the rollups get the
// contributions when the journal is folded (in the background, before every read, before a rebuild).
// What the property tests of each rollup (rollups, agent-time-rollups, classification-rollups) do not
// show on their own: the write itself adds nothing to the rollups, a report read through the API
// folds first, folds side by side apply each entry once, a rebuild with entries pending counts each
// once, and the background folder empties the journal.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const DAY = '2026-03-02';
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00-03:00`);

async function setup() {
  const team = await createTeam(admin);
  const service = await createService(admin, { channel: 'webchat', teamIds: [team.id], serviceLevelSeconds: 60 });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  return { service, agent, contact };
}

/** `n` conversations of the service queued at 10:00 (+ i s), `abandoned` of them given up 40 s later. */
async function queue(w: Awaited<ReturnType<typeof setup>>, n: number, abandoned: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const q = new Date(at('10:00').getTime() + i * 1000);
    const { rows: [{ id }] } = await t.db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, queued_at, first_queued_at)
       VALUES ($1, $2, 'webchat', $3, 'queued', $4, $4, $4) RETURNING id`, [unique('P'), w.service.id, w.contact, q]);
    if (i < abandoned) {
      await t.db.query(`UPDATE conversations SET state = 'abandoned', finished_at = $2 WHERE id = $1`, [id, new Date(q.getTime() + 40_000)]);
    }
    ids.push(id);
  }
  return ids;
}

const journal = async () => (await t.db.query<{ c: number; a: number }>(
  `SELECT (SELECT count(*) FROM conversation_rollup_journal)::int AS c, (SELECT count(*) FROM agent_state_rollup_journal)::int AS a`)).rows[0];
const stored = async (serviceId: string) => (await t.db.query<{ k: number; n: number }>(
  `SELECT k, sum(n)::int AS n FROM conversation_rollups WHERE service_id = $1 GROUP BY k ORDER BY k`, [serviceId])).rows;
const abandonmentRow = async (serviceId: string) => {
  const r = await admin.get(`/api/reports/abandonment?from=${DAY}&to=${DAY}&serviceId=${serviceId}`);
  expect(r.status).toBe(200);
  return r.body.rows.map((x: { offered: number; abandoned: number; w30_60: number }) => [x.offered, x.abandoned, x.w30_60]);
};

describe('the rollups journal', () => {
  it('a write adds nothing to the rollups; a report read through the API folds it first', async () => {
    const w = await setup();
    await foldRollups(t.db);
    await queue(w, 3, 1);
    // 3 inserts and 1 update noted; none counted yet
    expect((await journal()).c).toBe(4);
    expect(await stored(w.service.id)).toEqual([]);
    expect(await abandonmentRow(w.service.id)).toEqual([[3, 1, 1]]);
    expect((await journal()).c).toBe(0);
    // created, queued, finished (k 1, 2, 5)
    expect(await stored(w.service.id)).toEqual([{ k: 1, n: 3 }, { k: 2, n: 3 }, { k: 5, n: 1 }]);

    // an agent's state change likewise: noted, then folded by a read (Pausas) or the background folder
    await t.db.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'available', $2, $3)`,
      [w.agent.id, at('09:00'), at('11:00')]);
    expect((await journal()).a).toBe(1);
    expect((await t.db.query(`SELECT 1 FROM agent_time_rollups WHERE user_id = $1`, [w.agent.id])).rowCount).toBe(0);
    expect(await t.runtime.rollups.fold()).toBe(1);
    expect(await journal()).toEqual({ c: 0, a: 0 });
    const { rows } = await t.db.query<{ us: string }>(
      `SELECT us::text FROM agent_time_rollups WHERE user_id = $1 AND level = 'day' AND state = 'available'`, [w.agent.id]);
    expect(rows).toEqual([{ us: String(2 * 3600 * 1_000_000) }]);
  });

  it('a rebuild with entries not yet folded counts each once', async () => {
    const w = await setup();
    await queue(w, 5, 2);
    await t.db.query(`INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, 'available', $2, $3)`,
      [w.agent.id, at('08:00'), at('08:30')]);
    expect((await journal()).c).toBeGreaterThan(0);
    await rebuildRollups(t.db, { from: DAY, to: DAY });
    await rebuildAgentTimeRollups(t.db);
    expect(await journal()).toEqual({ c: 0, a: 0 });
    await foldRollups(t.db);
    expect(await stored(w.service.id)).toEqual([{ k: 1, n: 5 }, { k: 2, n: 5 }, { k: 5, n: 2 }]);
    const { rows } = await t.db.query<{ us: string }>(
      `SELECT us::text FROM agent_time_rollups WHERE user_id = $1 AND level = 'day' AND state = 'available'`, [w.agent.id]);
    expect(rows).toEqual([{ us: String(1800 * 1_000_000) }]);
    // a change of a setting the rows depend on, with entries pending: the settings' trigger drains first
    await queue(w, 4, 4);
    await t.db.query(`INSERT INTO settings (key, value) VALUES ('shortAbandonSeconds', '50') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    try {
      expect((await journal()).c).toBe(0);
      const { rows: [r] } = await t.db.query<{ n: number; short: number }>(
        `SELECT sum(n)::int AS n, sum(short_n)::int AS short FROM conversation_rollups WHERE service_id = $1 AND k = 5`, [w.service.id]);
      // 6 abandoned, each after 40 s: all short under 50 s
      expect(r).toEqual({ n: 6, short: 6 });
    } finally {
      await t.db.query(`DELETE FROM settings WHERE key = 'shortAbandonSeconds'`);
    }
  });

  it('folds side by side on several connections apply each entry once (PostgreSQL)', async (ctx) => {
    if (t.db.kind !== 'postgres') return ctx.skip();
    const w = await setup();
    await foldRollups(t.db);
    await queue(w, 120, 50);
    // four pools, as four nodes, fold at once in small batches
    const url = (t.db as unknown as { url?: string }).url ?? process.env.DATABASE_URL!;
    const { rows: [{ name }] } = await t.db.query<{ name: string }>('SELECT current_database() AS name');
    const u = new URL(url);
    u.pathname = `/${name}`;
    const nodes = [0, 1, 2, 3].map(() => openPostgres(u.toString()));
    try {
      const folded = await Promise.all(nodes.map((db) => foldRollups(db, 7)));
      expect(folded.reduce((a, b) => a + b, 0)).toBe(170);
    } finally {
      await Promise.all(nodes.map((db) => db.close()));
    }
    expect(await stored(w.service.id)).toEqual([{ k: 1, n: 120 }, { k: 2, n: 120 }, { k: 5, n: 50 }]);
    const before = await t.db.query(`SELECT * FROM conversation_rollups_15m WHERE service_id = $1 ORDER BY slot`, [w.service.id]);
    await rebuildRollups(t.db, { from: DAY, to: DAY });
    expect((await t.db.query(`SELECT * FROM conversation_rollups_15m WHERE service_id = $1 ORDER BY slot`, [w.service.id])).rows).toEqual(before.rows);
  });
});
