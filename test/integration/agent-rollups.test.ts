import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebuildAgentRollups } from '../../src/engine/rollups/agents.js';
import { insertAgentState, insertConversation, insertMessage, newContact, sp } from '../support/report-traffic.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// The agents' rollups (migration 0032) against the raw rows: random conversations and messages (some
// written one message a statement, some as one multi-row INSERT), random state histories with pauses,
// rows that began days before the period, an open row, all around midnight in São Paulo. Produtividade
// por agente's TMR (read from agent_reply_rollups by an admin and by the team's supervisor), its time columns and Pausas (read from
// the state rows) must equal a plain TypeScript fold of what was written; and the rollups the insert
// trigger kept must equal the rebuild's.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-08-10';
const N = '2026-08-11';
const AFTER = '2026-08-12';
const BASE = sp(`${D} 20:00:00`).getTime();
const NOW = sp(`${N} 22:00:00`);
const STATES = ['available', 'in_service', 'paused', 'offline'] as const;

const message = fc.record({
  author: fc.constantFrom('customer', 'customer', 'agent', 'bot'),
  agent: fc.integer({ min: 0, max: 1 }),
  gap: fc.integer({ min: 1, max: 5 * 3600 }),
});
const conversation = fc.record({
  service: fc.integer({ min: 0, max: 1 }),
  agent: fc.integer({ min: 0, max: 1 }),
  // first assignment: up to 9 hours after 20:00 on the 10th (past midnight in São Paulo)
  assignedAfter: fc.integer({ min: 0, max: 9 * 3600 }),
  // the messages start up to 10 minutes before it (written to the bot or in the queue)
  firstMessageBefore: fc.integer({ min: 0, max: 600 }),
  messages: fc.array(message, { minLength: 1, maxLength: 10 }),
  finished: fc.boolean(),
  bulk: fc.boolean(),
});
const stateRow = fc.record({
  state: fc.constantFrom(...STATES),
  reason: fc.integer({ min: 0, max: 1 }),
  minutes: fc.integer({ min: 1, max: 600 }),
});
const history = fc.record({
  // the first row begins on the 8th and may last into the period (up to 60 hours)
  firstHours: fc.integer({ min: 1, max: 60 }),
  rows: fc.array(stateRow, { minLength: 1, maxLength: 14 }),
  open: fc.boolean(),
});

interface Msg { author: string; authorId: string | null; at: number }
interface Conv { service: number; agentId: string; firstAssignedAt: number; messages: Msg[] }
interface Row { user: string; state: string; reason: string | null; start: number; end: number | null }

const report = (id: string, qs: string) => admin.request('GET', `/api/reports/${id}?${qs}`);

/** The fold: each agent message that follows customer messages (in writing order) answers the first of them, timed from the assignment at the earliest. */
function replyFold(convs: Conv[], start: number, end: number, service?: number) {
  const out = new Map<string, { n: number; s: number }>();
  for (const c of convs) {
    if (service !== undefined && c.service !== service) continue;
    let pending: number | null = null;
    for (const m of c.messages) {
      if (m.author === 'customer') pending ??= m.at;
      if (m.author !== 'agent') continue;
      if (pending !== null && m.authorId && m.at >= start && m.at < end) {
        for (const k of [m.authorId, '']) {
          const w = out.get(k) ?? { n: 0, s: 0 };
          out.set(k, { n: w.n + 1, s: w.s + (m.at - Math.max(pending, c.firstAssignedAt)) / 1000 });
        }
      }
      pending = null;
    }
  }
  return out;
}

function timeFold(rows: Row[], start: number, end: number, now: number) {
  const cut = (r: Row) => (Math.min(r.end ?? now, end) - Math.max(r.start, start)) / 1000;
  return rows.filter((r) => r.start < end && (r.end ?? now) > start).map((r) => ({ ...r, seconds: cut(r) }));
}

const rollups = async () =>
  (await t.db.query<{ bucket: string; agent_id: string; service_id: string; channel: string; replies: number; reply_seconds: number }>(
    `SELECT bucket::text, agent_id, service_id, channel, replies, reply_seconds FROM agent_reply_rollups ORDER BY 1, 2, 3, 4`,
  )).rows;

describe('agent rollups against the raw rows', () => {
  it('TMR from the rollups, time and pauses from the state rows, equal a fold; the rebuild equals the trigger’s rows', async () => {
    t.clock.set(NOW);
    const reasons = (await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM pause_reasons WHERE name IN ('Almoço', 'Banheiro') ORDER BY name`)).rows;
    const contact = await newContact(t.db);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(conversation, { minLength: 1, maxLength: 6 }), fc.tuple(history, history), async (convs, histories) => {
        runs += 1;
        const team = await createTeam(admin);
        const agents = [
          await createUser(admin, { agentEnabled: true, teamIds: [team.id], name: `Prop ${runs} A` }),
          await createUser(admin, { agentEnabled: true, teamIds: [team.id], name: `Prop ${runs} B` }),
        ];
        const services = [
          await createService(admin, { channel: 'webchat', teamIds: [team.id] }),
          await createService(admin, { channel: 'whatsapp', teamIds: [team.id] }),
        ];
        // the team's supervisor reads the same rollups through their scope (the team's services)
        const boss = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
        const supervisor = await t.login(boss.email, boss.password);
        // conversations and their messages
        const written: Conv[] = [];
        for (const c of convs) {
          const firstAssignedAt = BASE + c.assignedAfter * 1000;
          let at = firstAssignedAt - c.firstMessageBefore * 1000;
          const messages: Msg[] = c.messages.map((m, i) => {
            if (i > 0) at += m.gap * 1000;
            return { author: m.author, authorId: m.author === 'agent' ? agents[m.agent].id : null, at };
          });
          const agentId = agents[c.agent].id;
          const id = await insertConversation(t.db, contact, {
            serviceId: services[c.service].id, channel: services[c.service].channel, state: c.finished ? 'completed' : 'in_service', agentId,
            firstQueuedAt: new Date(firstAssignedAt - 700_000), firstAssignedAt: new Date(firstAssignedAt), finishedAt: c.finished ? new Date(at + 60_000) : null,
          });
          if (c.bulk) {
            // one statement for all: the trigger sees them together
            const values = messages.map((_, i) => `($1, 'webchat', $${3 * i + 2}, $${3 * i + 3}::uuid, 'x', $${3 * i + 4}::timestamptz)`).join(', ');
            await t.db.query(`INSERT INTO messages (conversation_id, channel, author_type, author_id, body, created_at) VALUES ${values}`,
              [id, ...messages.flatMap((m) => [m.author, m.authorId, new Date(m.at)])]);
          } else {
            for (const m of messages) await insertMessage(t.db, id, m.author as 'customer' | 'agent' | 'bot', new Date(m.at), m.authorId);
          }
          written.push({ service: c.service, agentId, firstAssignedAt, messages });
        }
        // each agent's state rows, contiguous, from the 8th
        const rows: Row[] = [];
        for (const [k, h] of histories.entries()) {
          let at = sp('2026-08-08 18:00:00').getTime();
          const list = [{ state: 'available', reason: 0, minutes: h.firstHours * 60 }, ...h.rows];
          for (const [i, r] of list.entries()) {
            if (at > NOW.getTime()) break;
            const end = i === list.length - 1 && h.open ? null : at + r.minutes * 60_000;
            const reason = r.state === 'paused' ? reasons[r.reason].id : null;
            rows.push({ user: agents[k].id, state: r.state, reason, start: at, end });
            await insertAgentState(t.db, agents[k].id, r.state, new Date(at), end === null ? null : new Date(end), reason);
            if (end === null) break;
            at = end;
          }
        }

        for (const [from, to] of [[D, D], [N, N], [D, N]]) {
          const start = sp(`${from} 00:00:00`).getTime();
          const end = sp(`${to === D ? N : AFTER} 00:00:00`).getTime();
          for (const service of [undefined, 0, 1]) {
            const qs = `from=${from}&to=${to}&teamId=${team.id}${service === undefined ? '' : `&serviceId=${services[service].id}`}`;
            const r = await report('agents', qs);
            expect(r.status, JSON.stringify(r.body)).toBe(200);
            const want = replyFold(written, start, end, service);
            const tmr = (k: string) => { const w = want.get(k); return w ? Math.round(w.s / w.n) : null; };
            for (const a of agents) {
              const row = r.body.rows.find((x: any) => x.agent === a.name);
              expect(row?.tmr ?? null, `${qs} ${a.name}`).toBe(tmr(a.id));
            }
            expect(r.body.total.tmr, qs).toBe(tmr(''));
            const bySupervisor = await supervisor.request('GET', `/api/reports/agents?${qs}`);
            expect(bySupervisor.status).toBe(200);
            for (const a of agents) expect(bySupervisor.body.rows.find((x: any) => x.agent === a.name)?.tmr ?? null, `supervisor ${qs} ${a.name}`).toBe(tmr(a.id));
            expect(bySupervisor.body.total.tmr, `supervisor ${qs}`).toBe(tmr(''));
          }
          // time and pauses (the conversation filters do not touch them)
          const cut = timeFold(rows, start, end, NOW.getTime());
          const r = await report('agents', `from=${from}&to=${to}&teamId=${team.id}`);
          for (const a of agents) {
            const mine = cut.filter((x) => x.user === a.id);
            const sum = (state: string, reason?: string) => mine.filter((x) => x.state === state && (!reason || x.reason === reason)).reduce((n, x) => n + x.seconds, 0);
            const [ins, avail, paused] = [sum('in_service'), sum('available'), sum('paused')];
            const row = r.body.rows.find((x: any) => x.agent === a.name) ?? { logged: 0, in_service: 0, paused: 0, occupancy: null };
            expect(
              { logged: row.logged, in_service: row.in_service, paused: row.paused, occupancy: row.occupancy, lunch: row[`pause_${reasons[0].id}`] ?? 0 },
              `${from}..${to} ${a.name}`,
            ).toEqual({
              logged: Math.round(ins + avail + paused), in_service: Math.round(ins), paused: Math.round(paused),
              occupancy: ins + avail > 0 ? Math.round((ins * 10_000) / (ins + avail)) / 100 : null,
              lunch: Math.round(sum('paused', reasons[0].id)),
            });
          }
          const p = await report('pauses', `from=${from}&to=${to}&teamId=${team.id}`);
          const want = new Map<string, { count: number; secs: number }>();
          for (const x of cut.filter((y) => y.state === 'paused')) {
            const key = `${agents.find((a) => a.id === x.user)!.name}|${reasons.find((z) => z.id === x.reason)!.name}`;
            const w = want.get(key) ?? { count: 0, secs: 0 };
            want.set(key, { count: w.count + 1, secs: w.secs + x.seconds });
          }
          expect(new Map(p.body.rows.map((x: any) => [`${x.agent}|${x.reason}`, { count: x.count, duration: x.duration }])), `${from}..${to}`).toEqual(
            new Map([...want].map(([k, w]) => [k, { count: w.count, duration: Math.round(w.secs) }])),
          );
        }
      }),
      { numRuns: 12 },
    );
    expect(runs).toBe(12);

    // the rebuild (a window over all messages) writes what the trigger kept, row for row
    const kept = await rollups();
    expect(kept.length).toBeGreaterThan(10);
    expect(await t.db.transaction((tx) => rebuildAgentRollups(tx))).toBe(kept.length);
    const rebuilt = await rollups();
    expect(rebuilt.map(({ reply_seconds: _, ...k }) => k)).toEqual(kept.map(({ reply_seconds: _, ...k }) => k));
    rebuilt.forEach((r, i) => expect(r.reply_seconds).toBeCloseTo(kept[i].reply_seconds, 6));
  }, 180_000);

  it('a period not on 15-minute boundaries is not read from the rollups', async () => {
    // reports take whole local days; every zone's offset is a multiple of 15 minutes, so their bounds are buckets' bounds
    const { onBucket } = await import('../../src/engine/rollups/agents.js');
    expect(onBucket(sp(`${D} 00:00:00`))).toBe(true);
    expect(onBucket(new Date('2026-08-10T00:00:00+05:45'))).toBe(true);
    expect(onBucket(new Date('2026-08-10T00:00:00+05:50'))).toBe(false);
  });
});
