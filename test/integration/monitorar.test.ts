import { describe, expect, it } from 'vitest';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Monitorar's API: the groups' counts and every group's rows, paged, checked against an in-memory
// computation over the conversations table read plainly (the day by Intl in the time zone, the scope
// by the teams this file built), never against the module's own SQL.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const TZ = 'America/Sao_Paulo';
const OPEN = new Set(['triage', 'bot', 'queued', 'in_service']);
const STATE_ORDER = ['triage', 'bot', 'queued', 'in_service', 'completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'];
const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const minusDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const arrive = (serviceId: string, channel: any, subject: string | null = null) =>
  receiveInbound(t.runtime.engine, {
    serviceId, channel, contact: { externalId: unique('c'), name: unique('Cliente') }, externalId: unique('m'), text: 'oi', subject,
  });

interface Plain {
  id: string; protocol: string; channel: string; state: string; service_id: string; agent_id: string | null; subject: string | null;
  created_at: Date; first_queued_at: Date | null; first_assigned_at: Date | null; finished_at: Date | null; last_message_at: Date | null;
  contact_name: string | null; agent_name: string | null; service_name: string;
}

/** Every conversation, read with plain selects and joined here. */
async function everything(): Promise<Plain[]> {
  const [cs, contacts, users, services] = await Promise.all([
    t.db.query<any>('SELECT * FROM conversations'),
    t.db.query<any>('SELECT id, name FROM contacts'),
    t.db.query<any>('SELECT id, name FROM users'),
    t.db.query<any>('SELECT id, name FROM services'),
  ]);
  const name = (rows: any[]) => new Map<string, string>(rows.map((r) => [r.id, r.name]));
  const [ct, us, sv] = [name(contacts.rows), name(users.rows), name(services.rows)];
  return cs.rows.map((c) => ({
    ...c, contact_name: ct.get(c.contact_id) ?? null, agent_name: c.agent_id ? (us.get(c.agent_id) ?? null) : null, service_name: sv.get(c.service_id)!,
  }));
}

const keyOf = (view: string, c: Plain) =>
  view === 'status' ? c.state : view === 'service' ? c.service_id : view === 'agent' ? (c.agent_id ?? 'none') : c.channel;

function expected(all: Plain[], view: string, period: string, visible: (c: Plain) => boolean) {
  const today = dayOf(t.clock.now());
  const inPeriod = (c: Plain) =>
    period === 'open' ? OPEN.has(c.state) : dayOf(c.created_at) === (period === 'today' ? today : minusDay(today));
  const rows = all.filter((c) => visible(c) && inPeriod(c));
  const groups = new Map<string, Plain[]>();
  for (const c of rows) groups.set(keyOf(view, c), [...(groups.get(keyOf(view, c)) ?? []), c]);
  const dir = period === 'open' ? 1 : -1;
  for (const list of groups.values()) {
    list.sort((a, b) => dir * (a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }
  return groups;
}

/** Every row of a group, page after page. */
async function allRows(c: Client, base: string, group: string, limit: number) {
  const out: any[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const r: any = await c.get(`${base}&group=${group}&limit=${limit}${after ? `&after=${after}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...r.body.rows);
    after = r.body.nextCursor;
    if (!after) return out;
  }
  throw new Error('too many pages');
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe('Monitorar: GET /api/monitor/conversations', () => {
  let teamA: any;
  let teamB: any;
  let chatA: any;
  let waA: any;
  let smsB: any;
  let supA: Client;
  let supB: Client;
  let agentDesk: Client;
  let mine: string[] = [];

  it('builds a day of conversations: open, finished, yesterday’s, another team’s', async () => {
    teamA = await createTeam(admin, { maxChat: 2 });
    teamB = await createTeam(admin);
    const agents = await Promise.all([1, 2].map(() => createUser(admin, { agentEnabled: true, teamIds: [teamA.id] })));
    chatA = await createService(admin, { channel: 'webchat', teamIds: [teamA.id] });
    waA = await createService(admin, { channel: 'whatsapp', teamIds: [teamA.id] });
    smsB = await createService(admin, { channel: 'sms', teamIds: [teamB.id] });
    const sa = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
    const sb = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamB.id] });
    supA = await t.login(sa.email, sa.password);
    supB = await t.login(sb.email, sb.password);
    const desks = await Promise.all(agents.map((a) => t.login(a.email, a.password)));
    agentDesk = desks[0];
    await desks[0].post('/api/agent/login');
    await desks[1].post('/api/agent/login');
    for (let i = 0; i < 5; i++) mine.push((await arrive(chatA.id, 'webchat', i === 0 ? 'Segunda via' : null)).conversationId);
    for (let i = 0; i < 4; i++) mine.push((await arrive(waA.id, 'whatsapp')).conversationId);
    for (let i = 0; i < 3; i++) await arrive(smsB.id, 'sms');
    await t.settle();
    const held = (await desks[0].get('/api/conversations')).body.items;
    expect(held.length).toBeGreaterThanOrEqual(2);
    await desks[0].post(`/api/conversations/${held[0].id}/finish`, { outcome: 'completed' });
    await desks[0].post(`/api/conversations/${held[1].id}/finish`, { outcome: 'cancelled' });
    await t.settle();
    // two of team A's started yesterday (one still open, one finished), one of them the day before
    await t.db.query(`UPDATE conversations SET created_at = created_at - interval '1 day' WHERE id = ANY($1::uuid[])`, [[mine[7], held[0].id]]);
    await t.db.query(`UPDATE conversations SET created_at = created_at - interval '2 days' WHERE id = $1`, [mine[8]]);
    mine = mine.filter(Boolean);
  });

  for (const view of ['status', 'service', 'agent', 'channel']) {
    for (const period of ['open', 'today', 'yesterday']) {
      it(`${view} × ${period}: groups, counts and every row agree with an independent computation (admin and team A’s supervisor)`, async () => {
        const all = await everything();
        const scopeA = new Set([chatA.id, waA.id]);
        for (const [who, visible] of [
          [admin, () => true],
          [supA, (c: Plain) => scopeA.has(c.service_id)],
        ] as const) {
          const base = `/api/monitor/conversations?view=${view}&period=${period}`;
          const res = await who.get(base);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const want = expected(all, view, period, visible);
          const got = res.body;
          expect(got.total).toBe([...want.values()].reduce((a, l) => a + l.length, 0));
          expect(Object.fromEntries(got.groups.map((g: any) => [g.key, g.count]))).toEqual(Object.fromEntries([...want].map(([k, l]) => [k, l.length])));
          if (view === 'status') expect(got.groups.map((g: any) => g.key)).toEqual([...want.keys()].sort((a, b) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b)));
          for (const g of got.groups) {
            const first = want.get(g.key)![0];
            if (view === 'service') expect(g.label).toBe(first.service_name);
            if (view === 'agent') expect(g.label).toBe(first.agent_name);
            if (view === 'agent' && g.key === 'none') expect(got.groups.at(-1).key).toBe('none');
            const rows = await allRows(who, base, g.key, 2);
            expect(rows.map((r) => r.id)).toEqual(want.get(g.key)!.map((c) => c.id));
            expect(rows).toEqual(want.get(g.key)!.map((c) => ({
              id: c.id, protocol: c.protocol, channel: c.channel, contactName: c.contact_name, agentId: c.agent_id, agentName: c.agent_name,
              serviceId: c.service_id, serviceName: c.service_name, state: c.state, subject: c.subject, createdAt: iso(c.created_at),
              firstQueuedAt: iso(c.first_queued_at), firstAssignedAt: iso(c.first_assigned_at), finishedAt: iso(c.finished_at), lastMessageAt: iso(c.last_message_at),
            })));
          }
          if (period === 'open') expect(got.day).toBeNull();
          else expect(got.day).toBe(period === 'today' ? dayOf(t.clock.now()) : minusDay(dayOf(t.clock.now())));
        }
      });
    }
  }

  it('the data covers what the views must show: several states, Sem agente, yesterday, a subject', async () => {
    const all = (await everything()).filter((c) => mine.includes(c.id) || c.state === 'completed' || c.state === 'cancelled');
    expect(new Set(all.map((c) => c.state)).size).toBeGreaterThanOrEqual(3);
    const today = (await admin.get(`/api/monitor/conversations?view=agent&period=today`)).body;
    expect(today.groups.some((g: any) => g.key === 'none')).toBe(true);
    const yesterday = (await admin.get('/api/monitor/conversations?view=status&period=yesterday')).body;
    expect(yesterday.total).toBe(2);
    const subj = [
      ...(await admin.get(`/api/monitor/conversations?view=channel&period=today&group=webchat&limit=200`)).body.rows,
      ...(await admin.get(`/api/monitor/conversations?view=channel&period=yesterday&group=webchat&limit=200`)).body.rows,
    ];
    expect(subj.filter((r: any) => r.subject === 'Segunda via')).toHaveLength(1);
  });

  it('filters by service and channel', async () => {
    const all = await everything();
    const byService = (await admin.get(`/api/monitor/conversations?view=status&period=today&serviceId=${waA.id}`)).body;
    const want = expected(all, 'status', 'today', (c) => c.service_id === waA.id);
    expect(byService.total).toBe([...want.values()].reduce((a, l) => a + l.length, 0));
    const byChannel = (await admin.get('/api/monitor/conversations?view=service&period=open&channel=sms')).body;
    expect(byChannel.groups.map((g: any) => g.key)).toEqual([smsB.id]);
    expect(byChannel.groups[0].count).toBe(expected(all, 'service', 'open', (c) => c.channel === 'sms').get(smsB.id)!.length);
  });

  it('scope: a supervisor of another team sees none of team A’s conversations; agents 403; anonymous 401', async () => {
    for (const view of ['status', 'service', 'agent', 'channel']) {
      for (const period of ['open', 'today', 'yesterday']) {
        const base = `/api/monitor/conversations?view=${view}&period=${period}`;
        const res = (await supB.get(base)).body;
        for (const g of res.groups) {
          const rows = await allRows(supB, base, g.key, 200);
          expect(rows.every((r) => r.serviceId === smsB.id)).toBe(true);
          expect(rows.some((r) => mine.includes(r.id))).toBe(false);
        }
        expect(res.total).toBe(period === 'yesterday' ? 0 : 3);
      }
    }
    // asking for team A's groups by name gives nothing either
    expect((await supB.get(`/api/monitor/conversations?view=service&period=today&group=${chatA.id}`)).body.rows).toEqual([]);
    expect((await supB.get('/api/monitor/conversations?view=channel&period=today&group=webchat')).body.rows).toEqual([]);
    expect((await supB.get(`/api/monitor/conversations?view=status&period=today&serviceId=${chatA.id}`)).body.total).toBe(0);
    expect((await agentDesk.get('/api/monitor/conversations?view=status&period=open')).status).toBe(403);
    expect((await t.anonymous().get('/api/monitor/conversations?view=status&period=open')).status).toBe(401);
  });

  it('bad parameters answer 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['view=stauts&period=open', 'view'],
      ['period=open', 'view'],
      ['view=status&period=week', 'period'],
      ['view=status', 'period'],
      ['view=status&period=open&group=closed', 'group'],
      ['view=service&period=open&group=not-a-uuid', 'group'],
      ['view=agent&period=open&group=nobody', 'group'],
      ['view=channel&period=open&group=fax', 'group'],
      ['view=status&period=open&after=abc', 'after'],
      ['view=status&period=open&limit=10', 'limit'],
      ['view=status&period=open&group=queued&limit=0', 'limit'],
      ['view=status&period=open&group=queued&limit=201', 'limit'],
      ['view=status&period=open&group=queued&after=bm90LWEtY3Vyc29y', 'after'],
      ['view=status&period=open&serviceId=42', 'serviceId'],
      ['view=status&period=open&channel=fax', 'channel'],
      ['view=status&period=open&color=blue', 'color'],
    ];
    for (const [qs, field] of cases) {
      const r = await admin.get(`/api/monitor/conversations?${qs}`);
      expect(r.status, qs).toBe(400);
      expect(r.body.error.issues.map((i: any) => i.path.replace(/^querystring\./, '')), qs).toContain(field);
    }
    // a cursor of the open list does not page a day (another order)
    const open = (await admin.get('/api/monitor/conversations?view=status&period=open&group=queued&limit=1')).body;
    expect(open.nextCursor).toBeTruthy();
    const r = await admin.get(`/api/monitor/conversations?view=status&period=today&group=queued&after=${open.nextCursor}`);
    expect(r.status).toBe(400);
    expect(r.body.error.issues[0].path).toBe('after');
    expect(r.body.error.message).toMatch(/cursor/);
  });
});
