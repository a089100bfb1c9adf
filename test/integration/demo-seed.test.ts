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

const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0].n;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  first = await seedDemo(db, DEFAULT_DEMO_PASSWORD);
  second = await seedDemo(db, DEFAULT_DEMO_PASSWORD);
  // a secret key of its own: without one the app would write a key file into ./data
  app = await buildApp({ db, config: { ...loadConfig({}), webDir: '/nonexistent', secretKey: 'demo-seed-test-secret-key' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
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
});
