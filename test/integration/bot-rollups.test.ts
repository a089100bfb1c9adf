import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchOption } from '../../src/core/bot-flow-text.js';
import type { ReportRow } from '../../src/contracts/reports.js';
import type { Actor } from '../../src/engine/actor.js';
import { runReport } from '../../src/engine/reports/run.js';
import { rebuildRollups } from '../../src/engine/rollups/rebuild.js';
import { insertConversation, insertMessage } from '../support/report-rows.js';
import { appForFile, createApiService, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// Relatórios → Pré-atendimento from migration 0038: the option the runner chose is recorded
// (bot_choices) on every way of answering, the SQL backfill matches stored menus as the runner would,
// and under random bot traffic (written step by step as the engine writes it, moved across São Paulo's
// midnight, taken back, deleted by retention) the rollups kept by the triggers equal a rebuild, and the
// report (admin, supervisor, a service, a team and a channel asked) equals a TypeScript fold of the
// raw rows (conversations + bot_choices), in São Paulo and after the time zone moves.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const pt = (c: Client, path: string) => c.request('GET', path, undefined, { 'accept-language': 'pt-BR' });

/** A menu whose options are chosen by number, label, keyword or button; the second transfers to `target`. */
const flowTo = (target?: string) => ({
  version: 1,
  start: 'menu',
  steps: {
    menu: {
      kind: 'menu', text: 'Escolha:', options: [
        { id: 'fin', label: 'Financeiro', keywords: ['boleto'], next: 'fim' },
        { id: 'sup', label: 'Suporte técnico', next: 'fila' },
      ],
    },
    fila: { kind: 'transfer', text: 'Transferindo.', ...(target ? { serviceId: target } : {}) },
    fim: { kind: 'end', text: 'Até logo.' },
  },
});

describe('the runner’s choice is recorded', () => {
  it('for a typed number, a typed label, a keyword and a WebChat button, not for an invalid answer; counted under the flow’s service', async () => {
    const D = '2026-08-12';
    t.clock.set(Date.parse(`${D}T15:00:00Z`));
    const teamA = await createTeam(admin);
    const teamB = await createTeam(admin);
    const target = await createService(admin, { channel: 'api', teamIds: [teamB.id] });
    const api = await createApiService(t, admin, { teamIds: [teamA.id], botFlow: flowTo(target.id) });
    const send = (contact: string, text: string) => api.send({ contact: { externalId: contact }, externalId: unique('m'), text });
    const conv: Record<string, string> = {};
    for (const [contact, answer] of [['n', '2'], ['l', 'SUPORTE TECNICO!'], ['k', 'quero meu boleto'], ['x', 'quero pizza']]) {
      conv[contact] = (await send(contact, 'Oi')).body.conversationId;
      await send(contact, answer);
    }
    await t.settle();
    const web = await createService(admin, { teamIds: [teamA.id], botFlow: flowTo() });
    const id = await newVisitor(t.url, web.key);
    const { client } = await WidgetClient.connect(t.url, web.key, id);
    client.send({ type: 'start' });
    await client.next<any>((m) => m.type === 'message' && m.message.options !== null);
    client.press('sup');
    await client.state('queued');
    await client.close();

    const { rows } = await t.db.query<{ conversation_id: string; service_id: string; option_id: string; label: string; chosen_at: Date }>(
      `SELECT b.conversation_id, b.service_id, b.option_id, b.label, b.chosen_at FROM bot_choices b JOIN conversations c ON c.id = b.conversation_id
        WHERE coalesce(c.entry_service_id, c.service_id) IN ($1, $2) ORDER BY b.id`, [api.service.id, web.id],
    );
    expect(rows.map((r) => [r.conversation_id === conv.n ? 'n' : r.conversation_id === conv.l ? 'l' : r.conversation_id === conv.k ? 'k' : 'web', r.service_id, r.option_id, r.label]))
      .toEqual([
        ['n', api.service.id, 'sup', 'Suporte técnico'],
        ['l', api.service.id, 'sup', 'Suporte técnico'],
        ['k', api.service.id, 'fin', 'Financeiro'],
        ['web', web.id, 'sup', 'Suporte técnico'],
      ]);
    expect(rows.every((r) => r.chosen_at.getTime() === Date.parse(`${D}T15:00:00Z`))).toBe(true);
    // the two transferred from the API flow wait in the target's queue; they count under the flow's service
    const states = await t.db.query<{ id: string; service_id: string; state: string }>(`SELECT id, service_id, state FROM conversations WHERE id = ANY($1::uuid[])`, [Object.values(conv)]);
    expect(new Map(states.rows.map((r) => [r.id, [r.service_id, r.state]]))).toEqual(new Map([
      [conv.n, [target.id, 'queued']], [conv.l, [target.id, 'queued']], [conv.k, [api.service.id, 'completed']], [conv.x, [api.service.id, 'bot']],
    ]));
    const flow = await pt(admin, `/api/reports/bot?from=${D}&to=${D}&serviceId=${api.service.id}`);
    expect(flow.body.rows.map((x: any) => [x.section, x.item, x.count])).toEqual([
      ['Resultado', 'Com etapa de bot', 4], ['Resultado', 'Encerrados no bot', 1], ['Resultado', 'Transferidos para a fila', 2],
      ['Resultado', 'Desistências no bot', 0], ['Resultado', 'Ainda no bot', 1],
      ['Opção escolhida', 'Suporte técnico', 2], ['Opção escolhida', 'Financeiro', 1],
    ]);
    // the queue they ended in is not the flow's: asked for it, nothing; its team neither
    expect((await pt(admin, `/api/reports/bot?from=${D}&to=${D}&serviceId=${target.id}`)).body.rows).toEqual([]);
    expect((await pt(admin, `/api/reports/bot?from=${D}&to=${D}&teamId=${teamB.id}`)).body.rows).toEqual([]);
    const team = await pt(admin, `/api/reports/bot?from=${D}&to=${D}&teamId=${teamA.id}`);
    expect(team.body.rows.filter((x: any) => x.section === 'Opção escolhida').map((x: any) => [x.service, x.item, x.count]).sort())
      .toEqual([[api.service.name, 'Financeiro', 1], [api.service.name, 'Suporte técnico', 2], [web.name, 'Suporte técnico', 1]].sort());
  });
});

describe('bot_choices_backfill()', () => {
  it('matches each stored menu to the customer message after it: number, accents and capitals, a label in a sentence; not an ambiguous answer, nor one after the bot', async () => {
    const svc = await createService(admin, { channel: 'whatsapp' });
    const menu = [{ id: 'bol', label: 'Boleto' }, { id: 'venc', label: 'Boleto vencido' }, { id: 'cc', label: 'Cartão de Crédito' }, { id: 'h', label: 'Horário' }];
    const at = (s: number) => new Date(Date.parse('2026-08-20T12:00:00Z') + s * 1000);
    // [answer, whether the bot had ended before it, who wrote it] → the option expected
    const cases: [string, boolean, string, string | null][] = [
      ['3', false, 'customer', 'cc'],
      ['CARTÃO DE CRÉDITO', false, 'customer', 'cc'],
      ['  horario?? ', false, 'customer', 'h'],
      ['quero pagar o cartão de crédito, por favor', false, 'customer', 'cc'],
      ['boleto', false, 'customer', 'bol'],
      ['meu boleto vencido', false, 'customer', null],
      ['9', false, 'customer', null],
      ['2', true, 'customer', null],
      ['2', false, 'agent', null],
      ['', false, 'customer', null],
    ];
    const ids: string[] = [];
    for (const [answer, after, author] of cases) {
      const id = await insertConversation(t.db, { serviceId: svc.id, channel: 'whatsapp', state: 'bot', createdAt: at(0), botStartedAt: at(0), botEndedAt: after ? at(5) : null });
      await insertMessage(t.db, { conversationId: id, channel: 'whatsapp', authorType: 'customer', body: 'Oi', at: at(0) });
      await insertMessage(t.db, { conversationId: id, channel: 'whatsapp', authorType: 'bot', body: 'Escolha', payload: { options: menu }, at: at(1) });
      await insertMessage(t.db, { conversationId: id, channel: 'whatsapp', authorType: author, body: answer, at: at(after ? 10 : 2) });
      ids.push(id);
    }
    // a conversation with two menus answered, and one whose choice the runner already recorded
    const two = await insertConversation(t.db, { serviceId: svc.id, channel: 'whatsapp', state: 'bot', createdAt: at(0), botStartedAt: at(0) });
    for (const [i, [author, body, payload]] of ([['bot', 'Escolha', { options: menu }], ['customer', '1', null], ['bot', 'De novo', { options: menu }], ['customer', 'horário', null]] as const).entries()) {
      await insertMessage(t.db, { conversationId: two, channel: 'whatsapp', authorType: author, body, payload, at: at(i) });
    }
    const recorded = await insertConversation(t.db, { serviceId: svc.id, channel: 'whatsapp', state: 'bot', createdAt: at(0), botStartedAt: at(0) });
    await insertMessage(t.db, { conversationId: recorded, channel: 'whatsapp', authorType: 'bot', body: 'Escolha', payload: { options: menu }, at: at(1) });
    await insertMessage(t.db, { conversationId: recorded, channel: 'whatsapp', authorType: 'customer', body: '1', at: at(2) });
    await t.db.query(`INSERT INTO bot_choices (conversation_id, service_id, option_id, label, chosen_at) VALUES ($1, $2, 'venc', 'Boleto vencido', $3)`, [recorded, svc.id, at(2)]);

    await t.db.query('SELECT bot_choices_backfill()');
    const { rows } = await t.db.query<{ conversation_id: string; option_id: string; label: string; service_id: string; chosen_at: Date }>(
      `SELECT conversation_id, option_id, label, service_id, chosen_at FROM bot_choices WHERE service_id = $1 ORDER BY chosen_at, id`, [svc.id],
    );
    const of = (id: string) => rows.filter((r) => r.conversation_id === id).map((r) => r.option_id);
    cases.forEach(([answer, , , want], i) => expect(of(ids[i]), answer).toEqual(want ? [want] : []));
    expect(of(two)).toEqual(['bol', 'h']);
    expect(of(recorded)).toEqual(['venc']);
    expect(rows.find((r) => r.conversation_id === ids[0])).toMatchObject({ label: 'Cartão de Crédito', service_id: svc.id, chosen_at: at(2) });
    // the runner's own rules agree on every typed case that is not cut by the bot's end or another author
    cases.forEach(([answer, after, author, want]) => {
      if (!after && author === 'customer') expect(matchOption(menu.map((o) => ({ ...o, next: '' })), answer)?.id ?? null, answer).toBe(want);
    });
    // again: nothing more
    expect((await t.db.query<{ n: number }>('SELECT bot_choices_backfill() AS n')).rows[0].n).toBe(0);
  });
});

// ---- random traffic ----------------------------------------------------------------------------

const DAY0 = Date.parse('2026-06-01T00:00:00Z'); // 21:00 of 31 May in São Paulo
const FROM = '2026-06-01';
const TO = '2026-06-02';
const NOW = new Date('2026-06-10T12:00:00Z');
const LABELS = [{ id: 'fin', label: 'Financeiro' }, { id: 'sup', label: 'Suporte técnico' }, { id: 'a', label: 'Atendente' }, { id: 'b', label: 'Boleto' }];

let w: { services: { id: string; channel: string; name: string }[]; sup: string; supServices: Set<string>; agent: string; teamA: string; contact: string; names: Map<string, string> };

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  const chat = await createService(admin, { name: unique('B Chat'), channel: 'webchat', teamIds: [teamA.id] });
  const wa = await createService(admin, { name: unique('A Zap'), channel: 'whatsapp', teamIds: [teamA.id] });
  const wb = await createService(admin, { name: unique('C Zap'), channel: 'whatsapp', teamIds: [teamB.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const agent = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente Bot') RETURNING id`)).rows[0].id;
  const names = new Map<string, string>();
  for (const s of [chat, wa, wb]) names.set(s.id, s.name);
  w = { services: [chat, wa, wb], sup: sup.id, supServices: new Set([chat.id, wa.id]), agent: agent.id, teamA: teamA.id, contact, names };
});

const PATHS = ['in_bot', 'ended', 'transferred', 'transferred_away', 'served', 'gave_up', 'abandoned', 'closed'] as const;
const LATER = ['none', 'none', 'none', 'delete', 'drop_choice', 'earlier', 'later', 'rechannel', 'reopen', 'no_bot', 'restep', 'regive_up'] as const;

const conversation = fc.record({
  svc: fc.nat(2),
  // two days from 21:00 in São Paulo: midnight is crossed twice, and conversations share rows
  start: fc.integer({ min: 0, max: 2 * 86_400 - 1 }),
  path: fc.constantFrom(...PATHS),
  step: fc.constantFrom('menu', 'menu', 'financeiro', null),
  choices: fc.array(fc.nat(LABELS.length - 1), { maxLength: 3 }),
  // the supervisor (outside their services, seen raw) or another agent takes the transferred ones
  agent: fc.constantFrom('sup', 'agent', null),
  later: fc.constantFrom(...LATER),
});
type Script = typeof conversation extends fc.Arbitrary<infer T> ? T : never;

/** One conversation written as the engine writes it: opened in the bot, choices as answered, then its outcome; then a later change. */
async function play(s: Script): Promise<void> {
  const db = t.db;
  const svc = w.services[s.svc];
  const at = (secs: number) => new Date(DAY0 + s.start * 1000 + secs * 1000);
  const { rows: [{ id }] } = await db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, entry_service_id, channel, contact_id, state, created_at, bot_started_at, bot_state)
     VALUES ($1, $2, $2, $3, $4, 'bot', $5, $5, '{"stepId": "menu", "attempts": 0, "fields": {}, "visited": 1, "finished": false}') RETURNING id`,
    [unique('P'), svc.id, svc.channel, w.contact, at(0)],
  );
  const set = (sql: string, ...params: unknown[]) => db.query(`UPDATE conversations SET ${sql} WHERE id = $1`, [id, ...params]);
  for (const [i, c] of s.choices.entries()) {
    await db.query(`INSERT INTO bot_choices (conversation_id, service_id, option_id, label, chosen_at) VALUES ($1, $2, $3, $4, $5)`,
      [id, svc.id, LABELS[c].id, LABELS[c].label, at(10 + i)]);
    await set(`bot_state = jsonb_set(bot_state, '{stepId}', to_jsonb($2::text))`, i % 2 ? 'menu' : 'financeiro');
  }
  await set(`bot_state = CASE WHEN $2::text IS NULL THEN NULL ELSE jsonb_set(bot_state, '{stepId}', to_jsonb($2::text)) END`, s.step);
  const end = at(60);
  if (s.path === 'ended') await set(`state = 'completed', finished_by = 'bot', finished_at = $2, bot_ended_at = $2`, end);
  else if (s.path === 'gave_up' || s.path === 'abandoned') {
    await set(`state = $2, finished_by = 'customer', finished_at = $3, bot_ended_at = $3`, s.path === 'gave_up' ? 'customer_gave_up' : 'abandoned', end);
  } else if (s.path === 'closed') await set(`state = 'completed', finished_by = 'system', finished_at = $2, bot_ended_at = $2`, end);
  else if (s.path !== 'in_bot') {
    const to = s.path === 'transferred_away' ? w.services[(s.svc + 1) % 3] : svc;
    await set(`state = 'queued', service_id = $2, bot_ended_at = $3, queued_at = $3, first_queued_at = $3`, to.id, end);
    if (s.path === 'served') {
      const agent = s.agent === 'sup' ? w.sup : s.agent === 'agent' ? w.agent : null;
      if (agent) await set(`state = 'in_service', agent_id = $2, assigned_at = $3, first_assigned_at = $3`, agent, at(90));
      await set(`state = 'completed', finished_by = 'agent', finished_at = $2`, at(300));
    } else if (s.agent === 'sup') await set(`agent_id = $2`, w.sup);
  }
  if (s.later === 'delete') await db.query(`DELETE FROM conversations WHERE id = $1`, [id]);
  else if (s.later === 'drop_choice') await db.query(`DELETE FROM bot_choices WHERE id IN (SELECT id FROM bot_choices WHERE conversation_id = $1 ORDER BY id LIMIT 1)`, [id]);
  // across midnight: a day earlier, or three hours later
  else if (s.later === 'earlier') await set(`created_at = created_at - interval '1 day', bot_started_at = bot_started_at - interval '1 day'`);
  else if (s.later === 'later') await set(`created_at = created_at + interval '3 hours', bot_started_at = bot_started_at + interval '3 hours'`);
  else if (s.later === 'rechannel') await set(`channel = 'telegram'`);
  // taken back into the bot: the end undone (a contribution taken away from its outcome)
  else if (s.later === 'reopen') await set(`state = 'bot', finished_at = NULL, finished_by = NULL, first_queued_at = NULL, queued_at = NULL`);
  // a bot stage written by mistake and taken away: the conversation and its choices leave the report
  else if (s.later === 'no_bot') await set(`bot_started_at = NULL`);
  else if (s.later === 'restep') await set(`bot_state = '{"stepId": "outra"}'`);
  else if (s.later === 'regive_up') await set(`state = 'customer_gave_up', finished_at = coalesce(finished_at, $2), first_queued_at = NULL`, end);
}

/** Both rollup tables' rows of the days this traffic can reach (the other tests write in August) as sorted text lines, rows that add nothing left out. */
async function snapshot(): Promise<string[]> {
  const o = await t.db.query(`SELECT day::text, service_id, channel, outcome, step, n FROM bot_rollups WHERE n <> 0 AND day < '2026-08-01'`);
  const c = await t.db.query(`SELECT day::text, service_id, channel, label, n FROM bot_choice_rollups WHERE n <> 0 AND day < '2026-08-01'`);
  const negative = await t.db.query(`SELECT 1 FROM bot_rollups WHERE n < 0 UNION ALL SELECT 1 FROM bot_choice_rollups WHERE n < 0`);
  expect(negative.rows).toEqual([]);
  return [...o.rows.map((r) => `o ${JSON.stringify(r)}`), ...c.rows.map((r) => `c ${JSON.stringify(r)}`)].sort();
}

const adminActor: Actor = { id: null, name: 'admin', role: 'admin', teamIds: [], supervisedTeamIds: [] };
const supActor = (): Actor => ({ id: w.sup, name: 'sup', role: 'supervisor', teamIds: [], supervisedTeamIds: [] });
const agentActor = (): Actor => ({ id: w.agent, name: 'agent', role: 'agent', teamIds: [], supervisedTeamIds: [] });

const dayIn = (d: Date, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const share = (n: number, of: number) => (of ? Math.round((n * 10_000) / of) / 100 : 0);

interface Seen { flow: string; agent: string | null; channel: string }

/**
 * The report worked out plainly from the raw rows: per flow service (by name), how each conversation
 * with a bot stage created on a local day of the period left the bot, the options chosen in them, and
 * the steps of those who gave up; `only` is the caller's scope and filters.
 */
function fold(convs: any[], choices: any[], tz: string, only: (c: Seen) => boolean): { rows: ReportRow[]; total: number } {
  const inPeriod = (c: any) => c.bot_started_at !== null && dayIn(c.created_at, tz) >= FROM && dayIn(c.created_at, tz) <= TO;
  const per = new Map<string, { outcomes: Record<string, number>; options: Map<string, number>; steps: Map<string, number> }>();
  const of = (service: string) => {
    const name = w.names.get(service)!;
    let p = per.get(name);
    if (!p) per.set(name, (p = { outcomes: { total: 0, ended: 0, transferred: 0, gave_up: 0, in_bot: 0, other: 0 }, options: new Map(), steps: new Map() }));
    return p;
  };
  const byId = new Map(convs.map((c) => [c.id, c]));
  for (const c of convs) {
    const flow = c.entry_service_id ?? c.service_id;
    if (!inPeriod(c) || !only({ flow, agent: c.agent_id, channel: c.channel })) continue;
    const outcome = c.first_queued_at ? 'transferred' : c.state === 'bot' ? 'in_bot' : ['customer_gave_up', 'abandoned'].includes(c.state) ? 'gave_up'
      : c.state === 'completed' && c.finished_by === 'bot' ? 'ended' : c.finished_at ? 'other' : 'in_bot';
    const p = of(flow);
    p.outcomes.total++;
    p.outcomes[outcome]++;
    if (outcome === 'gave_up') {
      const step = c.bot_state?.stepId ?? '?';
      p.steps.set(step, (p.steps.get(step) ?? 0) + 1);
    }
  }
  for (const b of choices) {
    const c = byId.get(b.conversation_id);
    if (!inPeriod(c) || !only({ flow: b.service_id, agent: c.agent_id, channel: c.channel })) continue;
    const p = of(b.service_id);
    p.options.set(b.label, (p.options.get(b.label) ?? 0) + 1);
  }
  const rows: ReportRow[] = [];
  const names = [...per.keys()].filter((n) => per.get(n)!.outcomes.total > 0).sort((a, b) => a.localeCompare(b));
  const LABEL: Record<string, string> = {
    total: 'Com etapa de bot', ended: 'Encerrados no bot', transferred: 'Transferidos para a fila', gave_up: 'Desistências no bot', in_bot: 'Ainda no bot', other: 'Outros encerramentos no bot',
  };
  for (const s of names) {
    const o = per.get(s)!.outcomes;
    for (const k of Object.keys(LABEL)) {
      if (['total', 'ended', 'transferred', 'gave_up'].includes(k) || o[k]) rows.push({ section: 'Resultado', service: s, item: LABEL[k], count: o[k], share: share(o[k], o.total) });
    }
  }
  const ranked = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const s of names) {
    const m = per.get(s)!.options;
    const all = [...m.values()].reduce((a, b) => a + b, 0);
    for (const [label, n] of ranked(m)) rows.push({ section: 'Opção escolhida', service: s, item: label, count: n, share: share(n, all) });
  }
  for (const s of names) {
    for (const [step, n] of ranked(per.get(s)!.steps)) rows.push({ section: 'Desistência na etapa', service: s, item: step, count: n, share: share(n, per.get(s)!.outcomes.gave_up) });
  }
  return { rows, total: names.reduce((n, s) => n + per.get(s)!.outcomes.total, 0) };
}

/** The report for each caller and filter against the fold, in the time zone `tz`. */
async function checkReport(tz: string): Promise<void> {
  const convs = (await t.db.query(`SELECT * FROM conversations WHERE contact_id = $1`, [w.contact])).rows;
  const choices = (await t.db.query(`SELECT b.* FROM bot_choices b JOIN conversations c ON c.id = b.conversation_id WHERE c.contact_id = $1`, [w.contact])).rows;
  const teamA = new Set([w.services[0].id, w.services[1].id]);
  const cases: { label: string; actor: Actor; q: Record<string, string>; only: (c: Seen) => boolean }[] = [
    { label: 'admin', actor: adminActor, q: {}, only: () => true },
    { label: 'supervisor', actor: supActor(), q: {}, only: (c) => w.supServices.has(c.flow) || c.agent === w.sup },
    { label: 'service', actor: adminActor, q: { serviceId: w.services[2].id }, only: (c) => c.flow === w.services[2].id },
    { label: 'team', actor: adminActor, q: { teamId: w.teamA }, only: (c) => teamA.has(c.flow) },
    { label: 'channel', actor: adminActor, q: { channel: 'whatsapp' }, only: (c) => c.channel === 'whatsapp' },
    { label: 'supervisor, channel', actor: supActor(), q: { channel: 'whatsapp' }, only: (c) => c.channel === 'whatsapp' && (w.supServices.has(c.flow) || c.agent === w.sup) },
    // an agent's scope is their own conversations: the raw read (conversations and bot_choices)
    { label: 'agent (raw)', actor: agentActor(), q: {}, only: (c) => c.agent === w.agent },
  ];
  for (const k of cases) {
    const want = fold(convs, choices, tz, k.only);
    const r = await runReport(t.db, k.actor, 'bot', { from: FROM, to: TO, ...k.q }, 'pt', NOW);
    expect(r.timezone).toBe(tz);
    expect(r.rows, k.label).toEqual(want.rows);
    expect(r.total, k.label).toEqual({ section: null, service: null, item: 'Com etapa de bot', count: want.total, share: want.total ? 100 : 0 });
  }
}

describe('bot rollups', () => {
  it('equal the rebuild, and the report equals a fold of the raw rows, over random bot traffic', async () => {
    let chosen = 0;
    await fc.assert(fc.asyncProperty(fc.array(conversation, { minLength: 5, maxLength: 30 }), async (scripts) => {
      // a failed run leaves its rows: each run starts from none
      await t.db.query(`DELETE FROM conversations WHERE contact_id = $1`, [w.contact]);
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      for (const s of scripts) await play(s);
      const incremental = await snapshot();
      await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
      expect(incremental).toEqual(await snapshot());
      chosen += (await t.db.query(`SELECT 1 FROM bot_choices b JOIN conversations c ON c.id = b.conversation_id WHERE c.contact_id = $1`, [w.contact])).rows.length;
      await checkReport('America/Sao_Paulo');

      // the time zone moves (Kolkata, +05:30: other days); the settings' trigger rebuilds; more traffic meanwhile
      try {
        await t.db.query(`INSERT INTO settings (key, value) VALUES ('timezone', '"Asia/Kolkata"')`);
        await checkReport('Asia/Kolkata');
        for (const s of scripts.slice(0, 8)) await play(s);
        const more = await snapshot();
        await rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });
        expect(more).toEqual(await snapshot());
        await checkReport('Asia/Kolkata');
      } finally {
        await t.db.query(`DELETE FROM settings WHERE key = 'timezone'`);
      }
      await checkReport('America/Sao_Paulo');

      // retention deletes every conversation (their choices go with them): nothing is left
      await t.db.query(`DELETE FROM conversations WHERE contact_id = $1`, [w.contact]);
      expect(await snapshot()).toEqual([]);
    }), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
    expect(chosen).toBeGreaterThan(0);
  }, 600_000);
});
