import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportInterval } from '../../src/contracts/reports.js';
import type { Actor } from '../../src/engine/actor.js';
import { runReport } from '../../src/engine/reports/run.js';
import { rebuildRollups } from '../../src/engine/rollups/rebuild.js';
import { createMetaWhatsApp } from '../../src/sandbox/meta-whatsapp.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { localTime } from '../support/intervals-fold.js';
import { eventually, metaWhatsAppAccount, startTestSandbox } from '../support/provider-sandbox.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Migration 0040's template rollups (Relatórios → Mensagens ativas) under random scripted traffic
// (fast-check): conversations, inbound and outbound, whose messages are written step by step, each step
// a statement of its own — templates sent (several in one conversation), their statuses moving
// (one receipt, or a batch of them in one statement), customer and agent messages before, between and
// after the templates, several messages written by one INSERT (as the inbound batch writes them),
// some messages deleted at once, payloads cleared (retention), conversations transferred to another
// service, reassigned (one at a time, and several in one statement as the router does) and deleted —
// from Sunday evening to Monday morning in São Paulo (midnight, a week's and a month's start). After
// each run: the incremental cells equal a rebuild, equal a fold of the raw rows, and the report (an
// admin with every interval and each filter, a supervisor with their own conversations outside their
// services, an agent) equals an independent TypeScript fold of the raw rows; then again after the
// time zone moves to Kolkata (+05:30) with more traffic written there.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

// Sunday 2026-05-31 20:00 in São Paulo: the scripts run into Monday 1 June (a new week and month)
const DAY0 = Date.parse('2026-05-31T20:00:00-03:00');
const FROM = '2026-05-30';
const TO = '2026-06-02';
const NOW = new Date('2026-06-10T12:00:00Z');
const NAMES = ['boas_vindas', 'cobranca', 'pesquisa'] as const;

let w: {
  services: { id: string; channel: string; name: string }[];
  agents: string[];
  sup: string;
  supServices: Set<string>;
  teamB: string;
  teamBServices: Set<string>;
  contact: string;
  names: Map<string, string>;
};

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  const chat = await createService(admin, { name: 'Chat Alfa', channel: 'webchat', teamIds: [teamA.id] });
  const waA = await createService(admin, { name: 'Zap Alfa', channel: 'whatsapp', teamIds: [teamA.id] });
  const waB = await createService(admin, { name: 'Zap Beta', channel: 'whatsapp', teamIds: [teamB.id] });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  const names = new Map((await t.db.query<{ id: string; name: string }>(`SELECT id, name FROM services`)).rows.map((r) => [r.id, r.name]));
  w = {
    services: [chat, waA, waB], agents: [a1.id, a2.id, b1.id, sup.id], sup: sup.id, supServices: new Set([chat.id, waA.id]),
    teamB: teamB.id, teamBServices: new Set([waB.id]), contact, names,
  };
});

const gap = fc.integer({ min: 0, max: 1_800 });
const kind = fc.constantFrom('template', 'template', 'customer', 'agent', 'customer_template');
const step = fc.oneof(
  fc.record({ k: fc.constant('message' as const), kind, name: fc.constantFrom(...NAMES), status: fc.constantFrom('pending', 'sent', 'delivered', 'read', 'failed'), gap }),
  // several messages in one INSERT (the inbound batch; a bulk load)
  fc.record({ k: fc.constant('batch' as const), kinds: fc.array(kind, { minLength: 2, maxLength: 4 }), name: fc.constantFrom(...NAMES), gap }),
  fc.record({ k: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom('sent', 'delivered', 'read', 'failed') }),
  // markDelivered: every pending or sent message of the conversation delivered in one statement
  fc.record({ k: fc.constant('receipts' as const) }),
  fc.record({ k: fc.constant('transfer' as const), svc: fc.nat(2) }),
  fc.record({ k: fc.constant('reassign' as const), agent: fc.constantFrom(null, 0, 1, 2, 3) }),
  // some of the conversation's messages deleted in one statement
  fc.record({ k: fc.constant('delete' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
);
const conversation = fc.record({
  svc: fc.nat(2),
  agent: fc.constantFrom(null, 0, 1, 2, 3),
  direction: fc.constantFrom('inbound', 'outbound'),
  // eight hours from Sunday 20:00, or the same a day later
  start: fc.integer({ min: 0, max: 8 * 3_600 - 1 }),
  day: fc.constantFrom(0, 0, 1),
  ms: fc.nat(999),
  steps: fc.array(step, { minLength: 1, maxLength: 10 }),
  // retention: the messages' text and payload cleared, or the conversation deleted
  end: fc.constantFrom('keep', 'keep', 'keep', 'purge', 'delete'),
});
type Script = typeof conversation extends fc.Arbitrary<infer T> ? T : never;
const together = fc.record({ pick: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), agent: fc.nat(3), svc: fc.nat(2) });

/** A message row as the statements below write it. */
function messageValues(kind: string, conv: string, channel: string, name: string, status: string, at: Date): unknown[] {
  const template = kind === 'template' || kind === 'customer_template';
  const author = kind === 'agent' || kind === 'template' ? 'agent' : 'customer';
  return [conv, channel, author, template ? 'template' : 'text', template ? JSON.stringify({ template: { name, language: 'pt_BR', parameters: [] } }) : null,
    template ? status : null, at];
}

async function insertMessages(rows: unknown[][]): Promise<void> {
  const values = rows.map((_, i) => `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, 'texto', $${i * 7 + 4}, $${i * 7 + 5}::jsonb, $${i * 7 + 6}, $${i * 7 + 7})`);
  await t.db.query(
    `INSERT INTO messages (conversation_id, channel, author_type, body, content_type, payload, delivery_status, created_at) VALUES ${values.join(', ')}`,
    rows.flat(),
  );
}

/** One conversation written step by step. */
async function play(s: Script): Promise<string> {
  const db = t.db;
  let svc = w.services[s.svc];
  let clock = DAY0 + s.day * 86_400_000 + s.start * 1000 + s.ms;
  const { rows: [{ id }] } = await db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, direction, state, agent_id, created_at)
     VALUES ($1, $2, $3, $4, $5, 'in_service', $6, $7) RETURNING id`,
    [unique('P'), svc.id, svc.channel, w.contact, s.direction, s.agent === null ? null : w.agents[s.agent], new Date(clock)],
  );
  const mine = async (where = 'TRUE') => (await db.query<{ id: string }>(`SELECT id FROM messages WHERE conversation_id = $1 AND ${where} ORDER BY id`, [id])).rows.map((r) => r.id);
  for (const st of s.steps) {
    if (st.k === 'message' || st.k === 'batch') {
      clock += st.gap * 1000;
      const kinds = st.k === 'message' ? [st.kind] : st.kinds;
      await insertMessages(kinds.map((k) => messageValues(k, id, svc.channel, st.name, st.k === 'message' ? st.status : 'pending', new Date(clock))));
    } else if (st.k === 'status') {
      const templates = await mine(`content_type = 'template'`);
      if (templates.length) await db.query(`UPDATE messages SET delivery_status = $2 WHERE id = $1`, [templates[st.pick % templates.length], st.status]);
    } else if (st.k === 'receipts') {
      await db.query(`UPDATE messages SET delivery_status = 'delivered' WHERE conversation_id = $1 AND delivery_status IN ('pending', 'sent')`, [id]);
    } else if (st.k === 'transfer') {
      svc = w.services[st.svc];
      await db.query(`UPDATE conversations SET service_id = $2, channel = $3 WHERE id = $1`, [id, svc.id, svc.channel]);
    } else if (st.k === 'reassign') {
      await db.query(`UPDATE conversations SET agent_id = $2 WHERE id = $1`, [id, st.agent === null ? null : w.agents[st.agent]]);
    } else {
      const all = await mine();
      if (all.length) await db.query(`DELETE FROM messages WHERE id = ANY($1::bigint[])`, [st.picks.map((p) => all[p % all.length])]);
    }
  }
  if (s.end === 'purge') await db.query(`UPDATE messages SET body = '', payload = NULL, content_purged_at = $2 WHERE conversation_id = $1`, [id, NOW]);
  if (s.end === 'delete') {
    await db.query(`DELETE FROM messages WHERE conversation_id = $1`, [id]);
    await db.query(`DELETE FROM conversations WHERE id = $1`, [id]);
  }
  return id;
}

interface RawTemplate {
  id: number;
  conversationId: string;
  name: string;
  status: string | null;
  at: Date;
  answered: boolean;
  serviceId: string;
  channel: string;
  agentId: string | null;
}

/** The templates of the raw rows, each with its conversation's service, channel and agent and whether a customer message followed it. */
async function rawTemplates(): Promise<RawTemplate[]> {
  const { rows: messages } = await t.db.query<{ id: string; conversation_id: string; author_type: string; content_type: string; payload: any; delivery_status: string | null; created_at: Date }>(
    `SELECT id, conversation_id, author_type, content_type, payload, delivery_status, created_at FROM messages`,
  );
  const { rows: convs } = await t.db.query<{ id: string; service_id: string; channel: string; agent_id: string | null }>(`SELECT id, service_id, channel, agent_id FROM conversations`);
  const conv = new Map(convs.map((c) => [c.id, c]));
  const lastCustomer = new Map<string, number>();
  for (const m of messages) {
    if (m.author_type === 'customer') lastCustomer.set(m.conversation_id, Math.max(lastCustomer.get(m.conversation_id) ?? 0, Number(m.id)));
  }
  return messages.filter((m) => m.content_type === 'template').map((m) => {
    const c = conv.get(m.conversation_id)!;
    return {
      id: Number(m.id), conversationId: m.conversation_id, name: m.payload?.template?.name ?? '?', status: m.delivery_status, at: m.created_at,
      answered: (lastCustomer.get(m.conversation_id) ?? 0) > Number(m.id), serviceId: c.service_id, channel: c.channel, agentId: c.agent_id,
    };
  });
}

const counts = (list: RawTemplate[]) => ({
  sent: list.length,
  delivered: list.filter((x) => x.status === 'delivered' || x.status === 'read').length,
  read: list.filter((x) => x.status === 'read').length,
  failed: list.filter((x) => x.status === 'failed').length,
  answered: list.filter((x) => x.answered).length,
});

function groupBy<T>(list: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) (out.get(key(x)) ?? out.set(key(x), []).get(key(x))!).push(x);
  return out;
}

/** The local start of the report's bucket of `d`: written with Intl, weeks from Monday, months from the 1st. */
function bucketOf(d: Date, tz: string, interval: ReportInterval): string {
  const l = localTime(d, tz);
  if (interval === 'month') return `${l.slice(0, 7)}-01 00:00:00`;
  if (interval === 'week') {
    const day = new Date(`${l.slice(0, 10)}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    return `${day.toISOString().slice(0, 10)} 00:00:00`;
  }
  if (interval === 'day') return `${l.slice(0, 10)} 00:00:00`;
  if (interval === 'hour') return `${l.slice(0, 13)}:00:00`;
  const step = interval === '15m' ? 15 : 30;
  return `${l.slice(0, 13)}:${String(Math.floor(Number(l.slice(14, 16)) / step) * step).padStart(2, '0')}:00`;
}

/** The rollup's cells the raw rows make: per local 15-minute slot × template × service × channel × agent. */
function foldCells(list: RawTemplate[], tz: string): string[] {
  return [...groupBy(list, (x) => JSON.stringify([bucketOf(x.at, tz, '15m'), x.name, x.serviceId, x.channel, x.agentId])).entries()]
    .map(([k, xs]) => JSON.stringify([...JSON.parse(k), ...Object.values(counts(xs))])).sort();
}

async function storedCells(): Promise<string[]> {
  const { rows } = await t.db.query<any>(
    `SELECT to_char(slot, 'YYYY-MM-DD HH24:MI:SS') AS slot, template, service_id, channel, agent_id, sent, delivered, read, failed, answered
       FROM template_rollups_15m`,
  );
  for (const r of rows.filter((x) => x.sent === 0)) expect(r, 'an emptied cell').toMatchObject({ delivered: 0, read: 0, failed: 0, answered: 0 });
  return rows.filter((r) => r.sent !== 0)
    .map((r) => JSON.stringify([r.slot, r.template, r.service_id, r.channel, r.agent_id, r.sent, r.delivered, r.read, r.failed, r.answered])).sort();
}

const adminActor: Actor = { id: null, name: 'admin', role: 'admin', teamIds: [], supervisedTeamIds: [] };
const supActor = (): Actor => ({ id: w.sup, name: 'sup', role: 'supervisor', teamIds: [], supervisedTeamIds: [] });
const agentActor = (): Actor => ({ id: w.agents[0], name: 'a1', role: 'agent', teamIds: [], supervisedTeamIds: [] });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The cells equal the fold, and the report equals the fold for each caller, interval and filter. */
async function check(tz: string, label: string): Promise<void> {
  const raw = await rawTemplates();
  expect(await storedCells(), `${label}: cells`).toEqual(foldCells(raw, tz));
  const cases: { actor: Actor; interval: ReportInterval; from?: string; to?: string; serviceId?: string; channel?: 'whatsapp'; teamId?: string; agentId?: string;
    only: (x: RawTemplate) => boolean }[] = [
    ...(['15m', '30m', 'hour', 'day', 'week', 'month'] as const).map((interval) => ({ actor: adminActor, interval, only: () => true })),
    { actor: adminActor, interval: 'hour', from: '2026-06-01', to: '2026-06-01', only: () => true },
    { actor: adminActor, interval: 'day', serviceId: w.services[1].id, only: (x) => x.serviceId === w.services[1].id },
    { actor: adminActor, interval: '30m', channel: 'whatsapp', only: (x) => x.channel === 'whatsapp' },
    { actor: adminActor, interval: 'day', teamId: w.teamB, only: (x) => w.teamBServices.has(x.serviceId) },
    { actor: adminActor, interval: 'hour', agentId: w.agents[0], only: (x) => x.agentId === w.agents[0] },
    { actor: supActor(), interval: 'hour', only: (x) => w.supServices.has(x.serviceId) || x.agentId === w.sup },
    { actor: supActor(), interval: 'week', only: (x) => w.supServices.has(x.serviceId) || x.agentId === w.sup },
    { actor: supActor(), interval: 'day', agentId: w.sup, only: (x) => x.agentId === w.sup },
    { actor: agentActor(), interval: 'day', only: (x) => x.agentId === w.agents[0] },
  ];
  for (const k of cases) {
    const from = k.from ?? FROM;
    const to = k.to ?? TO;
    const inPeriod = (x: RawTemplate) => { const day = localTime(x.at, tz).slice(0, 10); return day >= from && day <= to; };
    const want = [...groupBy(raw.filter((x) => inPeriod(x) && k.only(x)), (x) => JSON.stringify([bucketOf(x.at, tz, k.interval), x.name, w.names.get(x.serviceId)])).entries()]
      .map(([key, xs]) => { const [day, template, service] = JSON.parse(key); return { day, template, service, ...counts(xs) }; })
      .sort((a, b) => cmp(a.day, b.day) || cmp(a.template, b.template) || cmp(a.service, b.service));
    const r = await runReport(t.db, k.actor, 'outbound', { from, to, interval: k.interval, serviceId: k.serviceId, channel: k.channel, teamId: k.teamId, agentId: k.agentId }, 'pt', NOW);
    const name = `${label}: ${k.actor.role} ${k.interval} ${from}…${to} ${k.serviceId ? 'service' : ''}${k.channel ?? ''}${k.teamId ? 'team' : ''}${k.agentId ? 'agent' : ''}`;
    expect(r.timezone, name).toBe(tz);
    expect(r.rows, name).toEqual(want);
    expect(r.total, name).toEqual({ day: null, template: null, service: null, ...counts(raw.filter((x) => inPeriod(x) && k.only(x))) });
  }
}

async function rebuildEqual(label: string): Promise<void> {
  const incremental = await storedCells();
  await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-06-30' });
  expect(await storedCells(), `${label}: rebuild`).toEqual(incremental);
}

/** Several conversations reassigned (or transferred) in one statement, as the router assigns. */
async function moveTogether(ids: string[], m: { pick: boolean[]; agent: number; svc: number }): Promise<void> {
  const picked = ids.filter((_, i) => m.pick[i % m.pick.length]);
  const agents = picked.map((_, i) => w.agents[(m.agent + i) % w.agents.length]);
  await t.db.query(`UPDATE conversations c SET agent_id = v.agent_id FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent_id) WHERE c.id = v.id`, [picked, agents]);
  const svc = w.services[m.svc];
  await t.db.query(`UPDATE conversations SET service_id = $2, channel = $3 WHERE id = ANY($1::uuid[])`, [picked.filter((_, i) => i % 2 === 0), svc.id, svc.channel]);
}

async function clear(): Promise<void> {
  await t.db.query(`DELETE FROM messages`);
  await t.db.query(`DELETE FROM conversations`);
}

describe('template rollups (Mensagens ativas)', () => {
  it('equal the rebuild and the report equals a fold of the raw rows, over random traffic', async () => {
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 3, maxLength: 25 }), together, async (scripts, moved) => {
      // a failed run leaves its rows: each run starts from none
      await clear();
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-06-30' });
      const ids: string[] = [];
      for (const s of scripts) ids.push(await play(s));
      const alive = (await t.db.query<{ id: string }>(`SELECT id FROM conversations ORDER BY created_at, id`)).rows.map((r) => r.id);
      await moveTogether(alive, moved);
      await rebuildEqual('São Paulo');
      await check('America/Sao_Paulo', 'São Paulo');

      // the zone moves to Kolkata (+05:30): the settings' trigger rebuilds; more traffic is written there
      try {
        await t.db.query(`INSERT INTO settings (key, value) VALUES ('timezone', '"Asia/Kolkata"')`);
        await check('Asia/Kolkata', 'Kolkata');
        for (const s of scripts.slice(0, 5)) await play(s);
        await rebuildEqual('Kolkata, more traffic');
        await check('Asia/Kolkata', 'Kolkata, more traffic');
      } finally {
        await t.db.query(`DELETE FROM settings WHERE key = 'timezone'`);
      }
      await check('America/Sao_Paulo', 'São Paulo again');

      // retention deletes everything: nothing is left in the rollups
      await clear();
      expect(await storedCells()).toEqual([]);
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
  }, 600_000);
});

// Retention deleting conversations whose messages go with them (a foreign key that cascades, as the
// schema may come to have): the conversations' BEFORE DELETE trigger takes their templates away, and
// the messages' own trigger, run by the cascade, no longer finds the conversation.
describe('template rollups when a conversation delete cascades to its messages', () => {
  it('equal the rebuild and the fold', async () => {
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 3, maxLength: 12 }), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), async (scripts, gone) => {
      await clear();
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-06-30' });
      for (const s of scripts) await play(s);
      const ids = (await t.db.query<{ id: string }>(`SELECT id FROM conversations ORDER BY created_at, id`)).rows.map((r) => r.id);
      await t.db.transaction(async (tx) => {
        await tx.query(`ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey,
                          ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE`);
        await tx.query(`DELETE FROM conversations WHERE id = ANY($1::uuid[])`, [ids.filter((_, i) => gone[i % gone.length])]);
        await tx.query(`ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey,
                          ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id)`);
      });
      await rebuildEqual('cascade');
      await check('America/Sao_Paulo', 'cascade');
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
  }, 600_000);
});

// The same through the engine's own statements: templates sent from the desk (outbound conversations),
// the provider's receipts by webhook (sent, delivered, read; one failed), the customer's answers by
// webhook (the inbound path's one-statement batch), a transfer to a colleague and to another service.
describe('template rollups through the engine', () => {
  const wa = createMetaWhatsApp();
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox([wa.provider]);
  });
  afterAll(() => sb?.close());

  it('follow sends, receipts, answers and transfers', async () => {
    await clear();
    const { account, phoneNumberId } = await metaWhatsAppAccount(t.url, admin, sb, wa);
    const team = await createTeam(admin, { maxChat: 8 });
    const agent = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const colleague = await createUser(admin, { agentEnabled: true, teamIds: [team.id] });
    const service = await createService(admin, { name: 'Zap Gama', channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
    const other = await createService(admin, { name: 'Zap Delta', channel: 'whatsapp', channelAccountId: account.id, teamIds: [team.id] });
    for (const s of [service, other]) w.names.set(s.id, s.name);
    const desk = await t.login(agent.email, agent.password);
    const desk2 = await t.login(colleague.email, colleague.password);
    expect((await desk.post('/api/agent/login')).status).toBe(200);
    expect((await desk2.post('/api/agent/login')).status).toBe(200);
    const category = (await admin.post('/api/template-categories', { code: 800000 + Math.floor(Math.random() * 99999), title: unique('Aviso'), type: 'notification' })).body;
    const template = (await admin.post('/api/templates', {
      categoryId: category.id, name: unique('Retorno'), channelAccountId: account.id, providerTemplate: `retorno_${randomBytes(4).toString('hex')}`,
      providerCategory: 'UTILITY', language: 'pt_BR', body: 'Olá {{1}}, retornando sobre {{2}}.', examples: ['Ana', 'seu pedido'],
    })).body;
    const { providerId } = (await admin.post(`/api/templates/${template.id}/submit`)).body;
    await wa.reviewTemplate(providerId, 'APPROVED');
    await eventually(async () => expect((await admin.get(`/api/templates/${template.id}`)).body.status).toBe('APPROVED'));

    const customers = [0, 1, 2, 3].map(() => `5511${String(900000000 + Math.floor(Math.random() * 99999999))}`);
    const convs: string[] = [];
    for (const waId of customers) {
      const r = await desk.post('/api/conversations/outbound', { serviceId: service.id, templateId: template.id, parameters: ['Ana', 'seu pedido'], phone: `+${waId}` });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      convs.push(r.body.conversation.id);
    }
    await t.runtime.outbox.tick();
    const sent = customers.map((waId) => wa.sent.find((m) => m.to === waId)!);
    await wa.sendReceipts(phoneNumberId, sent[0].id, ['sent', 'delivered', 'read']);
    await wa.sendReceipts(phoneNumberId, sent[1].id, ['sent', 'delivered']);
    await wa.sendReceipts(phoneNumberId, sent[2].id, ['failed'], { code: 131026, title: 'Message undeliverable' });
    await t.settle();
    // two customers answer; one conversation goes to a colleague, another to the other service
    expect((await wa.customerSays(phoneNumberId, { waId: customers[0], name: 'Ana' }, 'oi')).status).toBe(200);
    expect((await wa.customerSays(phoneNumberId, { waId: customers[1], name: 'Bia' }, 'pode falar')).status).toBe(200);
    await t.settle();
    expect((await desk.post(`/api/conversations/${convs[0]}/transfer`, { toAgentId: colleague.id })).status).toBe(200);
    expect((await desk.post(`/api/conversations/${convs[3]}/transfer`, { toServiceId: other.id })).status).toBe(200);
    await t.settle();
    await wa.sendReceipts(phoneNumberId, sent[3].id, ['sent', 'delivered', 'read']);
    await t.settle();

    // the webhooks answer once their payload is stored: receipts and answers are applied right after
    const raw = await eventually(async () => {
      // in the order the conversations were opened (rawTemplates sorts by its own key)
      const list = (await rawTemplates()).filter((x) => convs.includes(x.conversationId))
        .sort((a, b) => convs.indexOf(a.conversationId) - convs.indexOf(b.conversationId));
      expect(list.map((x) => [x.status, x.answered])).toEqual([['read', true], ['delivered', true], ['failed', false], ['read', false]]);
      return list;
    });
    expect(raw[0].agentId).toBe(colleague.id);
    expect(raw[3].serviceId).toBe(other.id);
    const tz = 'America/Sao_Paulo';
    expect(await storedCells()).toEqual(foldCells(await rawTemplates(), tz));
    await rebuildEqual('engine');
    const day = localTime(raw[0].at, tz).slice(0, 10);
    const r = await runReport(t.db, adminActor, 'outbound', { from: day, to: day, interval: 'day' }, 'pt', raw[0].at);
    expect(r.rows).toEqual([
      { day: `${day} 00:00:00`, template: template.providerTemplate, service: 'Zap Delta', sent: 1, delivered: 1, read: 1, failed: 0, answered: 0 },
      { day: `${day} 00:00:00`, template: template.providerTemplate, service: 'Zap Gama', sent: 3, delivered: 2, read: 1, failed: 1, answered: 2 },
    ]);
  });
});
