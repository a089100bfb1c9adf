import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { DEFAULT_DEMO_PASSWORD, seedDemo } from '../../src/engine/demo-seed.js';
import { runDemo, type RunningDemo } from '../../src/demo/simulator.js';
import type { Database } from '../../src/db/database.js';
import { expectOutbound } from '../support/outbound-guard.js';
import { freePort } from '../support/dovecot.js';
import { Client, freshDatabase, TEST_SECRET_KEY } from '../support/test-app.js';

// `npm run demo` for a few simulated hours at high speed, against the real HTTP API on a real database
// with its background loops running (routing, timers, outbox): customers on every channel (the
// providers' ones through the in-process sandbox, WebChat through the widget's protocol, the API
// channel, e-mail by SMTP to the app's own listener), agents through the agent API. PUBLIC_URL is a public address, as in production: the
// sandbox delivers Telegram's and Twilio's webhooks on loopback and signs the public URL.

const SPEED = 120;
const RUN_MS = 80_000;
const PUBLIC_URL = 'https://mirante-demo.example.com';

let db: Database;
let drop: () => Promise<void>;
let app: FastifyInstance;
let url: string;
let demo: RunningDemo;
let supervisor: Client;
let runStart: Date;
let runEnd: Date;
const lines: string[] = [];
/** logged-in agents seen by the monitor while the demo ran */
const online: number[] = [];

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  // two weeks of history: enough for last week's Indicadores, quick to write
  await seedDemo(db, DEFAULT_DEMO_PASSWORD, { historyDays: 14 });
  const smtpPort = await freePort();
  const config = { ...loadConfig({}), webDir: '/nonexistent', secretKey: TEST_SECRET_KEY, trustProxy: ['loopback'], publicUrl: PUBLIC_URL, smtpListenPort: smtpPort };
  // no runtime given: the app starts its own, background loops included, on the real clock
  app = await buildApp({ db, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  expectOutbound(url);
  supervisor = new Client(url);
  expect((await supervisor.post('/api/auth/login', { email: 'supervisor@mirante.demo', password: DEFAULT_DEMO_PASSWORD })).status).toBe(200);

  runStart = new Date();
  demo = await runDemo({ url, rate: 1.2, agents: 12, speed: SPEED, hour: 10, password: DEFAULT_DEMO_PASSWORD, smtpPort, log: (l) => lines.push(l), onServer: (u) => void expectOutbound(u) });
  const until = Date.now() + RUN_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5000));
    const snap = await supervisor.get('/api/monitor/snapshot');
    if (snap.status === 200) online.push(snap.body.agents.total);
  }
  await demo.stop();
  runEnd = new Date();
}, 170_000);

// closing lets every request in flight finish (server/shutdown.ts): on a loaded machine that can take a while
afterAll(async () => {
  await app?.close();
  await drop?.();
}, 120_000);

const sinceRun = async <T>(sql: string) => (await db.query<T>(sql, [runStart])).rows;

describe('the demo at --speed', () => {
  it('ran a few simulated hours, and Mirante refused none of the simulator\'s requests', () => {
    const hours = ((runEnd.getTime() - runStart.getTime()) * SPEED) / 3_600_000;
    expect(hours).toBeGreaterThan(2.5);
    expect(demo.counters.requests).toBeGreaterThan(500);
    expect(demo.counters.refused, lines.slice(-30).join('\n')).toEqual([]);
    // and Mirante sent nothing the sandbox refused (a malformed send, a closed window)
    expect(demo.counters.providerErrors).toEqual([]);
  });

  it('kept the agents online the whole time', async () => {
    expect(online.length).toBeGreaterThan(10);
    // all twelve signed in within the first simulated minutes, and none dropped after
    expect(online.slice(2).every((n) => n === 12), `logged-in agents over time: ${online.join(', ')}`).toBe(true);
    const offline = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM agent_state_history WHERE state = 'offline' AND started_at >= $1`);
    expect(offline[0].n).toBe(0);
  });

  it('brought conversations to every chat channel\'s service, each through the bot and the queue', async () => {
    const rows = await sinceRun<{ name: string; channel: string; n: number; transferred: number }>(`
      SELECT s.name, s.channel, count(DISTINCT c.id)::int AS n,
             count(DISTINCT h.conversation_id) FILTER (WHERE h.state = 'queued' AND h.reason = 'bot_transferred')::int AS transferred
        FROM conversations c JOIN services s ON s.id = c.service_id
        LEFT JOIN conversation_state_history h ON h.conversation_id = c.id
       WHERE c.created_at >= $1 GROUP BY s.name, s.channel`);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    const services = ['WebChat Site', 'WhatsApp Atendimento', 'WhatsApp Financeiro', 'Instagram Direct', 'Facebook Messenger', 'Telegram Suporte', 'SMS Cobrança', 'API Parceiros'];
    for (const name of services) {
      expect(byName[name]?.n ?? 0, `${name}: ${JSON.stringify(rows)}`).toBeGreaterThan(0);
      // the customer answered the bot's menu (with the channel's buttons, quick replies, keys or a number) and was transferred
      expect(byName[name]?.transferred ?? 0, `${name} bot transfers: ${JSON.stringify(rows)}`).toBeGreaterThan(0);
    }
    // WhatsApp the most
    const whatsapp = rows.filter((r) => r.channel === 'whatsapp').reduce((s, r) => s + r.n, 0);
    for (const r of rows.filter((x) => x.channel !== 'whatsapp')) expect(whatsapp).toBeGreaterThan(r.n);
  });

  it('brought e-mails to both e-mail services by SMTP; the Ouvidoria\'s passed through the Filtro de E-mail; agents replied by e-mail', async () => {
    const rows = await sinceRun<{ name: string; n: number; triaged: number; files: number; agent: number }>(`
      SELECT s.name, count(DISTINCT c.id)::int AS n,
             count(DISTINCT h.conversation_id) FILTER (WHERE h.state = 'triage')::int AS triaged,
             (SELECT count(*)::int FROM messages m JOIN conversations c2 ON c2.id = m.conversation_id
               WHERE c2.service_id = s.id AND c2.created_at >= $1 AND m.author_type = 'customer' AND m.attachments IS NOT NULL) AS files,
             (SELECT count(*)::int FROM messages m JOIN conversations c2 ON c2.id = m.conversation_id
               WHERE c2.service_id = s.id AND c2.created_at >= $1 AND m.author_type = 'agent') AS agent
        FROM conversations c JOIN services s ON s.id = c.service_id
        LEFT JOIN conversation_state_history h ON h.conversation_id = c.id
       WHERE c.created_at >= $1 AND s.channel = 'email' GROUP BY s.id, s.name`);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName['E-mail SAC']?.n ?? 0, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(byName['E-mail Ouvidoria']?.n ?? 0, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(byName['E-mail Ouvidoria'].triaged, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(byName['E-mail SAC'].triaged).toBe(0);
    expect(rows.reduce((s, r) => s + r.agent, 0), JSON.stringify(rows)).toBeGreaterThan(0);
    expect(rows.reduce((s, r) => s + r.files, 0), JSON.stringify(rows)).toBeGreaterThan(0);
    // a customer answered an agent's e-mail, threaded into the conversation
    const threaded = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN services s ON s.id = c.service_id
      WHERE c.created_at >= $1 AND s.channel = 'email' AND m.author_type = 'customer' AND m.payload->'email'->>'inReplyTo' IS NOT NULL`);
    expect(threaded[0].n, lines.filter((l) => /e-mail|Filtro/i.test(l)).join('\n')).toBeGreaterThan(0);
    // the supervisor accepted some from the filter (to the queue) and discarded the spam-like ones
    const moved = await sinceRun<{ state: string; n: number }>(`SELECT h.state, count(DISTINCT h.conversation_id)::int AS n FROM conversation_state_history h
      JOIN conversations c ON c.id = h.conversation_id JOIN services s ON s.id = c.service_id
      WHERE c.created_at >= $1 AND s.name = 'E-mail Ouvidoria' AND h.state <> 'triage' GROUP BY h.state`);
    expect(moved.map((m) => m.state), JSON.stringify(moved)).toContain('queued');
    // the Filtro de E-mail is never left empty by the supervisor
    const waiting = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c JOIN services s ON s.id = c.service_id WHERE c.created_at >= $1 AND s.name = 'E-mail Ouvidoria' AND c.state = 'triage'`);
    expect(waiting[0].n).toBeGreaterThan(0);
    // e-mail takes a modest share: less than WhatsApp Atendimento alone
    const wa = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c JOIN services s ON s.id = c.service_id WHERE c.created_at >= $1 AND s.name = 'WhatsApp Atendimento'`);
    expect(rows.reduce((s, r) => s + r.n, 0)).toBeLessThan(wa[0].n);
  });

  it('sent its campaign on WhatsApp: each of the 40 contacts took the template once, and some answered', async () => {
    const campaigns = await db.query<{ id: string; status: string }>('SELECT id, status FROM campaigns');
    expect(campaigns.rows, lines.filter((l) => /campanha/i.test(l)).join('\n')).toHaveLength(1);
    const rows = (await db.query<{ status: string; n: number; sent: number }>(
      'SELECT status, count(*)::int AS n, count(sent_at)::int AS sent FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status', [campaigns.rows[0].id],
    )).rows;
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(rows.reduce((s, r) => s + r.sent, 0), JSON.stringify(rows)).toBe(40);
    expect((by.queued ?? 0) + (by.sending ?? 0) + (by.failed ?? 0) + (by.skipped ?? 0), JSON.stringify(rows)).toBe(0);
    expect(by.answered ?? 0, JSON.stringify(rows)).toBeGreaterThan(0);
  });

  it('had agents start active conversations on WhatsApp, which Relatórios → Mensagens ativas counts as the messages say', async () => {
    // the templates agents sent in conversations since the run started, counted from the raw rows
    const sent = await sinceRun<{ template: string; sent: number; delivered: number }>(`
      SELECT m.payload->'template'->>'name' AS template, count(*)::int AS sent,
             count(*) FILTER (WHERE m.delivery_status IN ('delivered', 'read'))::int AS delivered
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.created_at >= $1 AND c.direction = 'outbound' AND m.content_type = 'template' GROUP BY 1`);
    expect(sent.length, lines.filter((l) => /conversa ativa/.test(l)).join('\n')).toBeGreaterThan(0);
    const raw = sent.reduce((s, r) => s + r.sent, 0);
    expect(raw).toBeGreaterThan(0);
    expect(sent.reduce((s, r) => s + r.delivered, 0)).toBeGreaterThan(0);
    const tz = (await supervisor.get('/api/settings')).body.timezone as string;
    const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(d);
    const r = await supervisor.get(`/api/reports/outbound?from=${day(runStart)}&to=${day(runEnd)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // its total is every template of those local days (the history's too), counted here from the messages
    const all = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.content_type = 'template'
          AND m.created_at >= ($1::date::timestamp AT TIME ZONE $3) AND m.created_at < (($2::date + 1)::timestamp AT TIME ZONE $3)`,
      [day(runStart), day(runEnd), tz],
    );
    expect(all.rows[0].n).toBeGreaterThanOrEqual(raw);
    expect(r.body.total.sent).toBe(all.rows[0].n);
    for (const t of sent) expect(r.body.rows.some((x: { template: string; sent: number }) => x.template === t.template && x.sent > 0)).toBe(true);
  });

  it('visited the bot stage, the queue, the agents, and the agents paused', async () => {
    const states = await sinceRun<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM conversation_state_history WHERE started_at >= $1 GROUP BY state`);
    const n = Object.fromEntries(states.map((s) => [s.state, s.n]));
    expect(n.bot).toBeGreaterThan(0);
    expect(n.queued).toBeGreaterThan(0);
    expect(n.in_service).toBeGreaterThan(0);
    expect((n.completed ?? 0) + (n.cancelled ?? 0)).toBeGreaterThan(0);
    // the agents filled in the wrap-up form on Concluir, and the bot recorded the menu options chosen
    const filled = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE created_at >= $1 AND wrapup ? 'motivo'`);
    expect(filled[0].n).toBeGreaterThan(0);
    const chosen = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM bot_choices WHERE chosen_at >= $1`);
    expect(chosen[0].n).toBeGreaterThan(0);
    const paused = await sinceRun<{ n: number }>(`SELECT count(*)::int AS n FROM agent_state_history WHERE state = 'paused' AND started_at >= $1`);
    expect(paused[0].n).toBeGreaterThan(0);
    expect(demo.counters.pauses).toBeGreaterThan(0);
  });

  it('shows the monitor every channel alive today', async () => {
    const snap = (await supervisor.get('/api/monitor/snapshot')).body;
    const channels = new Set((snap.dayByChannel as { channel: string; total: number }[]).filter((c) => c.total > 0).map((c) => c.channel));
    for (const c of ['webchat', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'api', 'email']) expect(channels, JSON.stringify(snap.dayByChannel)).toContain(c);
  });

  it('gives non-empty Indicadores for last week from the history', async () => {
    const tz = (await supervisor.get('/api/settings')).body.timezone as string;
    const today = new Date(new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date()) + 'T12:00:00Z');
    const monday = new Date(today.getTime() - (((today.getUTCDay() + 6) % 7) + 7) * 86_400_000);
    const sunday = new Date(monday.getTime() + 6 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const r = await supervisor.get(`/api/indicators?from=${day(monday)}&to=${day(sunday)}`);
    expect(r.status).toBe(200);
    expect(r.body.byService.total.count).toBeGreaterThan(0);
    expect(r.body.byChannel.rows.length).toBeGreaterThan(1);
    expect(r.body.byAgent.rows.length).toBeGreaterThan(0);
    expect(r.body.byStatus.total).toBeGreaterThan(0);
  });
});
