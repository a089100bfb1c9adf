import type { ReportRow } from '../../contracts/reports.js';
import type { Label } from '../exports/table-export.js';
import { policyOf } from '../access.js';
import { conversationsWhere, pct, rawRest, rollupDaysWhere, SqlParams, usesRollups, type ReportContext, type ReportDefinition } from './definition.js';

// 4. Classificações: the conversations finished in the period by classification and service, and the
// answers of the wrap-up form (conversations.wrapup) by field and answer. One table a manager can
// filter in a spreadsheet: the `section` column says which of the two a row belongs to.

export const SECTION = {
  classification: { pt: 'Classificação', en: 'Classification' },
  wrapup: { pt: 'Ficha', en: 'Wrap-up form' },
} satisfies Record<string, Label>;

const UNCLASSIFIED: Label = { pt: 'Sem classificação', en: 'Not classified' };
const FILLED: Label = { pt: '(preenchido)', en: '(filled in)' };
const YES_NO: Record<string, Label> = { true: { pt: 'Sim', en: 'Yes' }, false: { pt: 'Não', en: 'No' } };

/** A wrap-up answer as the row shows it: free text is counted as filled in, yes/no in words. */
function answerText(type: string | null, value: string, lang: 'pt' | 'en'): string {
  if (type === 'text') return FILLED[lang];
  if (type === 'boolean' && YES_NO[value]) return YES_NO[value][lang];
  return value;
}

/**
 * The conversations with a wrap-up answer, as migration 0034's partial index on the ends says it: the
 * month's ends without one (most of them) are not read.
 */
const WITH_WRAPUP = `jsonb_typeof(c.wrapup) = 'object' AND c.wrapup <> '{}'::jsonb`;

interface ClassCount { service: string; code: string | null; name: string | null; n: number }
/** One answer's count; `value` null: a free-text answer counted as filled in (migration 0039's rows). */
interface AnswerCount { service: string; service_id: string; field: string; label: string | null; type: string | null; position: number | null; value: string | null; n: number }

/** The classification counts from the raw rows (with `rest`, only the part of the scope the rollups do not hold: rawRest). */
function classesRaw(ctx: ReportContext, q: SqlParams, rest: boolean): string {
  return `SELECT s.name AS service, cl.code, cl.name, count(*)::int AS n
            FROM conversations c JOIN services s ON s.id = c.service_id LEFT JOIN classifications cl ON cl.id = c.classification_id
           WHERE ${conversationsWhere(ctx, q, 'c', 'finished_at')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}
           GROUP BY s.name, cl.code, cl.name`;
}

/** The wrap-up answers from the raw rows: each key of conversations.wrapup, null and empty answers left out. */
function answersRaw(ctx: ReportContext, q: SqlParams, rest: boolean): string {
  return `SELECT s.name AS service, s.id AS service_id, kv.key AS field, f.label, f.type, f.position, kv.value #>> '{}' AS value, count(*)::int AS n
            FROM conversations c JOIN services s ON s.id = c.service_id
           CROSS JOIN LATERAL jsonb_each(c.wrapup) AS kv
            LEFT JOIN wrapup_fields f ON f.service_id = c.service_id AND f.key = kv.key
           WHERE ${conversationsWhere(ctx, q, 'c', 'finished_at')} AND ${WITH_WRAPUP}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}
             AND jsonb_typeof(kv.value) <> 'null' AND kv.value #>> '{}' <> ''
           GROUP BY s.name, s.id, kv.key, f.label, f.type, f.position, kv.value #>> '{}'`;
}


/**
 * Both sections' counts. An admin or a supervisor reads the day rollups (a month is a few thousand
 * rows instead of every end and its answers), a supervisor's own conversations outside their services
 * raw beside them; an agent reads raw. Rows every conversation left (n = 0) are not counts.
 */
async function counts(ctx: ReportContext): Promise<{ classes: ClassCount[]; answers: AnswerCount[] }> {
  const q = new SqlParams();
  const a = new SqlParams();
  if (!usesRollups(ctx)) {
    const classes = await ctx.db.query<ClassCount>(classesRaw(ctx, q, false), q.list);
    const answers = await ctx.db.query<AnswerCount>(answersRaw(ctx, a, false), a.list);
    return { classes: classes.rows, answers: answers.rows };
  }
  const rest = !policyOf(ctx.actor).all;
  let classesSql = `SELECT s.name AS service, cl.code, cl.name, x.n
                      FROM (SELECT r.service_id, r.classification_id, sum(r.n)::int AS n FROM conversation_rollups_finished r
                             WHERE ${rollupDaysWhere(ctx, q, 'r', { agent: true })} GROUP BY r.service_id, r.classification_id HAVING sum(r.n) <> 0) x
                      JOIN services s ON s.id = x.service_id LEFT JOIN classifications cl ON cl.id = x.classification_id`;
  // the answers: the level without the agent (0039's _services) unless an agent is asked
  const byAgent = Boolean(ctx.filter.agentId);
  let answersSql = `SELECT s.name AS service, s.id AS service_id, x.field, f.label, f.type, f.position, x.answer AS value, x.n
                      FROM (SELECT r.service_id, r.field, r.answer, sum(r.n)::int AS n
                              FROM ${byAgent ? 'conversation_rollups_wrapup' : 'conversation_rollups_wrapup_services'} r
                             WHERE ${rollupDaysWhere(ctx, a, 'r', { agent: true })} GROUP BY r.service_id, r.field, r.answer HAVING sum(r.n) <> 0) x
                      JOIN services s ON s.id = x.service_id LEFT JOIN wrapup_fields f ON f.service_id = x.service_id AND f.key = x.field`;
  if (rest) {
    classesSql += ` UNION ALL ${classesRaw(ctx, q, true)}`;
    answersSql += ` UNION ALL ${answersRaw(ctx, a, true)}`;
  }
  const classes = await ctx.db.query<ClassCount>(classesSql, q.list);
  const answers = await ctx.db.query<AnswerCount>(answersSql, a.list);
  // the raw part's groups are the rollups' (another service, or two services of one name): added up
  const byClass = new Map<string, ClassCount>();
  for (const r of classes.rows) {
    const key = JSON.stringify([r.service, r.code, r.name]);
    const into = byClass.get(key);
    if (into) into.n += r.n;
    else byClass.set(key, { ...r });
  }
  return { classes: [...byClass.values()], answers: answers.rows };
}

async function run(ctx: ReportContext) {
  const { classes, answers } = await counts(ctx);
  const L = ctx.lang;
  const byService = new Map<string, number>();
  for (const r of classes) byService.set(r.service, (byService.get(r.service) ?? 0) + r.n);
  const classRows: ReportRow[] = classes.map((r) => ({
    section: SECTION.classification[L], service: r.service, item: r.code === null ? UNCLASSIFIED[L] : `${r.code} – ${r.name}`, answer: null,
    count: r.n, share: pct(r.n, byService.get(r.service)!),
  }));
  // free text answers merge into one "(filled in)" row per field
  const merged = new Map<string, { service: string; item: string; answer: string; position: number; n: number }>();
  for (const r of answers) {
    const answer = r.value === null ? FILLED[L] : answerText(r.type, r.value, L);
    const key = `${r.service_id}|${r.field}|${answer}`;
    const m = merged.get(key) ?? { service: r.service, item: r.label ?? r.field, answer, position: r.position ?? 1e9, n: 0 };
    m.n += r.n;
    merged.set(key, m);
  }
  const perField = new Map<string, number>();
  for (const m of merged.values()) perField.set(`${m.service}|${m.item}`, (perField.get(`${m.service}|${m.item}`) ?? 0) + m.n);
  const wrapRows: ReportRow[] = [...merged.values()]
    .sort((x, y) => x.service.localeCompare(y.service) || x.position - y.position || x.item.localeCompare(y.item) || y.n - x.n || x.answer.localeCompare(y.answer))
    .map((m) => ({ section: SECTION.wrapup[L], service: m.service, item: m.item, answer: m.answer, count: m.n, share: pct(m.n, perField.get(`${m.service}|${m.item}`)!) }));
  classRows.sort((x, y) => String(x.service).localeCompare(String(y.service)) || Number(y.count) - Number(x.count) || String(x.item).localeCompare(String(y.item)));
  const finished = [...byService.values()].reduce((s, n) => s + n, 0);
  return {
    rows: [...classRows, ...wrapRows],
    // the total counts conversations (the classification section); wrap-up answers are several per conversation
    total: { section: null, service: null, item: null, answer: null, count: finished, share: finished ? 100 : 0 },
  };
}

export const classificationsReport: ReportDefinition = {
  id: 'classifications',
  title: { pt: 'Classificações', en: 'Classifications' },
  description: {
    pt: 'Atendimentos encerrados no período por classificação e serviço, e as respostas da ficha de atendimento por campo',
    en: 'Conversations finished in the period by classification and service, and the wrap-up form’s answers by field',
  },
  usesInterval: false,
  filters: ['serviceId', 'channel', 'teamId', 'agentId'],
  columns: [
    { key: 'section', label: { pt: 'Seção', en: 'Section' }, kind: 'text', definition: { pt: 'Classificação (um por atendimento) ou Ficha (uma linha por campo e resposta)', en: 'Classification (one per conversation) or Wrap-up form (one row per field and answer)' } },
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'item', label: { pt: 'Classificação / Campo', en: 'Classification / Field' }, kind: 'text' },
    { key: 'answer', label: { pt: 'Resposta', en: 'Answer' }, kind: 'text', definition: { pt: 'a resposta do campo; texto livre conta como (preenchido)', en: 'the field’s answer; free text counts as (filled in)' } },
    { key: 'count', label: { pt: 'Qtd', en: 'Count' }, kind: 'count' },
    {
      key: 'share', label: { pt: 'Pct', en: 'Share' }, kind: 'pct',
      definition: { pt: 'da classificação: sobre os encerrados do serviço; da ficha: sobre as respostas do campo no serviço', en: 'classification: of the service’s finished conversations; form: of the field’s answers in the service' },
    },
  ],
  chart: null,
  run,
};
