import type { ReportRow } from '../../contracts/reports.js';
import { conversationsScope, conversationsWhere, pct, seconds, SqlParams, type ReportContext, type ReportDefinition } from './definition.js';

// 7. E-mail: the decree's 7 calendar days (metrics.md §Brazil; calendar, not business days). The open
// e-mail demands now by age in calendar days in the contact center's time zone, and the first response
// time (first agent message − arrival) of the e-mails first answered in the period, per service.

/** Age buckets in calendar days (today − the arrival's local date). */
export const AGE_BUCKETS = [
  { key: 'age0_1', from: 0, to: 1, label: '≤ 1' },
  { key: 'age2_3', from: 2, to: 3, label: '2–3' },
  { key: 'age4_5', from: 4, to: 5, label: '4–5' },
  { key: 'age6_7', from: 6, to: 7, label: '6–7' },
  { key: 'age8', from: 8, to: null, label: '> 7' },
] as const;

const OPEN = `c.state IN ('triage', 'bot', 'queued', 'in_service')`;
const DAY = 86_400;

async function run(ctx: ReportContext) {
  const o = new SqlParams();
  const tz = o.p(ctx.period.timeZone);
  const age = `((${o.p(ctx.now)}::timestamptz AT TIME ZONE ${tz})::date - (c.created_at AT TIME ZONE ${tz})::date)`;
  const open = await ctx.db.query<Record<string, number | string>>(
    `SELECT c.service_id, s.name AS service, count(*)::int AS open,
            ${AGE_BUCKETS.map((b) => `count(*) FILTER (WHERE ${age} >= ${b.from}${b.to === null ? '' : ` AND ${age} <= ${b.to}`})::int AS ${b.key}`).join(', ')}
       FROM conversations c JOIN services s ON s.id = c.service_id
      WHERE c.channel = 'email' AND ${OPEN} AND ${conversationsScope(ctx, o, 'c')}
      GROUP BY c.service_id, s.name`,
    o.list,
  );
  const q = new SqlParams();
  const response = `extract(epoch FROM c.first_agent_message_at - c.created_at)`;
  const answered = await ctx.db.query<{ service_id: string; service: string; answered: number; sum: number; max: number; in24h: number; in7d: number }>(
    `SELECT c.service_id, s.name AS service, count(*)::int AS answered, sum(${response})::float8 AS sum, max(${response})::float8 AS max,
            count(*) FILTER (WHERE ${response} <= ${DAY})::int AS in24h, count(*) FILTER (WHERE ${response} <= ${7 * DAY})::int AS in7d
       FROM conversations c JOIN services s ON s.id = c.service_id
      WHERE c.channel = 'email' AND ${conversationsWhere(ctx, q, 'c', 'first_agent_message_at')}
      GROUP BY c.service_id, s.name`,
    q.list,
  );
  const byService = new Map<string, { service: string; open: Record<string, number | string> | null; answered: (typeof answered.rows)[number] | null }>();
  for (const r of open.rows) byService.set(r.service_id as string, { service: r.service as string, open: r, answered: null });
  for (const r of answered.rows) byService.set(r.service_id, { service: r.service, open: byService.get(r.service_id)?.open ?? null, answered: r });
  const keys = ['open', ...AGE_BUCKETS.map((b) => b.key)];
  const total = { open: Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>, answered: 0, sum: 0, max: null as number | null, in24h: 0, in7d: 0 };
  const rows: ReportRow[] = [...byService.values()].sort((a, b) => a.service.localeCompare(b.service)).map(({ service, open: op, answered: an }) => {
    for (const k of keys) total.open[k] += Number(op?.[k] ?? 0);
    if (an) {
      total.answered += an.answered;
      total.sum += an.sum;
      total.max = Math.max(total.max ?? 0, an.max);
      total.in24h += an.in24h;
      total.in7d += an.in7d;
    }
    return {
      service, ...Object.fromEntries(keys.map((k) => [k, Number(op?.[k] ?? 0)])),
      answered: an?.answered ?? 0, meanResponse: an ? seconds(an.sum / an.answered) : null, maxResponse: an ? seconds(an.max) : null,
      within24h: pct(an?.in24h ?? 0, an?.answered ?? 0), within7d: pct(an?.in7d ?? 0, an?.answered ?? 0),
    };
  });
  return {
    rows,
    notes: [NOW_NOTE],
    total: {
      service: null, ...total.open, answered: total.answered, meanResponse: total.answered ? seconds(total.sum / total.answered) : null,
      maxResponse: seconds(total.max), within24h: pct(total.in24h, total.answered), within7d: pct(total.in7d, total.answered),
    },
  };
}

const NOW_NOTE = {
  pt: 'As demandas abertas são as de agora, qualquer que seja o período; a primeira resposta é a dos e-mails respondidos no período. Prazo do decreto do SAC: 7 dias corridos.',
  en: 'Open demands are those open now, whatever the period; first response covers the e-mails first answered in the period. The SAC decree’s limit: 7 calendar days.',
};

const AGE_DEF = { pt: 'demandas de e-mail abertas agora, por dias corridos desde a chegada (fuso da central)', en: 'e-mail demands open now, by calendar days since arrival (the contact center’s time zone)' };

export const emailReport: ReportDefinition = {
  id: 'email',
  title: { pt: 'E-mail', en: 'E-mail' },
  description: {
    pt: 'Idade das demandas de e-mail abertas frente aos 7 dias do decreto do SAC, e tempo da primeira resposta',
    en: 'Age of open e-mail demands against the SAC decree’s 7 days, and first response time',
  },
  usesInterval: false,
  filters: ['serviceId', 'teamId', 'agentId'],
  columns: [
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'open', label: { pt: 'Abertas agora', en: 'Open now' }, kind: 'count', definition: AGE_DEF },
    ...AGE_BUCKETS.map((b) => ({ key: b.key, label: { pt: `${b.label} dias`, en: `${b.label} days` }, kind: 'count' as const, definition: AGE_DEF })),
    {
      key: 'answered', label: { pt: 'Respondidas', en: 'Answered' }, kind: 'count',
      definition: { pt: 'e-mails com a primeira resposta de um agente no período', en: 'e-mails first answered by an agent in the period' },
    },
    { key: 'meanResponse', label: { pt: 'Primeira resposta média', en: 'Mean first response' }, kind: 'duration', definition: { pt: 'média de (primeira mensagem do agente − chegada)', en: 'mean of (first agent message − arrival)' } },
    { key: 'maxResponse', label: { pt: 'Maior primeira resposta', en: 'Longest first response' }, kind: 'duration' },
    { key: 'within24h', label: { pt: '% em 24 h', en: '% within 24 h' }, kind: 'pct', definition: { pt: 'respondidas em até 24 h ÷ respondidas', en: 'answered within 24 h ÷ answered' } },
    { key: 'within7d', label: { pt: '% em 7 dias', en: '% within 7 days' }, kind: 'pct', definition: { pt: 'respondidas em até 7 dias corridos (168 h) ÷ respondidas', en: 'answered within 7 calendar days (168 h) ÷ answered' } },
  ],
  chart: { type: 'stacked-bar', category: 'service', series: AGE_BUCKETS.map((b) => b.key) },
  run,
};
