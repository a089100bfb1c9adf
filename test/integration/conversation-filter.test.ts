import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { getSettings } from '../../src/engine/settings.js';
import { conversationFilterSql, parseConversationFilter, type ConversationFilter } from '../../src/engine/queries/conversation-filter.js';
import { freshDatabase, unique } from '../support/test-app.js';

// The filter's SQL against a TypeScript fold over the same seeded rows.

interface Seeded {
  id: string;
  protocol: string;
  serviceId: string;
  channel: string;
  state: string;
  agentId: string | null;
  classificationId: string | null;
  createdAt: Date;
  contact: { name: string | null; email: string | null; phone: string | null; identities: { externalId: string; displayName: string | null }[] };
  messages: { author: string; body: string }[];
}

let db: Database;
let timeZone: string;
const rows: Seeded[] = [];
const services: { id: string; channel: string }[] = [];
const agents: string[] = [];
const classes: string[] = [];

const STATES = ['queued', 'in_service', 'completed', 'cancelled', 'abandoned', 'customer_gave_up'];
const CONTACTS = [
  { name: 'João da Silva', email: 'joao@exemplo.com.br', phone: '+5511999990001', identities: [{ externalId: '5511999990001', displayName: 'João S.' }] },
  { name: 'Maria Souza', email: null, phone: '+5521988880002', identities: [{ externalId: 'maria.souza', displayName: null }] },
  { name: null, email: 'sem.nome@exemplo.com', phone: null, identities: [{ externalId: 'visitor-7f3a', displayName: null }] },
  { name: 'Ana 50% Off', email: null, phone: null, identities: [{ externalId: '@ana_insta', displayName: 'Ana Promo' }] },
  { name: 'Carlos Lima', email: 'carlos@lima.dev', phone: '+5531977770003', identities: [] },
];
const BODIES = ['Quero a segunda via do boleto', 'Meu BOLETO venceu', 'Olá, bom dia', 'Obrigado!', 'Cancelar pedido 123', 'Boa tarde'];

/** The local calendar day of an instant in São Paulo (UTC−3 all year since 2019). */
const spDay = (t: Date) => new Date(t.getTime() - 3 * 3600_000).toISOString().slice(0, 10);
const has = (v: string | null, q: string) => v !== null && v.toLowerCase().includes(q.toLowerCase());

/** The filter's meaning, written plainly over the seeded rows. */
function fold(f: ConversationFilter): string[] {
  return rows
    .filter((r) => {
      if (f.from && f.to && (spDay(r.createdAt) < f.from || spDay(r.createdAt) > f.to)) return false;
      if (f.serviceIds && !f.serviceIds.includes(r.serviceId)) return false;
      if (f.channels && !(f.channels as string[]).includes(r.channel)) return false;
      if (f.states && !(f.states as string[]).includes(r.state)) return false;
      if (f.agentIds && (r.agentId === null || !f.agentIds.includes(r.agentId))) return false;
      if (f.classificationIds && (r.classificationId === null || !f.classificationIds.includes(r.classificationId))) return false;
      if (f.protocol && r.protocol !== f.protocol) return false;
      if (f.origin) {
        const c = r.contact;
        const q = f.origin;
        if (![c.name, c.email, c.phone, ...c.identities.flatMap((i) => [i.externalId, i.displayName])].some((v) => has(v, q))) return false;
      }
      if (f.text && !r.messages.some((m) => m.author !== 'system' && has(m.body, f.text as string))) return false;
      return true;
    })
    .map((r) => r.id)
    .sort();
}

async function viaSql(input: unknown, lead?: { sql: string; value: unknown }): Promise<string[]> {
  const f = conversationFilterSql(parseConversationFilter(input), { alias: 'c', timeZone, firstParam: lead ? 2 : 1 });
  const where = lead ? `${lead.sql} AND ${f.sql}` : f.sql;
  const r = await db.query<{ id: string }>(`SELECT c.id FROM conversations c WHERE ${where} ORDER BY c.id`, lead ? [lead.value, ...f.params] : f.params);
  return r.rows.map((x) => x.id).sort();
}

beforeAll(async () => {
  let drop: () => Promise<void>;
  ({ db, drop } = await freshDatabase());
  timeZone = (await getSettings(db)).timezone;
  for (const channel of ['webchat', 'api', 'whatsapp']) {
    const r = await db.query<{ id: string }>(`INSERT INTO services (name, key, channel) VALUES ($1, $2, $3) RETURNING id`, [unique('Serviço'), randomUUID(), channel]);
    services.push({ id: r.rows[0].id, channel });
  }
  for (let i = 0; i < 3; i++) {
    const r = await db.query<{ id: string }>(`INSERT INTO users (email, name, role, password_hash, agent_enabled) VALUES ($1, $2, 'agent', 'x', true) RETURNING id`, [
      `${randomUUID()}@test.local`, unique('Agente'),
    ]);
    agents.push(r.rows[0].id);
  }
  for (let i = 0; i < 2; i++) {
    const r = await db.query<{ id: string }>(`INSERT INTO classifications (code, name) VALUES ($1, $2) RETURNING id`, [randomUUID(), unique('Classe')]);
    classes.push(r.rows[0].id);
  }
  const contactIds: string[] = [];
  for (const c of CONTACTS) {
    const r = await db.query<{ id: string }>(`INSERT INTO contacts (name, email, phone) VALUES ($1, $2, $3) RETURNING id`, [c.name, c.email, c.phone]);
    contactIds.push(r.rows[0].id);
    for (const i of c.identities) {
      await db.query(`INSERT INTO contact_identities (contact_id, channel, external_id, display_name) VALUES ($1, 'whatsapp', $2, $3)`, [r.rows[0].id, i.externalId, i.displayName]);
    }
  }
  // 40 conversations every 97 minutes from 2024-05-09 20:00 UTC (17:00 in São Paulo): about three
  // local days, with local midnights (03:00 UTC) that are not UTC's
  for (let k = 0; k < 40; k++) {
    const service = services[k % 3];
    const state = STATES[(k * 5) % STATES.length];
    const agentId = state === 'queued' || state === 'abandoned' ? null : agents[k % 3];
    const classificationId = state === 'completed' ? classes[k % 2] : null;
    const ci = (k * 3) % CONTACTS.length;
    const createdAt = new Date(Date.UTC(2024, 4, 9, 20) + k * 97 * 60_000);
    const messages = [
      { author: 'system', body: `Protocolo ${k}: boleto e segunda via pelo site` },
      { author: 'customer', body: BODIES[k % BODIES.length] },
      ...(k % 4 === 0 ? [{ author: 'agent', body: BODIES[(k + 1) % BODIES.length] }] : []),
    ];
    const protocol = `20240509${String(k).padStart(6, '0')}`;
    const r = await db.query<{ id: string }>(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, agent_id, classification_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [protocol, service.id, service.channel, contactIds[ci], state, agentId, classificationId, createdAt],
    );
    const id = r.rows[0].id;
    for (const m of messages) {
      await db.query(`INSERT INTO messages (conversation_id, channel, author_type, body) VALUES ($1, $2, $3, $4)`, [id, service.channel, m.author, m.body]);
    }
    rows.push({ id, protocol, serviceId: service.id, channel: service.channel, state, agentId, classificationId, createdAt, contact: CONTACTS[ci], messages });
  }
  return () => drop();
});

describe('conversationFilterSql against a fold over the seeded rows', () => {
  const cases: [string, () => Record<string, unknown>][] = [
    ['a one-day period (São Paulo’s day, not UTC’s)', () => ({ from: '2024-05-10', to: '2024-05-10' })],
    ['a two-day period', () => ({ from: '2024-05-09', to: '2024-05-10' })],
    ['services', () => ({ serviceIds: [services[0].id, services[2].id] })],
    ['a channel', () => ({ channels: 'api' })],
    ['states', () => ({ states: 'completed,abandoned' })],
    ['an agent', () => ({ agentIds: [agents[1]] })],
    ['a classification', () => ({ classificationIds: [classes[0]] })],
    ['a protocol', () => ({ protocol: rows[7].protocol })],
    ['origin: part of a name, in another case', () => ({ origin: 'silva' })],
    ['origin: part of a phone', () => ({ origin: '98888' })],
    ['origin: an identity’s handle', () => ({ origin: 'ana_insta' })],
    ['origin: an e-mail', () => ({ origin: 'lima.dev' })],
    ['origin: a % taken literally', () => ({ origin: '50%' })],
    ['free text, in another case, system notices left out', () => ({ text: 'boleto' })],
    ['three combined: period, states, origin', () => ({ from: '2024-05-10', to: '2024-05-11', states: ['completed', 'in_service', 'cancelled'], origin: 'a' })],
    ['three combined: channels, agents, text', () => ({ channels: ['webchat', 'whatsapp'], agentIds: [agents[0], agents[2]], text: 'OBRIGADO' })],
    ['three combined: services, classification, period', () => ({ serviceIds: [services[1].id, services[2].id], classificationIds: classes, from: '2024-05-09', to: '2024-05-11' })],
  ];

  it.each(cases)('%s', async (_, make) => {
    const input = make();
    const expected = fold(parseConversationFilter(input));
    // a case that selects nothing, or everything, would not tell a broken condition from a right one
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(rows.length);
    expect(await viaSql(input)).toEqual(expected);
  });

  it('the seeded period crosses local midnights that are not UTC’s', () => {
    const utcDays = new Set(rows.map((r) => r.createdAt.toISOString().slice(0, 10)));
    const localDays = new Set(rows.map((r) => spDay(r.createdAt)));
    expect(localDays).toEqual(new Set(['2024-05-09', '2024-05-10', '2024-05-11', '2024-05-12']));
    expect(rows.some((r) => r.createdAt.toISOString().slice(0, 10) !== spDay(r.createdAt))).toBe(true);
    expect(utcDays.size).toBeGreaterThan(0);
  });

  it('composes after the caller’s own parameters', async () => {
    const input = { states: ['completed', 'cancelled'], origin: 'o' };
    const expected = fold(parseConversationFilter(input)).filter((id) => rows.find((r) => r.id === id)?.serviceId !== services[0].id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await viaSql(input, { sql: 'c.service_id <> $1', value: services[0].id })).toEqual(expected);
  });

  it('an empty filter is every conversation', async () => {
    expect(await viaSql({})).toHaveLength(rows.length);
  });
});
