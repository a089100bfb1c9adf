import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertConversation, insertHistory, newContact, sp } from '../support/report-traffic.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Produtividade por agente's Atendidos, TMA and transfers against a TypeScript fold of what was
// written: random conversations assigned around midnight in São Paulo, some transferred (to the other
// agent, or back to the queue and then to the other agent), ended hours later or not at all, written
// in one INSERT or opened and then moved by UPDATEs as the engine does (the rollup trigger's two
// paths). Atendidos and TMA of whole local days are read from conversation_rollups_finished
// (migration 0031), the transfers from migration 0037's indexes; an admin's, a filtered and a
// supervisor's run (whose scope leaves out a service of another team) must all equal the fold.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-09-14';
const N = '2026-09-15';
const AFTER = '2026-09-16';
const BASE = sp(`${D} 20:00:00`).getTime();
const NOW = sp(`${AFTER} 06:00:00`);

const conversation = fc.record({
  // 0, 1: the team's services (webchat, whatsapp); 2: another team's
  service: fc.integer({ min: 0, max: 2 }),
  agent: fc.integer({ min: 0, max: 1 }),
  // first assignment up to 8 hours after 20:00 on the 14th (past midnight in São Paulo)
  assignedAfter: fc.integer({ min: 0, max: 8 * 3600 }),
  transfer: fc.constantFrom('none', 'none', 'agent', 'queue'),
  transferAfter: fc.integer({ min: 1, max: 3 * 3600 }),
  // handled by the last agent for up to 10 hours, or still open
  handle: fc.option(fc.integer({ min: 1, max: 10 * 3600 }), { freq: 4 }),
  byUpdates: fc.boolean(),
});

interface Written { service: number; agentId: string; assignedAt: number; finishedAt: number | null; transfers: { at: number; from: string; to: string | null }[] }

const report = (c: Client, qs: string) => c.request('GET', `/api/reports/agents?${qs}`);

/** The fold: ended in [start, end) with a last agent, their own part (end − their assignment); transfers by their instant. */
function fold(convs: Written[], start: number, end: number, services: number[]) {
  const out = new Map<string, { n: number; s: number; made: number; received: number }>();
  const of = (k: string) => out.get(k) ?? out.set(k, { n: 0, s: 0, made: 0, received: 0 }).get(k)!;
  for (const c of convs) {
    if (!services.includes(c.service)) continue;
    if (c.finishedAt !== null && c.finishedAt >= start && c.finishedAt < end) {
      for (const k of [c.agentId, '']) {
        of(k).n += 1;
        of(k).s += (c.finishedAt - c.assignedAt) / 1000;
      }
    }
    for (const x of c.transfers.filter((y) => y.at >= start && y.at < end)) {
      for (const k of [x.from, '']) of(k).made += 1;
      if (x.to) for (const k of [x.to, '']) of(k).received += 1;
    }
  }
  return out;
}

describe('Atendidos, TMA and transfers against a fold', () => {
  it('whole local days read from the daily rollups equal the fold of the conversations, in every scope and filter', async () => {
    t.clock.set(NOW);
    const contact = await newContact(t.db);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(conversation, { minLength: 1, maxLength: 8 }), async (convs) => {
        runs += 1;
        const [team, other] = [await createTeam(admin), await createTeam(admin)];
        const agents = [
          await createUser(admin, { agentEnabled: true, teamIds: [team.id], name: `Atend ${runs} A` }),
          await createUser(admin, { agentEnabled: true, teamIds: [team.id], name: `Atend ${runs} B` }),
        ];
        const services = [
          await createService(admin, { channel: 'webchat', teamIds: [team.id] }),
          await createService(admin, { channel: 'whatsapp', teamIds: [team.id] }),
          await createService(admin, { channel: 'webchat', teamIds: [other.id] }),
        ];
        const boss = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
        const supervisor = await t.login(boss.email, boss.password);

        const written: Written[] = [];
        for (const c of convs) {
          const svc = services[c.service];
          const first = agents[c.agent].id;
          const second = agents[1 - c.agent].id;
          const firstAssignedAt = BASE + c.assignedAfter * 1000;
          const moved = c.transfer === 'none' ? null : firstAssignedAt + c.transferAfter * 1000;
          // back to the queue, then the other agent takes it a minute later
          const assignedAt = moved === null ? firstAssignedAt : c.transfer === 'queue' ? moved + 60_000 : moved;
          const agentId = moved === null ? first : second;
          const finishedAt = c.handle === null ? null : assignedAt + c.handle * 1000;
          const final = {
            serviceId: svc.id, channel: svc.channel, state: finishedAt === null ? 'in_service' : 'completed', agentId,
            firstQueuedAt: new Date(firstAssignedAt - 90_000), firstAssignedAt: new Date(firstAssignedAt), assignedAt: new Date(assignedAt),
            finishedAt: finishedAt === null ? null : new Date(finishedAt),
          };
          let id: string;
          if (c.byUpdates) {
            // opened in service with the first agent, then transferred and ended by UPDATEs (the trigger's update path)
            id = await insertConversation(t.db, contact, { ...final, state: 'in_service', agentId: first, assignedAt: new Date(firstAssignedAt), finishedAt: null });
            if (moved !== null) await t.db.query(`UPDATE conversations SET agent_id = $2, assigned_at = $3 WHERE id = $1`, [id, agentId, new Date(assignedAt)]);
            if (finishedAt !== null) await t.db.query(`UPDATE conversations SET state = 'completed', finished_at = $2 WHERE id = $1`, [id, new Date(finishedAt)]);
          } else {
            id = await insertConversation(t.db, contact, final);
          }
          // the state rows: assigned to the first agent; a transfer (to the other agent, or to the queue and then assigned)
          const transfers: Written['transfers'] = [];
          const end = finishedAt === null ? null : new Date(finishedAt);
          await insertHistory(t.db, id, svc.id, 'in_service', first, 'assigned', new Date(firstAssignedAt), moved === null ? end : new Date(moved));
          if (moved !== null && c.transfer === 'agent') {
            await insertHistory(t.db, id, svc.id, 'in_service', second, 'transferred', new Date(moved), end);
            transfers.push({ at: moved, from: first, to: second });
          } else if (moved !== null) {
            await insertHistory(t.db, id, svc.id, 'queued', null, 'transferred', new Date(moved), new Date(assignedAt));
            await insertHistory(t.db, id, svc.id, 'in_service', second, 'assigned', new Date(assignedAt), end);
            transfers.push({ at: moved, from: first, to: null });
          }
          written.push({ service: c.service, agentId, assignedAt, finishedAt, transfers });
        }

        for (const [from, to] of [[D, D], [N, N], [D, N]]) {
          const start = sp(`${from} 00:00:00`).getTime();
          const end = sp(`${to === D ? N : AFTER} 00:00:00`).getTime();
          const runsOf: [string, Client, string, number[]][] = [
            ['admin', admin, '', [0, 1, 2]],
            ['admin, service', admin, `&serviceId=${services[1].id}`, [1]],
            ['admin, channel', admin, '&channel=webchat', [0, 2]],
            ['supervisor', supervisor, '', [0, 1]],
          ];
          for (const [who, client, filter, seen] of runsOf) {
            const qs = `from=${from}&to=${to}&teamId=${team.id}${filter}`;
            const r = await report(client, qs);
            expect(r.status, JSON.stringify(r.body)).toBe(200);
            const want = fold(written, start, end, seen);
            const figures = (w: { n: number; s: number; made: number; received: number } | undefined) =>
              ({ answered: w?.n ?? 0, tma: w?.n ? Math.round(w.s / w.n) : null, made: w?.made ?? 0, received: w?.received ?? 0 });
            const got = (row: any) => ({ answered: row?.answered ?? 0, tma: row?.tma ?? null, made: row?.transfers_made ?? 0, received: row?.transfers_received ?? 0 });
            for (const a of agents) {
              expect(got(r.body.rows.find((x: any) => x.agent === a.name)), `${who} ${qs} ${a.name}`).toEqual(figures(want.get(a.id)));
            }
            expect(got(r.body.total), `${who} ${qs} total`).toEqual(figures(want.get('')));
          }
        }
      }),
      { numRuns: 10 },
    );
    expect(runs).toBe(10);
  }, 180_000);
});
