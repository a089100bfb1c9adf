import type { ReportRow } from '../../contracts/reports.js';
import { policyOf } from '../access.js';
import { getSettings } from '../settings.js';
import { conversationsWhere, pct, rawRest, rollupDaysWhere, SqlParams, usesRollups, type ReportContext, type ReportDefinition } from './definition.js';

// 5. Abandono: per service, the conversations that left the queue unanswered (metrics.md: abandoned or
// customer_gave_up after entering a queue, never assigned), counted when they ended, by how long they
// had waited (the same wait as the monitor's: finished_at − queued_at); short abandonments apart.

/** The wait buckets, in seconds: [from, to). */
export const WAIT_BUCKETS = [
  { key: 'w0_30', from: 0, to: 30, label: '0–30 s' },
  { key: 'w30_60', from: 30, to: 60, label: '30–60 s' },
  { key: 'w1_2', from: 60, to: 120, label: '1–2 min' },
  { key: 'w2_5', from: 120, to: 300, label: '2–5 min' },
  { key: 'w5_10', from: 300, to: 600, label: '5–10 min' },
  { key: 'w10', from: 600, to: null, label: '> 10 min' },
] as const;

const ABANDONED = `c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL`;


async function run(ctx: ReportContext) {
  const { shortAbandonSeconds } = await getSettings(ctx.db);
  const wait = `extract(epoch FROM c.finished_at - coalesce(c.queued_at, c.first_queued_at))`;
  const buckets = WAIT_BUCKETS.map((b) => `count(*) FILTER (WHERE ${wait} >= ${b.from}${b.to === null ? '' : ` AND ${wait} < ${b.to}`})::int AS ${b.key}`);
  const offeredRaw = (q: SqlParams, rest: boolean) =>
    `SELECT c.service_id, s.name AS service, count(*)::int AS n FROM conversations c JOIN services s ON s.id = c.service_id
      WHERE ${conversationsWhere(ctx, q, 'c', 'first_queued_at')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''} GROUP BY c.service_id, s.name`;
  const abandonedRaw = (q: SqlParams, rest: boolean) =>
    `SELECT c.service_id, s.name AS service, count(*)::int AS abandoned,
            count(*) FILTER (WHERE ${wait} <= ${q.p(shortAbandonSeconds)})::int AS short, ${buckets.join(', ')}
       FROM conversations c JOIN services s ON s.id = c.service_id
      WHERE ${ABANDONED} AND ${conversationsWhere(ctx, q, 'c', 'finished_at')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}
      GROUP BY c.service_id, s.name`;
  const o = new SqlParams();
  const a = new SqlParams();
  const rollup = usesRollups(ctx);
  let offeredSql: string;
  let abandonedSql: string;
  if (rollup) {
    // offered: the queued milestone (k 2); abandoned: the ended ones (k 5) with a wait bucket (≥ 0)
    const binned = WAIT_BUCKETS.map((b, i) => `coalesce(sum(r.n) FILTER (WHERE r.wait_bin = ${i}), 0)::int AS ${b.key}`);
    offeredSql = `SELECT r.service_id, s.name AS service, sum(r.n)::int AS n FROM conversation_rollups r JOIN services s ON s.id = r.service_id
                   WHERE r.k = 2 AND ${rollupDaysWhere(ctx, o, 'r')} GROUP BY r.service_id, s.name`;
    abandonedSql = `SELECT r.service_id, s.name AS service, sum(r.n)::int AS abandoned, sum(r.short_n)::int AS short, ${binned.join(', ')}
                      FROM conversation_rollups r JOIN services s ON s.id = r.service_id
                     WHERE r.k = 5 AND r.wait_bin >= 0 AND ${rollupDaysWhere(ctx, a, 'r')} GROUP BY r.service_id, s.name`;
    if (!policyOf(ctx.actor).all) {
      offeredSql += ` UNION ALL ${offeredRaw(o, true)}`;
      abandonedSql += ` UNION ALL ${abandonedRaw(a, true)}`;
    }
  } else {
    offeredSql = offeredRaw(o, false);
    abandonedSql = abandonedRaw(a, false);
  }
  const offeredAll = await ctx.db.query<{ service_id: string; service: string; n: number }>(offeredSql, o.list);
  const abandonedAll = await ctx.db.query<{ service_id: string } & Record<string, number | string>>(abandonedSql, a.list);
  const offered = { rows: sumBy(offeredAll.rows, ['n']) };
  const abandoned = { rows: sumBy(abandonedAll.rows, ['abandoned', 'short', ...WAIT_BUCKETS.map((b) => b.key)]) };
  const rows = new Map<string, ReportRow>();
  const blank = (service: string): ReportRow => ({
    service, offered: 0, abandoned: 0, short: 0, ...Object.fromEntries(WAIT_BUCKETS.map((b) => [b.key, 0])), rate: 0,
  });
  for (const r of offered.rows) rows.set(r.service_id, { ...blank(r.service), offered: r.n });
  for (const r of abandoned.rows) {
    const row = rows.get(r.service_id as string) ?? blank(r.service as string);
    for (const k of ['abandoned', 'short', ...WAIT_BUCKETS.map((b) => b.key)]) row[k] = r[k];
    rows.set(r.service_id as string, row);
  }
  const list = [...rows.values()].sort((a, b) => String(a.service).localeCompare(String(b.service)));
  for (const r of list) r.rate = pct(Number(r.abandoned), Number(r.offered));
  const total: ReportRow = blank('');
  total.service = null;
  for (const r of list) for (const k of ['offered', 'abandoned', 'short', ...WAIT_BUCKETS.map((b) => b.key)]) total[k] = Number(total[k]) + Number(r[k]);
  total.rate = pct(Number(total.abandoned), Number(total.offered));
  return { rows: list, total };
}

/** Rows of the same service (a rollup part and a raw part) added up. */
function sumBy<R extends { service_id: string }>(rows: R[], keys: string[]): R[] {
  const out = new Map<string, R>();
  for (const r of rows) {
    const into = out.get(r.service_id);
    if (!into) out.set(r.service_id, { ...r });
    else for (const k of keys) (into as Record<string, unknown>)[k] = Number((into as Record<string, unknown>)[k]) + Number((r as Record<string, unknown>)[k]);
  }
  return [...out.values()];
}

export const abandonmentReport: ReportDefinition = {
  id: 'abandonment',
  title: { pt: 'Abandono', en: 'Abandonment' },
  description: {
    pt: 'Abandonos na fila por serviço e faixa de espera, abandono curto à parte, e a taxa de abandono',
    en: 'Queue abandonments per service by waiting time, short abandonments apart, and the abandonment rate',
  },
  usesInterval: false,
  // an abandoned conversation never had an agent: the agent filter does not apply
  filters: ['serviceId', 'channel', 'teamId'],
  columns: [
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'offered', label: { pt: 'Ofertados', en: 'Offered' }, kind: 'count', definition: { pt: 'entraram numa fila humana no período', en: 'entered a human queue in the period' } },
    {
      key: 'abandoned', label: { pt: 'Abandonos', en: 'Abandoned' }, kind: 'count',
      definition: { pt: 'saíram da fila sem atendimento no período (abandono ou desistência na fila)', en: 'left the queue unanswered in the period (abandoned or gave up while queued)' },
    },
    {
      key: 'short', label: { pt: 'Abandono curto', en: 'Short abandons' }, kind: 'count',
      definition: { pt: 'abandonos com espera até o limite de abandono curto (Parâmetros); já contados nas faixas', en: 'abandons that waited up to the short-abandon limit (Settings); also in the buckets' },
    },
    ...WAIT_BUCKETS.map((b) => ({
      key: b.key, label: { pt: b.label, en: b.label }, kind: 'count' as const,
      definition: { pt: 'abandonos por tempo de espera na fila (fim − entrada na fila)', en: 'abandons by time waited in the queue (end − queued)' },
    })),
    { key: 'rate', label: { pt: 'Taxa de abandono', en: 'Abandonment rate' }, kind: 'pct', definition: { pt: 'abandonos ÷ ofertados × 100', en: 'abandoned ÷ offered × 100' } },
  ],
  chart: { type: 'stacked-bar', category: 'service', series: WAIT_BUCKETS.map((b) => b.key) },
  run,
};
