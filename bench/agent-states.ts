// agent-states: what the agents' time rollups and session marks (migration 0033's statement triggers on
// agent_state_history) cost a state change. On a fresh database (PGlite in memory, then PostgreSQL:
// forEachDatabase), 20 agents change state through the engine (Engine.execute, one transaction each,
// its event appended): `ordinary` is recordStateChange between available and in service (what every
// assignment of a free agent writes: close the open row, open the next); `presence` is the desk's
// cycle through reduceStoredPresence (login, pause, resume, logout: a login and a logout in four). The
// same changes are timed with the triggers on and off, alternating in rounds within one run so both
// see the same machine.
import { recordStateChange, reduceStoredPresence } from '../src/engine/agents/presence-store.js';
import { ManualClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import type { AgentEvent } from '../src/core/agent-state.js';
import { LocalBus } from '../src/engine/bus.js';
import { migrate } from '../src/db/migrate.js';
import { forEachDatabase } from './ingest.js';
import { emit, percentile } from './report.js';

const AGENTS = 20;
const PER_ROUND = Number(process.env.BENCH_AGENT_STATES ?? 200);
const ROUNDS = 6;
const TRIGGERS = ['agent_state_rollups_insert', 'agent_state_rollups_update', 'agent_state_rollups_delete'];

export async function run(): Promise<void> {
  await forEachDatabase('agent-states', async (label, db) => {
    await migrate(db);
    const { rows: agents } = await db.query<{ id: string }>(
      `INSERT INTO users (email, name, role, password_hash, agent_enabled)
       SELECT 'states' || i || '@bench.local', 'Bench ' || i, 'agent', 'x', true FROM generate_series(1, ${AGENTS}) i RETURNING id`,
    );
    const { rows: [{ id: reasonId }] } = await db.query<{ id: string }>(`INSERT INTO pause_reasons (name) VALUES ('Bench café') RETURNING id`);
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const engine = new Engine(db, new LocalBus(), clock);
    // every agent logged in (available) for the ordinary changes
    for (const a of agents) await engine.execute((u) => reduceStoredPresence(u, a.id, { type: 'login' }));
    const cycle: AgentEvent[] = [{ type: 'logout' }, { type: 'login' }, { type: 'pause', reasonId }, { type: 'resume' }];
    let turn = 0;

    const series = {
      ordinary: async (i: number) => {
        const a = agents[i % AGENTS].id;
        await engine.execute((u) => recordStateChange(u, a, Math.floor(i / AGENTS) % 2 ? 'available' : 'in_service', null));
      },
      presence: async (i: number) => {
        const a = agents[i % AGENTS].id;
        await engine.execute((u) => reduceStoredPresence(u, a, cycle[(Math.floor(i / AGENTS) + turn) % cycle.length]));
      },
    };
    for (const [kind, change] of Object.entries(series)) {
      const times = { on: [] as number[], off: [] as number[] };
      const timed = async (mode: 'on' | 'off', n: number) => {
        for (const tr of TRIGGERS) await db.query(`ALTER TABLE agent_state_history ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER ${tr}`);
        for (let i = 0; i < n; i++) {
          clock.advance(60_000);
          const t = performance.now();
          await change(i);
          times[mode].push(performance.now() - t);
        }
        // the presence cycle resumes where the agents are (whole cycles: n is a multiple of 4 × AGENTS)
        turn = (turn + n / AGENTS) % cycle.length;
      };
      await timed('on', AGENTS * 4); // warm
      times.on.length = 0;
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of (r % 2 ? ['on', 'off'] : ['off', 'on']) as ('on' | 'off')[]) await timed(mode, Math.ceil(PER_ROUND / (AGENTS * 4)) * AGENTS * 4);
      }
      for (const tr of TRIGGERS) await db.query(`ALTER TABLE agent_state_history ENABLE TRIGGER ${tr}`);
      const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
      emit({
        bench: 'agent-states', db: label, kind, changes: times.on.length,
        msPerChangeOff: +(sum(times.off) / times.off.length).toFixed(3), msPerChangeOn: +(sum(times.on) / times.on.length).toFixed(3),
        p50Off: +percentile(times.off, 50).toFixed(3), p50On: +percentile(times.on, 50).toFixed(3),
        ratio: +(sum(times.on) / times.on.length / (sum(times.off) / times.off.length)).toFixed(2),
      });
    }
  });
}
