import type { ReportRow } from '../../contracts/reports.js';
import { matchOption } from '../../core/bot-flow-text.js';
import type { Label } from '../exports/table-export.js';
import { conversationsWhere, pct, SqlParams, type ReportContext, type ReportDefinition } from './definition.js';

// 6. Pré-atendimento (bot): the conversations whose bot stage started in the period, per service (each
// service has one flow): how they left the bot, which menu options customers chose, and at which step
// those who gave up stopped. A conversation counts under the service it entered by (whose flow ran),
// even when the flow transferred it to another service's queue. One table with a `section` column, like Classificações.

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
 * How a conversation left the bot, from its stored state: queued afterwards (transferred), finished by
 * the bot without a queue (ended), given up or abandoned without a queue (gave up), still in the bot.
 */
const OUTCOME_SQL = `CASE WHEN c.first_queued_at IS NOT NULL THEN 'transferred'
  WHEN c.state = 'bot' THEN 'in_bot'
  WHEN c.state IN ('customer_gave_up', 'abandoned') THEN 'gave_up'
  WHEN c.state = 'completed' AND c.finished_by = 'bot' THEN 'ended'
  WHEN c.finished_at IS NOT NULL THEN 'other' ELSE 'in_bot' END`;

async function run(ctx: ReportContext) {
  const L = ctx.lang;
  const q = new SqlParams();
  // a bot stage starts only when the conversation opens (transitions.ts openConversations): bot_started_at
  // is created_at, whose index reads the period
  const where = `${conversationsWhere(ctx, q, 'c', 'created_at')} AND c.bot_started_at IS NOT NULL`;
  const outcomes = await ctx.db.query<{ service: string; outcome: keyof typeof OUTCOME; step: string | null; n: number }>(
    `SELECT s.name AS service, ${OUTCOME_SQL} AS outcome, c.bot_state->>'stepId' AS step, count(*)::int AS n
       FROM conversations c JOIN services s ON s.id = coalesce(c.entry_service_id, c.service_id)
      WHERE ${where} GROUP BY 1, 2, 3`,
    q.list,
  );
  // each customer message right after a bot menu is matched to the menu's options as the runner does:
  // read from the menus (migration 0034's index holds only them) to the message after each, not from
  // every customer message back to the one before it (a month of bot conversations has millions)
  const a = new SqlParams();
  const answers = await ctx.db.query<{ service: string; options: { id: string; label: string }[]; body: string }>(
    `SELECT s.name AS service, p.payload->'options' AS options, m.body
       FROM conversations c JOIN services s ON s.id = coalesce(c.entry_service_id, c.service_id)
       JOIN messages p ON p.conversation_id = c.id AND p.author_type = 'bot' AND jsonb_typeof(p.payload->'options') = 'array'
       CROSS JOIN LATERAL (SELECT x.author_type, x.body, x.created_at FROM messages x WHERE x.conversation_id = c.id AND x.id > p.id ORDER BY x.id LIMIT 1) m
      WHERE ${conversationsWhere(ctx, a, 'c', 'created_at')} AND c.bot_started_at IS NOT NULL
        AND m.author_type = 'customer' AND m.created_at <= coalesce(c.bot_ended_at, 'infinity')`,
    a.list,
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
  for (const r of answers.rows) {
    const chosen = matchOption(r.options.map((o) => ({ ...o, next: '' })), r.body);
    if (!chosen) continue;
    add(`option|${r.service}|${chosen.label}`, 1);
    add(`optionsOf|${r.service}`, 1);
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
    pt: 'Atendimentos com etapa de bot: encerrados no bot, transferidos para a fila, desistências; opções escolhidas e onde os clientes desistiram',
    en: 'Conversations with a bot stage: ended in the bot, transferred to the queue, given up; options chosen and where customers gave up',
  },
  usesInterval: false,
  // the bot stage has no agent
  filters: ['serviceId', 'channel', 'teamId'],
  columns: [
    { key: 'section', label: { pt: 'Seção', en: 'Section' }, kind: 'text', definition: { pt: 'Resultado, Opção escolhida ou Desistência na etapa', en: 'Outcome, Option chosen or Gave up at step' } },
    { key: 'service', label: { pt: 'Serviço (fluxo)', en: 'Service (flow)' }, kind: 'text' },
    {
      key: 'item', label: { pt: 'Item', en: 'Item' }, kind: 'text',
      definition: { pt: 'o resultado, a opção do menu, ou a etapa do fluxo em que o cliente parou', en: 'the outcome, the menu option, or the flow step where the customer stopped' },
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
