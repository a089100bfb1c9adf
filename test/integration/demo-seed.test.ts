import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CHANNELS } from '../../src/contracts/common.js';
import type { Database } from '../../src/db/database.js';
import { DEFAULT_DEMO_PASSWORD, demoPassword, seedDemo } from '../../src/engine/demo-seed.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { Client, freshDatabase } from '../support/test-app.js';

let db: Database;
let drop: () => Promise<void>;
let app: FastifyInstance;
let url: string;
let first: Awaited<ReturnType<typeof seedDemo>>;
let second: Awaited<ReturnType<typeof seedDemo>>;

// 15:00 in São Paulo: "today" started at 03:00 UTC
const NOW = new Date('2026-03-18T18:00:00Z');
const TODAY_START = new Date('2026-03-18T03:00:00Z');

const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0].n;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  // a week of history is enough to check its shape (the demo writes 30 days)
  first = await seedDemo(db, DEFAULT_DEMO_PASSWORD, { historyDays: 7, now: NOW });
  second = await seedDemo(db, DEFAULT_DEMO_PASSWORD, { historyDays: 7, now: NOW });
  // a secret key of its own: without one the app would write a key file into ./data
  app = await buildApp({ db, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'demo-seed-test-secret-key' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 180_000); // the seed writes a week of history: generous on a loaded machine
afterAll(async () => {
  await app?.close();
  await drop?.();
});

async function signIn(email: string, password = DEFAULT_DEMO_PASSWORD) {
  const c = new Client(url);
  const r = await c.post('/api/auth/login', { email, password });
  return { c, r };
}

describe('demo seed', () => {
  it('creates each thing once, however often it runs', async () => {
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(await count(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@mirante.demo'`)).toBe(24);
    expect(await count(`SELECT count(*)::int AS n FROM users WHERE email ~ '^agente[0-9]+@mirante\\.demo$' AND agent_enabled`)).toBe(20);
    expect(await count('SELECT count(*)::int AS n FROM teams')).toBe(5);
    expect(await count('SELECT count(*)::int AS n FROM services')).toBe(10);
    expect(await count('SELECT count(*)::int AS n FROM template_categories WHERE code = 1')).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM templates')).toBeGreaterThanOrEqual(3);
    expect(await count('SELECT count(*)::int AS n FROM classifications')).toBeGreaterThanOrEqual(5);
  });

  it('lets the supervisor and an agent sign in with the demo password, each with the right scope', async () => {
    const sup = await signIn('supervisor@mirante.demo');
    expect(sup.r.status).toBe(200);
    expect(sup.r.body.role).toBe('supervisor');
    expect(sup.r.body.supervisedTeamIds).toHaveLength(5);
    const teams = await sup.c.get('/api/teams');
    expect(teams.body.items.map((t: { name: string }) => t.name).sort()).toEqual(
      ['Atendimento Geral', 'Financeiro', 'Ouvidoria', 'Suporte Técnico', 'Vendas'],
    );

    const agent = await signIn('agente7@mirante.demo');
    expect(agent.r.status).toBe(200);
    expect(agent.r.body).toMatchObject({ role: 'agent', agentEnabled: true, language: 'pt-BR' });
    expect(agent.r.body.teamIds.length).toBeGreaterThanOrEqual(1);

    expect((await signIn('agente7@mirante.demo', 'wrong-password')).r.status).toBe(401);
  });

  it('gives the partial supervisors only their teams, and some agents two teams', async () => {
    const sup2 = await signIn('supervisor2@mirante.demo');
    expect(sup2.r.status).toBe(200);
    const names = (await sup2.c.get('/api/teams')).body.items.map((t: { name: string }) => t.name).sort();
    expect(names).toEqual(['Financeiro', 'Ouvidoria']);
    expect(await count(`SELECT count(*)::int AS n FROM (SELECT user_id FROM team_agents GROUP BY user_id HAVING count(*) > 1) x`)).toBeGreaterThan(0);
  });

  it('has a service on every channel, team-linked, with targets; e-mail triage on one e-mail service', async () => {
    const admin = await signIn('admin@mirante.demo');
    expect(admin.r.body.role).toBe('admin');
    const services = (await admin.c.get('/api/services')).body.items as Array<Record<string, any>>;
    for (const ch of CHANNELS) expect(services.some((s) => s.channel === ch), ch).toBe(true);
    for (const s of services) {
      expect(s.teamIds.length, s.name).toBeGreaterThan(0);
      expect(s.serviceLevelSeconds).toBeGreaterThan(0);
      expect(s.tmaGoalSeconds).toBeGreaterThan(0);
    }
    expect(services.filter((s) => s.emailTriage).map((s) => s.channel)).toEqual(['email']);
    const cat = (await admin.c.get('/api/template-categories')).body.items[0];
    expect(cat).toMatchObject({ code: 1, title: 'Atualização de protocolo', type: 'protocol_update' });
    const templates = (await admin.c.get('/api/templates')).body.items as Array<{ body: string; categoryId: string }>;
    for (const t of templates) {
      expect(t.body).toContain('{{protocolo}}');
      expect(t.categoryId).toBe(cat.id);
    }
    const pauses = (await admin.c.get('/api/pause-reasons')).body.items.map((p: { name: string }) => p.name);
    expect(pauses).toEqual(expect.arrayContaining(['Banheiro', 'Almoço', 'Descanso']));
  });

  it('writes every creation to the audit log, and no password', async () => {
    const rows = (await db.query<{ entity: string; n: number }>(
      `SELECT entity, count(*)::int AS n FROM audit_log WHERE action = 'create' AND actor_name = 'demo-seed' GROUP BY entity`,
    )).rows;
    const byEntity = Object.fromEntries(rows.map((r) => [r.entity, r.n]));
    expect(byEntity).toMatchObject({ team: 5, user: 24, service: 10, template_category: 1 });
    expect(byEntity.classification).toBeGreaterThanOrEqual(5);
    expect(byEntity.template).toBeGreaterThanOrEqual(3);
    const leaked = await count(`SELECT count(*)::int AS n FROM audit_log WHERE after::text LIKE $1`, [`%${DEFAULT_DEMO_PASSWORD}%`]);
    expect(leaked).toBe(0);
  });

  it('takes the password from MIRANTE_DEMO_PASSWORD, demo1234 otherwise', () => {
    expect(demoPassword({})).toBe('demo1234');
    expect(demoPassword({ MIRANTE_DEMO_PASSWORD: 'outra-senha' })).toBe('outra-senha');
  });

  it('writes the past days of finished work once, every stage in order, before today in São Paulo', async () => {
    expect(first.history).toMatchObject({ days: 7 });
    expect(first.history!.conversations).toBeGreaterThan(700);
    expect(first.history!.messages).toBeGreaterThan(first.history!.conversations * 4);
    expect(second.history).toBeNull();
    // every conversation finished, on one of the 7 days before today
    expect(await count(`SELECT count(*)::int AS n FROM conversations WHERE finished_at IS NULL OR created_at >= $1 OR created_at < $2`, [
      TODAY_START, new Date(TODAY_START.getTime() - 7 * 86_400_000),
    ])).toBe(0);
    // the stages in order, as the engine stamps them
    expect(await count(`SELECT count(*)::int AS n FROM conversations WHERE
        bot_ended_at < bot_started_at OR queued_at < created_at OR assigned_at < queued_at OR first_agent_message_at < assigned_at
        OR finished_at < coalesce(first_agent_message_at, assigned_at, queued_at, bot_ended_at, created_at)
        OR (assigned_at IS NULL) <> (agent_id IS NULL) OR (state IN ('completed', 'cancelled') AND finished_by = 'agent' AND agent_id IS NULL)`)).toBe(0);
    // protocols: the local day and a sequence, unique; the day's sequence continues after them
    expect(await count(`SELECT count(*)::int AS n FROM conversations WHERE protocol <> to_char(created_at AT TIME ZONE 'America/Sao_Paulo', 'YYYYMMDD') || substr(protocol, 9)`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM conversations c JOIN protocol_sequences p ON p.day = to_date(substr(c.protocol, 1, 8), 'YYYYMMDD') WHERE substr(c.protocol, 9)::int > p.last`)).toBe(0);
    // every service and every end state of the demo is there; e-mail never abandons
    expect(await count(`SELECT count(DISTINCT service_id)::int AS n FROM conversations`)).toBe(10);
    const states = (await db.query<{ state: string }>('SELECT DISTINCT state FROM conversations ORDER BY 1')).rows.map((r) => r.state);
    expect(states).toEqual(['abandoned', 'cancelled', 'completed', 'connection_lost', 'customer_gave_up', 'inactive_in_service']);
    // the bot's menu answered in every bot conversation that left it: its choice recorded as the stage
    // records it live (Pré-atendimento's options), from the main menu's labels
    expect(await count(`SELECT count(*)::int AS n FROM conversations c WHERE c.bot_started_at IS NOT NULL AND c.state <> 'customer_gave_up'
        AND (SELECT count(*) FROM bot_choices b WHERE b.conversation_id = c.id) <> 1`)).toBe(0);
    const labels = (await db.query<{ label: string }>('SELECT DISTINCT label FROM bot_choices ORDER BY 1')).rows.map((r) => r.label);
    expect(labels).toEqual(['Falar com atendente', 'Financeiro', 'Suporte técnico']);
    // the wrap-up form answered on most completed conversations, with the form's own options
    const answered = (await db.query<{ motivo: string; n: number }>(
      `SELECT c.wrapup->>'motivo' AS motivo, count(*)::int AS n FROM conversations c WHERE c.wrapup ? 'motivo' GROUP BY 1`)).rows;
    expect(answered.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(first.history!.conversations / 4);
    expect(answered.map((r) => r.motivo).sort()).toEqual(['Cancelamento', 'Dúvida', 'Elogio', 'Reclamação', 'Solicitação']);
    // one history row per stage, the last left open
    expect(await count(`SELECT count(*)::int AS n FROM conversations c WHERE (SELECT count(*) FROM conversation_state_history h WHERE h.conversation_id = c.id AND h.ended_at IS NULL) <> 1`)).toBe(0);
    // agents: no two states at once, and whoever answered was in service at that moment
    expect(await count(`SELECT count(*)::int AS n FROM agent_state_history a JOIN agent_state_history b
        ON a.user_id = b.user_id AND a.id < b.id AND a.started_at < b.ended_at AND b.started_at < a.ended_at`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM conversations c WHERE c.assigned_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM agent_state_history h WHERE h.user_id = c.agent_id AND h.state = 'in_service' AND h.started_at <= c.assigned_at AND h.ended_at >= c.assigned_at)`)).toBe(0);
    const pauses = (await db.query<{ name: string }>(`SELECT DISTINCT r.name FROM agent_state_history h JOIN pause_reasons r ON r.id = h.pause_reason_id`)).rows.map((r) => r.name).sort();
    expect(pauses).toEqual(['Almoço', 'Banheiro', 'Descanso']);
  });

  it('shows the history where a supervisor looks back: Consultas for yesterday', async () => {
    const sup = await signIn('supervisor@mirante.demo');
    const r = await sup.c.get('/api/lookback/conversations?from=2026-03-17&to=2026-03-17&limit=50');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toHaveLength(50);
    expect(r.body.total).toBeGreaterThan(50);
  });
});
