import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/contracts/common.js';
import type { Actor } from '../../src/engine/actor.js';
import { runReport } from '../../src/engine/reports/run.js';
import { foldRollups } from '../../src/engine/rollups/fold.js';
import { rebuildRollups } from '../../src/engine/rollups/rebuild.js';
import { appForFile, createService, createTeam, createUser, unique, type Client, type TestApp } from '../support/test-app.js';

// Relatórios → Classificações from rollups (0031's conversation_rollups_finished for the classification
// section, 0039's conversation_rollups_wrapup and _services for the wrap-up answers, with and without the agent) under random scripted traffic
// (fast-check): conversations ended with and without a classification and answers of every field type
// (select, boolean, number, free text, a key the form does not have, null and empty answers), the answers
// written with the end or after it and changed later, reclassified, moved to another service,
// reassigned after the end, taken back, ended across São Paulo's midnight, deleted by retention; the
// forms changed meanwhile (a field's type to and from free text, a field deleted, a key renamed, a text
// field added, a label renamed, the whole form saved again as the admin screen does), the time zone
// moved. After each run: the incremental rows equal a rebuild, and the report (admin with every filter,
// a supervisor with their own conversations outside their services, an agent) equals an independent
// TypeScript fold of the raw rows.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const DAY0 = Date.parse('2026-06-01T00:00:00Z'); // 21:00 in São Paulo
const FROM = '2026-05-30';
const TO = '2026-06-04';
const NOW = new Date('2026-06-10T12:00:00Z');

interface Field { key: string; label: string; type: 'text' | 'select' | 'boolean' | 'number'; position: number }
/** Each service's form at the start of a run (the runs change them). */
const FORMS: Field[][] = [
  [
    { key: 'motivo', label: 'Motivo', type: 'select', position: 0 }, { key: 'resolvido', label: 'Resolvido?', type: 'boolean', position: 1 },
    { key: 'obs', label: 'Observação', type: 'text', position: 2 }, { key: 'nota', label: 'Nota', type: 'number', position: 3 },
  ],
  [{ key: 'motivo', label: 'Assunto', type: 'select', position: 0 }, { key: 'obs', label: 'Comentário', type: 'text', position: 1 }],
  [{ key: 'obs', label: 'Detalhe', type: 'text', position: 0 }, { key: 'resolvido', label: 'Resolveu', type: 'boolean', position: 1 }],
];

let w: {
  services: { id: string; channel: string; name: string }[];
  agents: string[];
  classifications: { id: string; code: string; name: string }[];
  sup: string;
  supServices: Set<string>;
  teams: { id: string; services: Set<string> }[];
  contact: string;
};

beforeAll(async () => {
  const teamA = await createTeam(admin);
  const teamB = await createTeam(admin);
  const chat = await createService(admin, { name: unique('Chat'), channel: 'webchat', teamIds: [teamA.id] });
  const wa = await createService(admin, { name: unique('Zap'), channel: 'whatsapp', teamIds: [teamA.id] });
  const mail = await createService(admin, { name: unique('Mail'), channel: 'email', teamIds: [teamB.id] });
  const a1 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const a2 = await createUser(admin, { agentEnabled: true, teamIds: [teamA.id] });
  const b1 = await createUser(admin, { agentEnabled: true, teamIds: [teamB.id] });
  const sup = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [teamA.id] });
  const contact = (await t.db.query<{ id: string }>(`INSERT INTO contacts (name) VALUES ('Cliente') RETURNING id`)).rows[0].id;
  const classifications = (await t.db.query<{ id: string; code: string; name: string }>(
    `INSERT INTO classifications (code, name) VALUES ($1, 'Resolvido'), ($2, 'Reclamação') RETURNING id, code, name`, [unique('R'), unique('C')],
  )).rows;
  w = {
    services: [chat, wa, mail], agents: [a1.id, a2.id, b1.id, sup.id], classifications, sup: sup.id, supServices: new Set([chat.id, wa.id]),
    teams: [{ id: teamA.id, services: new Set([chat.id, wa.id]) }, { id: teamB.id, services: new Set([mail.id]) }], contact,
  };
});

/** Every service's form back to FORMS (the trigger on wrapup_fields rebuilds what changes). */
async function resetForms(): Promise<void> {
  for (const [i, form] of FORMS.entries()) {
    await t.db.query(`DELETE FROM wrapup_fields WHERE service_id = $1`, [w.services[i].id]);
    for (const f of form) {
      await t.db.query(`INSERT INTO wrapup_fields (service_id, key, label, type, position) VALUES ($1, $2, $3, $4, $5)`,
        [w.services[i].id, f.key, f.label, f.type, f.position]);
    }
  }
}

// answers of every kind: words, yes/no, numbers, free text, and the ones not counted (null, empty)
const answer = fc.constantFrom<unknown>('boleto', 'senha', '', null, true, false, 0, 7, 'texto livre 1', 'texto livre 2', 'pagou ontem');
const answers = fc.record(
  { motivo: answer, resolvido: answer, obs: answer, nota: answer, extra: answer },
  { requiredKeys: [] },
);

const PATHS = ['served', 'served', 'bot_end', 'abandon', 'open'] as const;
const LATER = ['none', 'none', 'answers', 'clear', 'reclassify', 'move', 'reassign', 'reopen', 'delete'] as const;

const conversation = fc.record({
  svc: fc.nat(2),
  // two days from 21:00 in São Paulo: midnight is crossed, and conversations share rows
  start: fc.integer({ min: 0, max: 2 * 86_400 - 1 }),
  handle: fc.integer({ min: 1, max: 20_000 }),
  path: fc.constantFrom(...PATHS),
  agent: fc.nat(3),
  agent2: fc.nat(3),
  classify: fc.option(fc.nat(1)),
  // the answers written with the end (as the wrap-up form's save does), after it, or never
  wrapup: fc.option(answers),
  afterEnd: fc.boolean(),
  answers2: answers,
  later: fc.constantFrom(...LATER),
});
type Script = typeof conversation extends fc.Arbitrary<infer T> ? T : never;

/** One conversation written step by step, each step a statement of its own. */
async function play(s: Script): Promise<void> {
  const svc = w.services[s.svc];
  const at = (secs: number) => new Date(DAY0 + s.start * 1000 + secs * 1000);
  const { rows: [{ id }] } = await t.db.query<{ id: string }>(
    `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, bot_started_at) VALUES ($1, $2, $3, $4, 'bot', $5, $5) RETURNING id`,
    [unique('P'), svc.id, svc.channel, w.contact, at(0)],
  );
  const set = (sql: string, ...params: unknown[]) => t.db.query(`UPDATE conversations SET ${sql} WHERE id = $1`, [id, ...params]);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  const classification = s.classify === null ? null : w.classifications[s.classify].id;
  if (s.path === 'bot_end') {
    await set(`state = 'completed', bot_ended_at = $2, finished_at = $2, classification_id = $3, wrapup = $4`, at(s.handle), classification, json(s.wrapup));
  } else {
    await set(`state = 'queued', bot_ended_at = $2, queued_at = $2, first_queued_at = $2`, at(30));
    if (s.path === 'abandon') {
      await set(`state = 'abandoned', finished_at = $2`, at(30 + (s.handle % 600)));
    } else {
      // routing's assignment and a transfer (no end yet: 0039's trigger does not run)
      await set(`state = 'in_service', agent_id = $2, assigned_at = $3, first_assigned_at = $3`, w.agents[s.agent], at(60));
      await set(`agent_id = $2, assigned_at = $3`, w.agents[s.agent2], at(90));
      if (s.path === 'served') {
        if (s.afterEnd) {
          await set(`state = 'completed', finished_at = $2, classification_id = $3`, at(90 + s.handle), classification);
          if (s.wrapup !== null) await set(`wrapup = $2`, json(s.wrapup));
        } else {
          await set(`state = 'completed', finished_at = $2, classification_id = $3, wrapup = $4`, at(90 + s.handle), classification, json(s.wrapup));
        }
      } else if (s.wrapup !== null) {
        // answers saved on a conversation still in service: counted once it ends
        await set(`wrapup = $2`, json(s.wrapup));
      }
    }
  }
  const ended = s.path !== 'open';
  if (s.later === 'delete') await t.db.query(`DELETE FROM conversations WHERE id = $1`, [id]);
  else if (s.later === 'answers') await set(`wrapup = $2`, json(s.answers2));
  else if (s.later === 'clear') await set(`wrapup = NULL`);
  else if (s.later === 'move') {
    const other = w.services[(s.svc + 1) % 3];
    await set(`service_id = $2, channel = $3`, other.id, other.channel);
  } else if (s.later === 'reclassify') await set(`classification_id = $2`, w.classifications[1].id);
  else if (s.later === 'reassign') await set(`agent_id = $2`, w.agents[s.agent2 === s.agent ? (s.agent + 1) % 4 : s.agent2]);
  else if (ended && s.later === 'reopen' && s.path === 'served') await set(`state = 'in_service', finished_at = NULL`);
}

// The forms changed between two halves of the traffic.
const FORM_CHANGES = ['none', 'obs_to_select', 'motivo_to_text', 'delete_obs', 'delete_motivo', 'rename_key', 'add_extra_text', 'relabel', 'save_again'] as const;
type FormChange = (typeof FORM_CHANGES)[number];

async function changeForm(change: FormChange, svc: number): Promise<void> {
  const id = w.services[svc].id;
  const q = (sql: string, ...params: unknown[]) => t.db.query(sql, [id, ...params]);
  if (change === 'obs_to_select') await q(`UPDATE wrapup_fields SET type = 'select' WHERE service_id = $1 AND key = 'obs'`);
  else if (change === 'motivo_to_text') await q(`UPDATE wrapup_fields SET type = 'text' WHERE service_id = $1 AND key = 'motivo'`);
  else if (change === 'delete_obs') await q(`DELETE FROM wrapup_fields WHERE service_id = $1 AND key = 'obs'`);
  else if (change === 'delete_motivo') await q(`DELETE FROM wrapup_fields WHERE service_id = $1 AND key = 'motivo'`);
  // the free-text field now answers under another key; its old answers are a key the form lacks
  // (a key is unique per service: no rename onto an 'extra' an earlier change added)
  else if (change === 'rename_key') await q(`UPDATE wrapup_fields SET key = 'extra' WHERE service_id = $1 AND key = 'obs' AND NOT EXISTS (SELECT 1 FROM wrapup_fields x WHERE x.service_id = $1 AND x.key = 'extra')`);
  else if (change === 'add_extra_text') {
    await q(`INSERT INTO wrapup_fields (service_id, key, label, type, position) VALUES ($1, 'extra', 'Extra', 'text', 9) ON CONFLICT (service_id, key) DO NOTHING`);
  } else if (change === 'relabel') await q(`UPDATE wrapup_fields SET label = label || ' (novo)', position = 10 - position WHERE service_id = $1`);
  else if (change === 'save_again') {
    // engine/admin/wrapup-fields.ts: the whole list deleted and inserted again, in one transaction
    await t.db.transaction(async (tx) => {
      const { rows } = await tx.query<Field>(`SELECT key, label, type, position FROM wrapup_fields WHERE service_id = $1`, [id]);
      await tx.query(`DELETE FROM wrapup_fields WHERE service_id = $1`, [id]);
      for (const f of rows) {
        await tx.query(`INSERT INTO wrapup_fields (service_id, key, label, type, position) VALUES ($1, $2, $3, $4, $5)`, [id, f.key, f.label, f.type, f.position]);
      }
    });
  }
}

/** Both rollups Classificações reads, as sorted text lines, rows that add nothing left out. */
async function snapshot(): Promise<string[]> {
  await foldRollups(t.db);
  const f = await t.db.query(
    `SELECT day::text, service_id, channel, agent_id, direction, state, classification_id, n FROM conversation_rollups_finished WHERE n <> 0`,
  );
  const a = await t.db.query(`SELECT day::text, service_id, channel, agent_id, field, answer, n FROM conversation_rollups_wrapup WHERE n <> 0`);
  const s = await t.db.query(`SELECT day::text, service_id, channel, field, answer, n FROM conversation_rollups_wrapup_services WHERE n <> 0`);
  return [...f.rows.map((r) => `f ${JSON.stringify(r)}`), ...a.rows.map((r) => `a ${JSON.stringify(r)}`), ...s.rows.map((r) => `s ${JSON.stringify(r)}`)].sort();
}

const adminActor: Actor = { id: null, name: 'admin', role: 'admin', teamIds: [], supervisedTeamIds: [] };
const supActor = (): Actor => ({ id: w.sup, name: 'sup', role: 'supervisor', teamIds: [], supervisedTeamIds: [] });
const agentActor = (): Actor => ({ id: w.agents[0], name: 'a1', role: 'agent', teamIds: [w.teams[0].id], supervisedTeamIds: [] });

interface Raw { service_id: string; channel: string; agent_id: string | null; finished_at: Date | null; classification_id: string | null; wrapup: unknown }
interface Filter { serviceId?: string; channel?: Channel; teamId?: string; agentId?: string }

/**
 * Classificações worked out the plain way from the raw rows and the forms as they are now: the ends
 * of the period's local days (a fixed UTC offset, in hours), one per conversation by classification,
 * and each answer of conversations.wrapup by field (free text as filled in, yes/no in words, null and
 * empty answers left out), with the report's order and shares.
 */
function fold(raw: Raw[], fields: (Field & { service_id: string })[], offset: number, from: string, to: string) {
  const name = (id: string) => w.services.find((s) => s.id === id)!.name;
  const day = (d: Date) => new Date(d.getTime() + offset * 3600_000).toISOString().slice(0, 10);
  const classes = new Map<string, { service: string; item: string; n: number }>();
  const byService = new Map<string, number>();
  const merged = new Map<string, { service: string; item: string; answer: string; position: number; n: number }>();
  for (const c of raw) {
    if (!c.finished_at || day(c.finished_at) < from || day(c.finished_at) > to) continue;
    const service = name(c.service_id);
    const cl = w.classifications.find((x) => x.id === c.classification_id);
    const item = cl ? `${cl.code} – ${cl.name}` : 'Sem classificação';
    const k = `${service}|${item}`;
    classes.set(k, { service, item, n: (classes.get(k)?.n ?? 0) + 1 });
    byService.set(service, (byService.get(service) ?? 0) + 1);
    if (!c.wrapup || typeof c.wrapup !== 'object' || Array.isArray(c.wrapup)) continue;
    for (const [key, value] of Object.entries(c.wrapup as Record<string, unknown>)) {
      if (value === null || value === '') continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const f = fields.find((x) => x.service_id === c.service_id && x.key === key);
      const shown = f?.type === 'text' ? '(preenchido)' : f?.type === 'boolean' && (text === 'true' || text === 'false') ? (text === 'true' ? 'Sim' : 'Não') : text;
      const mk = `${c.service_id}|${key}|${shown}`;
      const m = merged.get(mk) ?? { service, item: f?.label ?? key, answer: shown, position: f?.position ?? 1e9, n: 0 };
      m.n++;
      merged.set(mk, m);
    }
  }
  const pct = (n: number, of: number) => (of ? Math.round((n * 10_000) / of) / 100 : 0);
  const classRows = [...classes.values()]
    .sort((x, y) => x.service.localeCompare(y.service) || y.n - x.n || x.item.localeCompare(y.item))
    .map((r) => ({ section: 'Classificação', service: r.service, item: r.item, answer: null, count: r.n, share: pct(r.n, byService.get(r.service)!) }));
  const perField = new Map<string, number>();
  for (const m of merged.values()) perField.set(`${m.service}|${m.item}`, (perField.get(`${m.service}|${m.item}`) ?? 0) + m.n);
  const wrapRows = [...merged.values()]
    .sort((x, y) => x.service.localeCompare(y.service) || x.position - y.position || x.item.localeCompare(y.item) || y.n - x.n || x.answer.localeCompare(y.answer))
    .map((m) => ({ section: 'Ficha', service: m.service, item: m.item, answer: m.answer, count: m.n, share: pct(m.n, perField.get(`${m.service}|${m.item}`)!) }));
  const total = [...byService.values()].reduce((s, n) => s + n, 0);
  return { rows: [...classRows, ...wrapRows], total: { section: null, service: null, item: null, answer: null, count: total, share: total ? 100 : 0 } };
}

/** The report for every caller and filter equals the fold of the raw rows each may see. */
async function checkReport(offset: number, tz: string): Promise<void> {
  const raw = (await t.db.query<Raw>(`SELECT service_id, channel, agent_id, finished_at, classification_id, wrapup FROM conversations`)).rows;
  const fields = (await t.db.query<Field & { service_id: string }>(`SELECT service_id, key, label, type, position FROM wrapup_fields`)).rows;
  const matches = (c: Raw, f: Filter) => (!f.serviceId || c.service_id === f.serviceId) && (!f.channel || c.channel === f.channel)
    && (!f.teamId || w.teams.find((x) => x.id === f.teamId)!.services.has(c.service_id)) && (!f.agentId || c.agent_id === f.agentId);
  const inSup = (c: Raw) => w.supServices.has(c.service_id) || c.agent_id === w.sup;
  const cases: { who: string; actor: Actor; scope: (c: Raw) => boolean; filter: Filter; from?: string; to?: string }[] = [
    { who: 'admin', actor: adminActor, scope: () => true, filter: {} },
    { who: 'admin, one day', actor: adminActor, scope: () => true, filter: {}, from: '2026-06-01', to: '2026-06-01' },
    { who: 'admin, service', actor: adminActor, scope: () => true, filter: { serviceId: w.services[0].id } },
    { who: 'admin, channel', actor: adminActor, scope: () => true, filter: { channel: 'whatsapp' } },
    { who: 'admin, team', actor: adminActor, scope: () => true, filter: { teamId: w.teams[1].id } },
    { who: 'admin, agent', actor: adminActor, scope: () => true, filter: { agentId: w.agents[0] } },
    { who: 'supervisor', actor: supActor(), scope: inSup, filter: {} },
    { who: 'supervisor, agent', actor: supActor(), scope: inSup, filter: { agentId: w.sup } },
    { who: 'supervisor, team', actor: supActor(), scope: inSup, filter: { teamId: w.teams[1].id } },
    { who: 'agent', actor: agentActor(), scope: (c) => c.agent_id === w.agents[0], filter: {} },
  ];
  for (const k of cases) {
    const from = k.from ?? FROM;
    const to = k.to ?? TO;
    const r = await runReport(t.db, k.actor, 'classifications', { from, to, ...k.filter }, 'pt', NOW);
    expect(r.timezone).toBe(tz);
    const want = fold(raw.filter((c) => k.scope(c) && matches(c, k.filter)), fields, offset, from, to);
    expect({ rows: r.rows, total: r.total }, k.who).toEqual(want);
  }
}

const rebuild = () => rebuildRollups(t.db, { from: '2026-05-01', to: '2026-07-31' });

describe('Classificações rollups', () => {
  it('equal the rebuild and the report equals a fold of the raw rows, over random traffic and form changes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(conversation, { minLength: 5, maxLength: 30 }),
      fc.array(fc.record({ change: fc.constantFrom(...FORM_CHANGES), svc: fc.nat(2) }), { maxLength: 3 }),
      fc.boolean(),
      async (scripts, changes, moveZone) => {
        // a failed run leaves its rows: each run starts from none (and a shrunk counterexample is its own)
        await t.db.query(`DELETE FROM conversations`);
        await resetForms();
        await rebuild();
        const half = Math.ceil(scripts.length / 2);
        for (const s of scripts.slice(0, half)) await play(s);
        for (const c of changes) await changeForm(c.change, c.svc);
        for (const s of scripts.slice(half)) await play(s);
        const incremental = await snapshot();
        await rebuild();
        expect(incremental).toEqual(await snapshot());
        await checkReport(-3, 'America/Sao_Paulo');

        if (moveZone) {
          // the time zone moves (Kolkata, +05:30): the settings' triggers rebuild; more traffic and a form change in the new zone
          try {
            await t.db.query(`INSERT INTO settings (key, value) VALUES ('timezone', '"Asia/Kolkata"')`);
            await checkReport(5.5, 'Asia/Kolkata');
            for (const s of scripts.slice(0, 8)) await play(s);
            await changeForm('motivo_to_text', 1);
            const moved = await snapshot();
            await rebuild();
            expect(moved).toEqual(await snapshot());
            await checkReport(5.5, 'Asia/Kolkata');
          } finally {
            await t.db.query(`DELETE FROM settings WHERE key = 'timezone'`);
          }
          await checkReport(-3, 'America/Sao_Paulo');
        }

        // retention deletes every conversation: nothing is left in the rollups, not even an emptied
        // answer row (its text may be a person's words)
        await t.db.query(`DELETE FROM conversations`);
        expect(await snapshot()).toEqual([]);
        const { rows: [left] } = await t.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM conversation_rollups_wrapup) + (SELECT count(*) FROM conversation_rollups_wrapup_services) AS n`);
        expect(Number(left.n)).toBe(0);
      },
    ), { numRuns: Number(process.env.ROLLUPS_RUNS ?? 15) });
  }, 600_000);

  it('a text field renamed in its label needs no rebuild; its type changed rebuilds only its rows', async () => {
    await t.db.query(`DELETE FROM conversations`);
    await resetForms();
    const chat = w.services[0];
    const end = new Date(DAY0 + 12 * 3600_000);
    await t.db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, finished_at, wrapup)
       VALUES ($1, $2, $3, $4, 'completed', $5, $5, '{"obs": "a", "motivo": "boleto"}'), ($6, $2, $3, $4, 'completed', $5, $5, '{"obs": "b"}')`,
      [unique('P'), chat.id, chat.channel, w.contact, end, unique('P')],
    );
    const rows = async () => (await t.db.query<{ field: string; answer: string | null; n: number }>(
      `SELECT field, answer, n FROM conversation_rollups_wrapup_services WHERE service_id = $1 AND n <> 0 ORDER BY field, answer`, [chat.id])).rows;
    expect(await rows()).toEqual([{ field: 'motivo', answer: 'boleto', n: 1 }, { field: 'obs', answer: null, n: 2 }]);
    await t.db.query(`UPDATE wrapup_fields SET label = 'Notas' WHERE service_id = $1 AND key = 'obs'`, [chat.id]);
    expect(await rows()).toEqual([{ field: 'motivo', answer: 'boleto', n: 1 }, { field: 'obs', answer: null, n: 2 }]);
    await t.db.query(`UPDATE wrapup_fields SET type = 'select' WHERE service_id = $1 AND key = 'obs'`, [chat.id]);
    expect(await rows()).toEqual([{ field: 'motivo', answer: 'boleto', n: 1 }, { field: 'obs', answer: 'a', n: 1 }, { field: 'obs', answer: 'b', n: 1 }]);
    await t.db.query(`DELETE FROM conversations`);
  });
});
