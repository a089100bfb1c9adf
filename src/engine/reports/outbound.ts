import type { ReportRow } from '../../contracts/reports.js';
import { bucketSql, conversationsScope, SqlParams, type ReportContext, type ReportDefinition } from './definition.js';

// 9. Mensagens ativas: the approved templates sent in the period (messages of content type template,
// agent-send.ts), per template × service × interval (a day unless asked otherwise), by the provider's
// delivery status, and answered: the customer wrote in the same conversation afterwards.

const COUNTS = ['sent', 'delivered', 'read', 'failed', 'answered'] as const;

async function run(ctx: ReportContext) {
  const q = new SqlParams();
  const when = bucketSql('m.created_at', ctx.interval, q.p(ctx.period.timeZone));
  const { rows } = await ctx.db.query<{ bucket: string; template: string; service: string } & Record<(typeof COUNTS)[number], number>>(
    `SELECT ${when} AS bucket, coalesce(m.payload->'template'->>'name', '?') AS template, s.name AS service,
            count(*)::int AS sent,
            count(*) FILTER (WHERE m.delivery_status IN ('delivered', 'read'))::int AS delivered,
            count(*) FILTER (WHERE m.delivery_status = 'read')::int AS read,
            count(*) FILTER (WHERE m.delivery_status = 'failed')::int AS failed,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id AND r.author_type = 'customer' AND r.id > m.id))::int AS answered
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN services s ON s.id = c.service_id
      WHERE m.content_type = 'template' AND m.created_at >= ${q.p(ctx.period.start)} AND m.created_at < ${q.p(ctx.period.end)}
        AND ${conversationsScope(ctx, q, 'c')}
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
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
