import type { ReportRow } from '../../contracts/reports.js';
import { policyOf } from '../access.js';
import type { Label } from '../exports/table-export.js';
import { conversationsWhere, pct, rawRest, rollupDaysWhere, SqlParams, usesRollups, type ReportContext, type ReportDefinition } from './definition.js';

// 6. Pré-atendimento (bot): the conversations whose bot stage started in the period, per service (each
// service has one flow): how they left the bot, which menu options customers chose, and at which step
// those who gave up stopped. A conversation counts under the service it entered by (whose flow ran),
// even when the flow transferred it to another service's queue, and the service and team filters and
// the caller's scope apply to that service too. The options are those the bot runner chose (bot_choices,
// recorded by engine/bot/stage.ts), not re-matched here. Admins and supervisors read migration 0038's
// day rollups. One table with a `section` column, like Classificações.

const SECTION = {
  outcome: { pt: 'Resultado', en: 'Outcome' },
  option: { pt: 'Opção escolhida', en: 'Option chosen' },
  gaveUp: { pt: 'Desistência na etapa', en: 'Gave up at step' },
} satisfies Record<string, Label>;

const OUTCOME: Record<'total' | 'ended' | 'transferred' | 'gave_up' | 'in_bot' | 'other', Label> = {
  total: { pt: 'Com etapa de bot', en: 'Had a bot stage' },
  ended: { pt: 'Encerrados no bot', en: 'Ended in the bot' },
  transferred: { pt: 'Transferidos para a fila', en: 'Transferred to the queue' },
  gave_up: { pt: 'Desistências no bot', en: 'Gave up in the bot' },
  in_bot: { pt: 'Ainda no bot', en: 'Still in the bot' },
  other: { pt: 'Outros encerramentos no bot', en: 'Otherwise finished in the bot' },
};

/**
 * The conversations with a bot stage as this report reads them raw, as `conversations`-like rows whose
 * `service_id` is the FLOW's service (the one they entered by), so the caller's scope and the service
 * and team filters (conversationsWhere, rawRest) apply to it; how each left the bot is migration
 * 0038's bot_outcome() (the rollups' definition), with the step of those who gave up.
 */
const BOT_CONVERSATIONS = `(SELECT coalesce(x.entry_service_id, x.service_id) AS service_id, x.agent_id, x.channel, x.created_at, o.outcome,
    CASE WHEN o.outcome = 'gave_up' THEN x.bot_state->>'stepId' END AS step
   FROM conversations x CROSS JOIN LATERAL (SELECT bot_outcome(x.state, x.first_queued_at, x.finished_by, x.finished_at) AS outcome) o
  WHERE x.bot_started_at IS NOT NULL)`;

/** The options the runner chose (bot_choices), under the flow's service recorded with each and the day and channel of its conversation. */
const BOT_CHOICES = `(SELECT b.service_id, x.agent_id, x.channel, x.created_at, b.label
   FROM bot_choices b JOIN conversations x ON x.id = b.conversation_id WHERE x.bot_started_at IS NOT NULL)`;

/**
 * One of the report's two countings: from the day rollups (migration 0038) for an admin or a supervisor
 * (with a supervisor's own conversations outside their services read raw, as Abandono does), raw for
 * anyone else; by service name, the rows that add up to nothing left out.
 */
function countingSql(ctx: ReportContext, q: SqlParams, rollup: string, raw: string, keys: string[]): string {
  const cols = keys.map((k) => `u.${k}`).join(', ');
  const rawPart = (rest: boolean) =>
    `SELECT c.service_id, ${keys.map((k) => `c.${k}`).join(', ')}, count(*)::int AS n FROM ${raw} c
      WHERE ${conversationsWhere(ctx, q, 'c', 'created_at')}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''} GROUP BY c.service_id, ${keys.map((k) => `c.${k}`).join(', ')}`;
  let parts: string;
  if (usesRollups(ctx)) {
    // the period is whole local days (ctx.period.from/to), the rollups' own
    parts = `SELECT r.service_id, ${keys.map((k) => `r.${k}`).join(', ')}, sum(r.n)::int AS n FROM ${rollup} r
              WHERE ${rollupDaysWhere(ctx, q, 'r')}
              GROUP BY r.service_id, ${keys.map((k) => `r.${k}`).join(', ')}`;
    if (!policyOf(ctx.actor).all) parts += ` UNION ALL ${rawPart(true)}`;
  } else {
    parts = rawPart(false);
  }
  return `SELECT s.name AS service, ${cols}, sum(u.n)::int AS n FROM (${parts}) u JOIN services s ON s.id = u.service_id
           GROUP BY s.name, ${cols} HAVING sum(u.n) <> 0`;
}

async function run(ctx: ReportContext) {
  const L = ctx.lang;
  const q = new SqlParams();
  const outcomes = await ctx.db.query<{ service: string; outcome: keyof typeof OUTCOME; step: string | null; n: number }>(
    countingSql(ctx, q, 'bot_rollups', BOT_CONVERSATIONS, ['outcome', 'step']), q.list,
  );
  const a = new SqlParams();
  const choices = await ctx.db.query<{ service: string; label: string; n: number }>(
    countingSql(ctx, a, 'bot_choice_rollups', BOT_CHOICES, ['label']), a.list,
  );
  const count = new Map<string, number>();
  const add = (key: string, n: number) => count.set(key, (count.get(key) ?? 0) + n);
  const services = new Set<string>();
  for (const r of outcomes.rows) {
    services.add(r.service);
    add(`outcome|${r.service}|total`, r.n);
    add(`outcome|${r.service}|${r.outcome}`, r.n);
    if (r.outcome === 'gave_up') add(`gaveUp|${r.service}|${r.step ?? '?'}`, r.n);
  }
  for (const r of choices.rows) {
    add(`option|${r.service}|${r.label}`, r.n);
    add(`optionsOf|${r.service}`, r.n);
  }
  const rows: ReportRow[] = [];
  const row = (section: keyof typeof SECTION, service: string, item: string, n: number, of: number) =>
    rows.push({ section: SECTION[section][L], service, item, count: n, share: pct(n, of) });
  const sorted = [...services].sort((x, y) => x.localeCompare(y));
  for (const s of sorted) {
    const total = count.get(`outcome|${s}|total`)!;
    for (const k of Object.keys(OUTCOME) as (keyof typeof OUTCOME)[]) {
      const n = count.get(`outcome|${s}|${k}`) ?? 0;
      if (k === 'total' || k === 'ended' || k === 'transferred' || k === 'gave_up' || n) row('outcome', s, OUTCOME[k][L], n, total);
    }
  }
  const listed = (prefix: string, s: string) =>
    [...count.entries()].filter(([k]) => k.startsWith(`${prefix}|${s}|`)).map(([k, n]) => ({ item: k.slice(prefix.length + s.length + 2), n }))
      .sort((x, y) => y.n - x.n || x.item.localeCompare(y.item));
  for (const s of sorted) for (const o of listed('option', s)) row('option', s, o.item, o.n, count.get(`optionsOf|${s}`)!);
  for (const s of sorted) for (const g of listed('gaveUp', s)) row('gaveUp', s, g.item, g.n, count.get(`outcome|${s}|gave_up`)!);
  const all = sorted.reduce((n, s) => n + count.get(`outcome|${s}|total`)!, 0);
  return { rows, total: { section: null, service: null, item: OUTCOME.total[L], count: all, share: all ? 100 : 0 } };
}

export const botReport: ReportDefinition = {
  id: 'bot',
  title: { pt: 'Pré-atendimento (bot)', en: 'Bot (pre-service)' },
  description: {
    pt: 'Atendimentos com etapa de bot: encerrados no bot, transferidos para a fila, desistências; opções escolhidas e onde os clientes desistiram. Serviço, equipe e escopo valem para o serviço do fluxo (por onde o atendimento entrou), mesmo se transferido para outra fila',
    en: 'Conversations with a bot stage: ended in the bot, transferred to the queue, given up; options chosen and where customers gave up. Service, team and scope apply to the flow’s service (the one the conversation entered by), even when it was transferred to another queue',
  },
  usesInterval: false,
  // the bot stage has no agent
  filters: ['serviceId', 'channel', 'teamId'],
  columns: [
    { key: 'section', label: { pt: 'Seção', en: 'Section' }, kind: 'text', definition: { pt: 'Resultado, Opção escolhida ou Desistência na etapa', en: 'Outcome, Option chosen or Gave up at step' } },
    {
      key: 'service', label: { pt: 'Serviço (fluxo)', en: 'Service (flow)' }, kind: 'text',
      definition: {
        pt: 'o serviço cujo fluxo de bot atendeu (por onde o atendimento entrou); os filtros de serviço e equipe valem para ele',
        en: 'the service whose bot flow ran (the one the conversation entered by); the service and team filters apply to it',
      },
    },
    {
      key: 'item', label: { pt: 'Item', en: 'Item' }, kind: 'text',
      definition: {
        pt: 'o resultado, a opção do menu que o bot aceitou (número, rótulo, palavra-chave ou botão), ou a etapa do fluxo em que o cliente parou',
        en: 'the outcome, the menu option the bot took (number, label, keyword or button), or the flow step where the customer stopped',
      },
    },
    { key: 'count', label: { pt: 'Qtd', en: 'Count' }, kind: 'count' },
    {
      key: 'share', label: { pt: 'Pct', en: 'Share' }, kind: 'pct',
      definition: { pt: 'resultado: sobre os atendimentos com bot do serviço; opção: sobre as opções escolhidas; etapa: sobre as desistências', en: 'outcome: of the service’s bot conversations; option: of the options chosen; step: of the give-ups' },
    },
  ],
  chart: null,
  run,
};
