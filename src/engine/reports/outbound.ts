import type { ReportRow } from '../../contracts/reports.js';
import { policyOf } from '../access.js';
import {
  bucketSql, bucketText, conversationsScope, localBucketSql, rawRest, rollupFiltersWhere, SqlParams, usesRollups, type ReportContext, type ReportDefinition,
} from './definition.js';

// 9. Mensagens ativas: the approved templates sent in the period (messages of content type template,
// agent-send.ts), per template × service × interval (a day unless asked otherwise), by the provider's
// delivery status, and answered: the customer wrote in the same conversation afterwards.
//
// An admin's and a supervisor's cells are read from migration 0040's rollups (per local 15-minute slot
// × template × the conversation's service, channel and agent, kept by triggers on messages and
// conversations) summed into the interval asked; a supervisor's own conversations outside their
// services are read raw and added in the same statement; an agent's scope is read raw.

const COUNTS = ['sent', 'delivered', 'read', 'failed', 'answered'] as const;

type Counts = Record<(typeof COUNTS)[number], number>;

/** The raw statement's select list and source: the period's templates joined to their conversations. */
function rawSelect(ctx: ReportContext, q: SqlParams, tz: string, rest: boolean): string {
  return `SELECT ${bucketSql('m.created_at', ctx.interval, tz)} AS bucket, coalesce(m.payload->'template'->>'name', '?') AS template, s.name AS service,
            count(*)::int AS sent,
            count(*) FILTER (WHERE m.delivery_status IN ('delivered', 'read'))::int AS delivered,
            count(*) FILTER (WHERE m.delivery_status = 'read')::int AS read,
            count(*) FILTER (WHERE m.delivery_status = 'failed')::int AS failed,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id AND r.author_type = 'customer' AND r.id > m.id))::int AS answered
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN services s ON s.id = c.service_id
      WHERE m.content_type = 'template' AND m.created_at >= ${q.p(ctx.period.start)} AND m.created_at < ${q.p(ctx.period.end)}
        AND ${conversationsScope(ctx, q, 'c')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}
      GROUP BY 1, 2, 3`;
}

/** The rollup's cells of the period in the caller's services, with the filters asked, summed per bucket × template × service name. */
function rollupSelect(ctx: ReportContext, q: SqlParams, tz: string): string {
  const where = [`r.slot >= (${q.p(ctx.period.start)}::timestamptz AT TIME ZONE ${tz})`, `r.slot < (${q.p(ctx.period.end)}::timestamptz AT TIME ZONE ${tz})`,
    // a cell every template left adds nothing (every count is at most sent)
    'r.sent <> 0', ...rollupFiltersWhere(ctx, q, 'r')];
  if (ctx.filter.agentId) where.push(`r.agent_id = ${q.p(ctx.filter.agentId)}::uuid`);
  // grouped by the bucket's timestamp and the service's id, named and written as text after
  return `SELECT ${bucketText('g.bucket')} AS bucket, g.template, s.name AS service,
                 sum(g.sent)::int AS sent, sum(g.delivered)::int AS delivered, sum(g.read)::int AS read, sum(g.failed)::int AS failed,
                 sum(g.answered)::int AS answered
            FROM (SELECT ${localBucketSql('r.slot', ctx.interval)} AS bucket, r.template, r.service_id,
                         sum(r.sent) AS sent, sum(r.delivered) AS delivered, sum(r.read) AS read, sum(r.failed) AS failed, sum(r.answered) AS answered
                    FROM template_rollups_15m r
                   WHERE ${where.join(' AND ')}
                   GROUP BY 1, 2, 3) g
            JOIN services s ON s.id = g.service_id
           GROUP BY 1, 2, 3`;
}

async function run(ctx: ReportContext) {
  const q = new SqlParams();
  const tz = q.p(ctx.period.timeZone);
  let sql: string;
  if (!usesRollups(ctx)) sql = `${rawSelect(ctx, q, tz, false)} ORDER BY 1, 2, 3`;
  else if (policyOf(ctx.actor).all) sql = `${rollupSelect(ctx, q, tz)} ORDER BY 1, 2, 3`;
  else {
    // a supervisor: the rollups of their services and, raw, their own conversations outside them,
    // added per row (both parts name the service the same way)
    const parts = `${rollupSelect(ctx, q, tz)} UNION ALL ${rawSelect(ctx, q, tz, true)}`;
    sql = `SELECT bucket, template, service, ${COUNTS.map((k) => `sum(${k})::int AS ${k}`).join(', ')}
             FROM (${parts}) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  }
  const { rows } = await ctx.db.query<{ bucket: string; template: string; service: string } & Counts>(sql, q.list);
  const total: ReportRow = { day: null, template: null, service: null, ...Object.fromEntries(COUNTS.map((k) => [k, 0])) };
  const list: ReportRow[] = rows.map((r) => {
    for (const k of COUNTS) total[k] = Number(total[k]) + r[k];
    return { day: r.bucket, template: r.template, service: r.service, ...Object.fromEntries(COUNTS.map((k) => [k, r[k]])) };
  });
  return { rows: list, total };
}

export const outboundReport: ReportDefinition = {
  id: 'outbound',
  title: { pt: 'Mensagens ativas', en: 'Outbound messages' },
  description: {
    pt: 'Templates enviados, entregues, lidos, com falha e respondidos, por template, serviço e dia',
    en: 'Templates sent, delivered, read, failed and answered, per template, service and day',
  },
  usesInterval: true,
  filters: ['serviceId', 'channel', 'teamId', 'agentId'],
  columns: [
    { key: 'day', label: { pt: 'Início do intervalo', en: 'Interval start' }, kind: 'time' },
    { key: 'template', label: { pt: 'Template', en: 'Template' }, kind: 'text', definition: { pt: 'o nome aprovado no provedor', en: 'the name approved by the provider' } },
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'sent', label: { pt: 'Enviados', en: 'Sent' }, kind: 'count', definition: { pt: 'templates enviados no intervalo (qualquer status)', en: 'templates sent in the interval (any status)' } },
    { key: 'delivered', label: { pt: 'Entregues', en: 'Delivered' }, kind: 'count', definition: { pt: 'entregues ou lidos, segundo o provedor', en: 'delivered or read, as the provider reports' } },
    { key: 'read', label: { pt: 'Lidos', en: 'Read' }, kind: 'count' },
    { key: 'failed', label: { pt: 'Falhas', en: 'Failed' }, kind: 'count' },
    { key: 'answered', label: { pt: 'Respondidos', en: 'Answered' }, kind: 'count', definition: { pt: 'o cliente escreveu depois, no mesmo atendimento', en: 'the customer wrote afterwards, in the same conversation' } },
  ],
  chart: { type: 'bar', category: 'day', series: ['sent', 'delivered', 'read', 'failed', 'answered'] },
  run,
};
