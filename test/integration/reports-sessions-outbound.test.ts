import { allowAuditRewrite } from '../../src/engine/audit.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { hms, parseCsv } from '../support/csv.js';
import { seeded } from '../support/indicators-fold.js';
import { insertConversation, insertMessage } from '../support/report-rows.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Relatórios 8 (Sessões de agentes) on real logins, logouts and a connection loss moved by the clock,
// and 9 (Mensagens ativas) on raw template messages with their delivery statuses; figures by hand.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const NEXT = '2026-03-11';
const local = (day: string, hms: string) => new Date(`${day}T${hms}-03:00`);
const pt = (c: Client, path: string) => c.request('GET', path, undefined, { 'accept-language': 'pt-BR' });
const rowsOf = (body: any, key: string, name: string) => body.rows.filter((r: any) => r[key] === name);

let teamA: any, teamB: any, supA: Client;
beforeAll(async () => {
  teamA = await createTeam(admin);
  teamB = await createTeam(admin);
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  supA = await t.login(sup.email, sup.password);
});

describe('8. Sessões de agentes', () => {
  let a1: any, a2: any;
  beforeAll(async () => {
    a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
    a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
    t.clock.set(local(D, '09:00:00'));
    const d1 = await t.login(a1.email, a1.password);
    const d2 = await t.login(a2.email, a2.password);
    // the sign-in's audit row is stamped by the database's clock: put it on the scripted day
    // the sign-in's audit row to the scripted time (the log is append-only: a test says it rewrites)
    await t.db.transaction(async (tx) => {
      await allowAuditRewrite(tx);
      await tx.query(`UPDATE audit_log SET at = $2 WHERE actor_id = $1 AND action = 'login'`, [a1.id, local(D, '08:59:00')]);
    });
    const ok = async (c: Client, path: string) => expect((await c.post(path)).status).toBe(200);
    await ok(d1, '/api/agent/login');
    await ok(d2, '/api/agent/login');
    t.clock.set(local(D, '09:10:00'));
    await ok(d2, '/api/agent/logout');
    t.clock.set(local(D, '10:00:00'));
    await ok(d1, '/api/agent/logout');
    t.clock.set(local(D, '11:00:00'));
    await ok(d1, '/api/agent/login');
    // no heartbeat: the 60 s grace runs out and the system logs the agent out
    t.clock.set(local(D, '11:01:01'));
    await t.runtime.scheduler.tick();
    await t.settle();
    t.clock.set(local(D, '20:00:00'));
    await ok(d1, '/api/agent/login');
    await t.settle();
    // now: 02:00 of the next day, a1 still logged in
    t.clock.set(local(NEXT, '02:00:00'));
  });

  it('logins, logouts, connection losses, first login, last logout, time logged', async () => {
    const r = await pt(admin, `/api/reports/sessions?from=${D}&to=${D}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // a1: 09:00–10:00, 11:00–11:01:01 (lost), 20:00–24:00 of D
    expect(rowsOf(r.body, 'agent', a1.name)).toEqual([{
      agent: a1.name, signIns: 1, logins: 3, logouts: 2, connectionLosses: 1,
      firstLogin: `${D} 09:00:00`, lastLogout: `${D} 11:01:01`, timeLogged: 3600 + 61 + 4 * 3600,
    }]);
    expect(rowsOf(r.body, 'agent', a2.name)).toEqual([{
      agent: a2.name, signIns: 0, logins: 1, logouts: 1, connectionLosses: 0, firstLogin: `${D} 09:00:00`, lastLogout: `${D} 09:10:00`, timeLogged: 600,
    }]);
    // the next day: still logged in since 20:00, two hours so far, no login of its own
    const next = await pt(admin, `/api/reports/sessions?from=${NEXT}&to=${NEXT}`);
    expect(rowsOf(next.body, 'agent', a1.name)).toEqual([{
      agent: a1.name, signIns: 0, logins: 0, logouts: 0, connectionLosses: 0, firstLogin: null, lastLogout: null, timeLogged: 7200,
    }]);
    const both = await pt(admin, `/api/reports/sessions?from=${D}&to=${NEXT}&agentId=${a1.id}`);
    expect(both.body.rows).toHaveLength(1);
    expect(both.body.total).toMatchObject({ logins: 3, logouts: 2, connectionLosses: 1, timeLogged: 3600 + 61 + 6 * 3600 });
  });

  it('random sessions of contiguous states match a plain fold over the sessions', async () => {
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
    const rnd = seeded(808);
    const day0 = local('2026-06-01', '00:00:00').getTime();
    const sessions: { start: number; end: number | null }[] = [];
    let clock = day0 - 5 * 3600_000;
    while (clock < day0 + 3 * 86_400_000) {
      const start = clock;
      const rows = rnd.int(1, 5);
      for (let i = 0; i < rows; i++) {
        const from = clock;
        clock += (rnd.next() < 0.3 ? 0 : rnd.int(1, 4 * 3600)) * 1000; // a state of up to 4 h; zero-length ones (two changes in one instant) too
        const open = clock >= day0 + 3 * 86_400_000 && i === rows - 1;
        await t.db.query(
          `INSERT INTO agent_state_history (user_id, state, started_at, ended_at) VALUES ($1, $2, $3, $4)`,
          [agent.id, rnd.pick(['available', 'paused', 'in_service']), new Date(from), open ? null : new Date(clock)],
        );
        if (open) { sessions.push({ start, end: null }); break; }
        if (i === rows - 1) sessions.push({ start, end: clock });
      }
      clock += rnd.int(1, 6 * 3600) * 1000; // a gap: logged out
    }
    const now = clock + 3600_000;
    t.clock.set(now);
    const text = (ms: number) => new Date(ms - 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    for (const day of ['2026-06-01', '2026-06-02', '2026-06-03']) {
      const s = local(day, '00:00:00').getTime();
      const e = s + 86_400_000;
      const ins = sessions.filter((x) => x.start >= s && x.start < e).map((x) => x.start);
      const outs = sessions.filter((x) => x.end !== null && x.end >= s && x.end < e).map((x) => x.end!);
      const logged = sessions.reduce((n, x) => n + Math.max(0, Math.min(x.end ?? now, e) - Math.max(x.start, s)), 0) / 1000;
      const r = await admin.get(`/api/reports/sessions?from=${day}&to=${day}&agentId=${agent.id}`);
      expect(r.body.rows, day).toEqual([{
        agent: agent.name, signIns: 0, logins: ins.length, logouts: outs.length, connectionLosses: 0,
        firstLogin: ins.length ? text(Math.min(...ins)) : null, lastLogout: outs.length ? text(Math.max(...outs)) : null, timeLogged: Math.round(logged),
      }]);
    }
    t.clock.set(local(NEXT, '02:00:00'));
  });

  it('a supervisor sees only their teams’ agents; the team filter', async () => {
    const sup = await pt(supA, `/api/reports/sessions?from=${D}&to=${D}`);
    expect(sup.body.rows.map((x: any) => x.agent)).toEqual([a1.name]);
    const b = await pt(admin, `/api/reports/sessions?from=${D}&to=${D}&teamId=${teamB.id}`);
    expect(b.body.rows.map((x: any) => x.agent)).toEqual([a2.name]);
  });

  it('downloads as CSV: local times as Brazilians write them, durations HH:MM:SS', async () => {
    const r = await pt(admin, `/api/reports/sessions?from=${D}&to=${D}&agentId=${a1.id}&format=csv`);
    expect(r.status).toBe(200);
    const table = await parseCsv(String(r.body).replace(/^\uFEFF/, ''));
    expect(table[0]).toEqual(['Agente', 'Acessos ao sistema', 'Logins', 'Logouts', 'Perdas de conexão', 'Primeiro login', 'Último logout', 'Tempo logado']);
    expect(table[1]).toEqual([a1.name, '1', '3', '2', '1', '10/03/2026 09:00:00', '10/03/2026 11:01:01', hms(18_061)]);
    expect(table[2][0]).toBe('Total');
  });
});

describe('9. Mensagens ativas', () => {
  let waA: any, waB: any;
  beforeAll(async () => {
    waA = await createService(admin, { name: unique('A Zap'), channel: 'whatsapp', teamIds: [teamA.id] });
    waB = await createService(admin, { name: unique('B Zap'), channel: 'whatsapp', teamIds: [teamB.id] });
    const conv = (svc: any, at: Date) => insertConversation(t.db, { serviceId: svc.id, channel: 'whatsapp', state: 'in_service', direction: 'outbound', createdAt: at });
    const msg = (conversationId: string, authorType: string, at: Date, extra: Record<string, unknown> = {}) =>
      insertMessage(t.db, { conversationId, channel: 'whatsapp', authorType, body: 'texto', at, ...extra });
    const template = (conversationId: string, name: string, at: Date, deliveryStatus: string) =>
      msg(conversationId, 'agent', at, { contentType: 'template', payload: { template: { name, language: 'pt_BR', parameters: [] } }, deliveryStatus });
    const o1 = await conv(waA, local(D, '10:00:00'));
    await template(o1, 'boas_vindas', local(D, '10:00:00'), 'read');
    await msg(o1, 'customer', local(D, '10:05:00'));
    const o2 = await conv(waA, local(D, '11:00:00'));
    await template(o2, 'boas_vindas', local(D, '11:00:00'), 'failed');
    const o3 = await conv(waA, local(D, '23:30:00')); // 02:30Z of the next day: still the 10th in São Paulo
    await template(o3, 'cobranca', local(D, '23:30:00'), 'delivered');
    await msg(o3, 'agent', local(D, '23:40:00'));
    const o4 = await conv(waA, local(NEXT, '07:00:00'));
    await msg(o4, 'customer', local(NEXT, '07:00:00')); // before the template: not an answer to it
    await template(o4, 'boas_vindas', local(NEXT, '08:00:00'), 'sent');
    const o5 = await conv(waB, local(D, '10:00:00'));
    await template(o5, 'boas_vindas', local(D, '10:00:00'), 'read');
    await msg(o5, 'customer', local(D, '12:00:00'));
  });

  it('per template × service × day: sent, delivered, read, failed, answered', async () => {
    const r = await pt(admin, `/api/reports/outbound?from=${D}&to=${NEXT}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.interval).toBe('day');
    const mine = r.body.rows.filter((x: any) => x.service === waA.name || x.service === waB.name);
    expect(mine).toEqual([
      { day: `${D} 00:00:00`, template: 'boas_vindas', service: waA.name, sent: 2, delivered: 1, read: 1, failed: 1, answered: 1 },
      { day: `${D} 00:00:00`, template: 'boas_vindas', service: waB.name, sent: 1, delivered: 1, read: 1, failed: 0, answered: 1 },
      { day: `${D} 00:00:00`, template: 'cobranca', service: waA.name, sent: 1, delivered: 1, read: 0, failed: 0, answered: 0 },
      { day: `${NEXT} 00:00:00`, template: 'boas_vindas', service: waA.name, sent: 1, delivered: 0, read: 0, failed: 0, answered: 0 },
    ]);
    expect(r.body.total).toEqual({ day: null, template: null, service: null, sent: 5, delivered: 3, read: 2, failed: 1, answered: 2 });
    const hourly = await pt(admin, `/api/reports/outbound?from=${D}&to=${D}&serviceId=${waA.id}`);
    expect(hourly.body.rows.map((x: any) => [x.day, x.sent])).toEqual([[`${D} 10:00:00`, 1], [`${D} 11:00:00`, 1], [`${D} 23:00:00`, 1]]);
  });

  it('a supervisor sees only their teams’ services', async () => {
    const r = await pt(supA, `/api/reports/outbound?from=${D}&to=${NEXT}`);
    expect(new Set(r.body.rows.map((x: any) => x.service))).toEqual(new Set([waA.name]));
    expect(r.body.total.sent).toBe(4);
  });
});
