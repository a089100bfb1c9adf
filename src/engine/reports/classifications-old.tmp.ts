import type { ReportRow } from '../../contracts/reports.js';
import type { Label } from '../exports/table-export.js';
import { conversationsWhere, pct, SqlParams, type ReportContext, type ReportDefinition } from './definition.js';

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

async function run(ctx: ReportContext) {
  const q = new SqlParams();
  const where = conversationsWhere(ctx, q, 'c', 'finished_at');
  const classes = await ctx.db.query<{ service: string; code: string | null; name: string | null; n: number }>(
    `SELECT s.name AS service, cl.code, cl.name, count(*)::int AS n
       FROM conversations c JOIN services s ON s.id = c.service_id LEFT JOIN classifications cl ON cl.id = c.classification_id
      WHERE ${where}
      GROUP BY s.name, cl.code, cl.name`,
    q.list,
  );
  const a = new SqlParams();
  const answers = await ctx.db.query<{ service: string; service_id: string; field: string; label: string | null; type: string | null; position: number | null; value: string; n: number }>(
    `SELECT s.name AS service, s.id AS service_id, kv.key AS field, f.label, f.type, f.position, kv.value #>> '{}' AS value, count(*)::int AS n
       FROM conversations c JOIN services s ON s.id = c.service_id
       CROSS JOIN LATERAL jsonb_each(c.wrapup) AS kv
       LEFT JOIN wrapup_fields f ON f.service_id = c.service_id AND f.key = kv.key
      WHERE ${conversationsWhere(ctx, a, 'c', 'finished_at')} AND ${WITH_WRAPUP}
        AND jsonb_typeof(kv.value) <> 'null' AND kv.value #>> '{}' <> ''
      GROUP BY s.name, s.id, kv.key, f.label, f.type, f.position, kv.value #>> '{}'`,
    a.list,
  );
  const L = ctx.lang;
  const byService = new Map<string, number>();
  for (const r of classes.rows) byService.set(r.service, (byService.get(r.service) ?? 0) + r.n);
  const classRows: ReportRow[] = classes.rows.map((r) => ({
    section: SECTION.classification[L], service: r.service, item: r.code === null ? UNCLASSIFIED[L] : `${r.code} – ${r.name}`, answer: null,
    count: r.n, share: pct(r.n, byService.get(r.service)!),
  }));
  // free text answers merge into one "(filled in)" row per field
  const merged = new Map<string, { service: string; item: string; answer: string; position: number; n: number }>();
  for (const r of answers.rows) {
    const answer = answerText(r.type, r.value, L);
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
