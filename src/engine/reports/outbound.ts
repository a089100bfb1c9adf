import type { ReportRow } from '../../contracts/reports.js';
import { policyOf } from '../access.js';
import {
  bucketStartSql, bucketText, conversationsScope, localBucketSql, rawRest, rollupSlotsWhere, SqlParams, usesRollups, type ReportContext, type ReportDefinition,
} from './definition.js';

// 9. Mensagens ativas: the approved templates sent in the period (messages of content type template,
// agent-send.ts), per template × service × interval (a day unless asked otherwise), by the provider's
// delivery status, and answered: the customer wrote in the same conversation afterwards.
//
// An admin's and a supervisor's cells are read from migration 0040's rollups (per local 15-minute slot
// × template × the conversation's service, channel and agent, kept by triggers on messages and
// conversations) summed into the interval asked; a supervisor's own conversations outside their
// services are read raw and added in the same statement; an agent's scope is read raw. A month of
// 340,000 templates at 30 minutes: ~40,000 cells instead of the templates and an EXISTS probe each
// (docs/REPORTS.md section 9).

const COUNTS = ['sent', 'delivered', 'read', 'failed', 'answered'] as const;

type Counts = Record<(typeof COUNTS)[number], number>;

/** The period's templates in the caller's scope, raw (with `rest`, only the part the rollups do not hold), per bucket × template × service. */
function rawCells(ctx: ReportContext, q: SqlParams, tz: string, rest: boolean): string {
  return `SELECT ${bucketStartSql('m.created_at', ctx.interval, tz)} AS bucket, coalesce(m.payload->'template'->>'name', '?') AS template, c.service_id,
            count(*) AS sent,
            count(*) FILTER (WHERE m.delivery_status IN ('delivered', 'read')) AS delivered,
            count(*) FILTER (WHERE m.delivery_status = 'read') AS read,
            count(*) FILTER (WHERE m.delivery_status = 'failed') AS failed,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id AND r.author_type = 'customer' AND r.id > m.id)) AS answered
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.content_type = 'template' AND m.created_at >= ${q.p(ctx.period.start)} AND m.created_at < ${q.p(ctx.period.end)}
        AND ${conversationsScope(ctx, q, 'c')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}
      GROUP BY 1, 2, 3`;
}

/** The rollup's cells of the period in the caller's services, with the filters asked, per bucket × template × service. */
function rollupCells(ctx: ReportContext, q: SqlParams, tz: string): string {
  // a cell every template left adds nothing (every count is at most sent)
  const where = rollupSlotsWhere(ctx, q, 'r', tz, 'r.sent <> 0', { agent: true });
  return `SELECT ${localBucketSql('r.slot', ctx.interval)} AS bucket, r.template, r.service_id,
                 sum(r.sent) AS sent, sum(r.delivered) AS delivered, sum(r.read) AS read, sum(r.failed) AS failed, sum(r.answered) AS answered
            FROM template_rollups_15m r
           WHERE ${where}
           GROUP BY 1, 2, 3`;
}

async function run(ctx: ReportContext) {
  const q = new SqlParams();
  const tz = q.p(ctx.period.timeZone);
  // an admin's and a supervisor's from the rollups (a supervisor's own conversations outside their
  // services raw, added per row); an agent's raw
  const parts = !usesRollups(ctx) ? rawCells(ctx, q, tz, false)
    : policyOf(ctx.actor).all ? rollupCells(ctx, q, tz)
      : `${rollupCells(ctx, q, tz)} UNION ALL ${rawCells(ctx, q, tz, true)}`;
  // services named last, and rows grouped and sorted by the bucket's timestamp (its text sorts alike),
  // written as text after: a month at 30 minutes is ~15,000 rows, and sorting text keys costs
  const { rows } = await ctx.db.query<{ bucket: string; template: string; service: string } & Counts>(
    `SELECT ${bucketText('x.bucket')} AS bucket, x.template, s.name AS service, ${COUNTS.map((k) => `sum(x.${k})::int AS ${k}`).join(', ')}
       FROM (${parts}) x JOIN services s ON s.id = x.service_id
      GROUP BY x.bucket, x.template, s.name
      ORDER BY x.bucket, x.template, s.name`,
    q.list,
  );
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
