import type { ReportRow } from '../../contracts/reports.js';
import { policyOf } from '../access.js';
import { onBucket } from '../rollups/agents.js';
import { agentTimes, pauseReasonColumns, reportAgents, wholeDays, type Span } from './agent-time.js';
import { conversationsScope, conversationsWhere, seconds, SqlParams, usersWhere, type ReportColumnDef, type ReportContext, type ReportDefinition } from './definition.js';

// 2. Produtividade por agente: conversations (atendidos, TMA, TMR), time (logged, in service, paused
// per reason, ocupação) and transfers, per agent in the caller's scope. Service and channel narrow
// the conversation figures and the transfers; the team and the agent choose the agents.

/** Service and channel only: the team and agent filters pick agents here, not the services. */
const onlyServiceAndChannel = (ctx: ReportContext): ReportContext => ({ ...ctx, filter: { serviceId: ctx.filter.serviceId, channel: ctx.filter.channel } });

/** Per agent: the conversations and the sum of their seconds (handling, reply); the totals row adds them up. */
interface Sums { agent_id: string; n: number; s: number }

/**
 * Atendidos and TMA: the conversations that ended in the period, by their last agent (their own part:
 * end − their assignment). A period of whole local days is read from the ended conversations' daily
 * rollups; any other from the conversations.
 */
async function handled(ctx: ReportContext): Promise<Sums[]> {
  const span = await wholeDays(ctx);
  if (span.ds < span.de && span.ws.getTime() === ctx.period.start.getTime() && span.we.getTime() === ctx.period.end.getTime()) return rolledUpHandled(ctx, span);
  const q = new SqlParams();
  const sql = `SELECT c.agent_id, count(*)::int AS n, sum(extract(epoch FROM c.finished_at - coalesce(c.assigned_at, c.first_assigned_at)))::float8 AS s
      FROM conversations c
     WHERE ${conversationsWhere(onlyServiceAndChannel(ctx), q, 'c', 'finished_at')} AND c.first_assigned_at IS NOT NULL AND c.agent_id IS NOT NULL
       AND ${usersWhere(ctx, q, 'c.agent_id')}
     GROUP BY c.agent_id`;
  return (await ctx.db.query<Sums>(sql, q.list)).rows;
}

/**
 * Atendidos and TMA from conversation_rollups_finished (migration 0031: per local day and the ended
 * conversations' service, channel and last agent, `agent_handled` and `agent_us` — those with an
 * agent and an assignment, and their end − assigned_at), for the whole local days [ds, de). The raw
 * reading asks for a first assignment and falls back on it when assigned_at is empty; every writer
 * sets agent_id together with assigned_at and first_assigned_at (assignSet, transferToAgent, an
 * outbound start), so the two count the same conversations and seconds. The scope and the filters
 * read the rollup's own service, channel and agent, the conversation's when it ended, as the raw
 * reading does.
 */
async function rolledUpHandled(ctx: ReportContext, span: Span): Promise<Sums[]> {
  const q = new SqlParams();
  const scope = policyOf(ctx.actor).conversationsSql('r', 3);
  q.list.push(span.ds, span.de, ...scope.params);
  const parts = ['r.day >= $1::date', 'r.day < $2::date', 'r.agent_id IS NOT NULL', scope.sql, usersWhere(ctx, q, 'r.agent_id')];
  if (ctx.filter.serviceId) parts.push(`r.service_id = ${q.p(ctx.filter.serviceId)}::uuid`);
  if (ctx.filter.channel) parts.push(`r.channel = ${q.p(ctx.filter.channel)}`);
  // float8 sums of whole microseconds: exact below 2^53 µs (285 years), and several times cheaper than numeric
  const sql = `SELECT r.agent_id, sum(r.agent_handled)::int AS n, (sum(r.agent_us::float8) / 1e6)::float8 AS s
      FROM conversation_rollups_finished r WHERE ${parts.join(' AND ')}
     GROUP BY r.agent_id
    HAVING sum(r.agent_handled) > 0`;
  return (await ctx.db.query<Sums>(sql, q.list)).rows;
}

/**
 * TMR: each agent message in the period that answers customer messages, minus the first customer
 * message since the previous agent message (not before the conversation was first assigned: what the
 * customer wrote to the bot or in the queue is timed from the assignment).
 */
async function replies(ctx: ReportContext): Promise<Sums[]> {
  if (onBucket(ctx.period.start) && onBucket(ctx.period.end)) return rolledUpReplies(ctx);
  const q = new SqlParams();
  const start = q.p(ctx.period.start);
  const end = q.p(ctx.period.end);
  const sql = `
    WITH conv AS (
      SELECT c.id, c.first_assigned_at FROM conversations c
       WHERE c.first_assigned_at IS NOT NULL AND c.first_assigned_at < ${end} AND (c.finished_at IS NULL OR c.finished_at >= ${start})
         AND ${conversationsScope(onlyServiceAndChannel(ctx), q, 'c')}),
    m AS (
      SELECT m.conversation_id, m.author_type, m.author_id, m.created_at,
             count(*) FILTER (WHERE m.author_type = 'agent') OVER (PARTITION BY m.conversation_id ORDER BY m.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS answered
        FROM messages m JOIN conv ON conv.id = m.conversation_id WHERE m.author_type IN ('agent', 'customer')),
    asked AS (SELECT conversation_id, answered, min(created_at) AS at FROM m WHERE author_type = 'customer' GROUP BY 1, 2)
    SELECT m.author_id AS agent_id, count(*)::int AS n, sum(extract(epoch FROM m.created_at - greatest(a.at, conv.first_assigned_at)))::float8 AS s
      FROM m JOIN asked a ON a.conversation_id = m.conversation_id AND a.answered = m.answered JOIN conv ON conv.id = m.conversation_id
     WHERE m.author_type = 'agent' AND m.author_id IS NOT NULL AND m.created_at >= ${start} AND m.created_at < ${end} AND ${usersWhere(ctx, q, 'm.author_id')}
     GROUP BY m.author_id`;
  return (await ctx.db.query<Sums>(sql, q.list)).rows;
}

/**
 * TMR from agent_reply_rollups (migration 0032: the same pairing, done as each reply is written), for
 * a period of whole 15-minute buckets (local days in any zone), in the caller's scope taken on the
 * rollup's agent and service: the service (and channel) a reply counts under is the conversation's
 * when the reply was written. Other periods read the messages above.
 */
async function rolledUpReplies(ctx: ReportContext): Promise<Sums[]> {
  const q = new SqlParams();
  // the caller's scope on the rollup's own agent and service (the reply's author, the service it was
  // written in): a supervisor's services and their own replies, an agent's own replies
  const scope = policyOf(ctx.actor).conversationsSql('r', 3);
  q.list.push(ctx.period.start, ctx.period.end, ...scope.params);
  const parts = ['r.bucket >= $1', 'r.bucket < $2', scope.sql, usersWhere(ctx, q, 'r.agent_id')];
  if (ctx.filter.serviceId) parts.push(`r.service_id = ${q.p(ctx.filter.serviceId)}::uuid`);
  if (ctx.filter.channel) parts.push(`r.channel = ${q.p(ctx.filter.channel)}`);
  const sql = `SELECT r.agent_id, sum(r.replies)::int AS n, sum(r.reply_seconds)::float8 AS s
      FROM agent_reply_rollups r WHERE ${parts.join(' AND ')}
     GROUP BY r.agent_id`;
  return (await ctx.db.query<Sums>(sql, q.list)).rows;
}

/**
 * Transfers in the period (conversation_state_history rows of reason `transferred`): made by the
 * agent the conversation left (to another agent or a queue, by them or a supervisor), received by
 * the agent it went to directly.
 */
async function transfers(ctx: ReportContext) {
  const q = new SqlParams();
  const conv = onlyServiceAndChannel(ctx);
  // the conversation is read for the caller's scope and the service and channel asked: an admin's
  // run without them has nothing to check there (every state row has its conversation), and the
  // rows and their predecessors are then read from migration 0037's indexes alone
  const checked = !policyOf(ctx.actor).all || conv.filter.serviceId || conv.filter.channel;
  const sql = `SELECT h.state, h.agent_id AS to_agent,
         (SELECT p.agent_id FROM conversation_state_history p WHERE p.conversation_id = h.conversation_id AND p.id < h.id ORDER BY p.id DESC LIMIT 1) AS from_agent
      FROM conversation_state_history h${checked ? ' JOIN conversations c ON c.id = h.conversation_id' : ''}
     WHERE h.reason = 'transferred' AND h.started_at >= ${q.p(ctx.period.start)} AND h.started_at < ${q.p(ctx.period.end)}
       ${checked ? `AND ${conversationsScope(conv, q, 'c')}` : ''}`;
  return (await ctx.db.query<{ state: string; to_agent: string | null; from_agent: string | null }>(sql, q.list)).rows;
}

const occupancy = (inService: number, available: number) => (inService + available > 0 ? Math.round((inService * 10_000) / (inService + available)) / 100 : null);

async function run(ctx: ReportContext) {
  const agents = await reportAgents(ctx);
  const known = new Set(agents.keys());
  // independent reads: on PostgreSQL each takes a connection of its own and they run side by side
  const [times, done, answers, moved] = await Promise.all([agentTimes(ctx), handled(ctx), replies(ctx), transfers(ctx)]);
  const reasons = await pauseReasonColumns(ctx.db, times);
  const made = new Map<string, number>();
  const received = new Map<string, number>();
  for (const t of moved) {
    if (t.from_agent && known.has(t.from_agent)) made.set(t.from_agent, (made.get(t.from_agent) ?? 0) + 1);
    if (t.state === 'in_service' && t.to_agent && known.has(t.to_agent)) received.set(t.to_agent, (received.get(t.to_agent) ?? 0) + 1);
  }
  // per agent, and under '' the totals: the sums of every agent's row (each row is already in the
  // caller's scope and filters), divided once — weighted by conversation and by reply
  const byAgent = (rows: Sums[]) => new Map<string, { n: number; s: number }>([
    ...rows.map((r): [string, { n: number; s: number }] => [r.agent_id, { n: r.n, s: r.s }]),
    ['', rows.reduce((a, r) => ({ n: a.n + r.n, s: a.s + r.s }), { n: 0, s: 0 })],
  ]);
  const doneBy = byAgent(done);
  const answersBy = byAgent(answers);
  const mean = (x: { n: number; s: number } | undefined) => (x && x.n > 0 ? seconds(x.s / x.n) : null);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, n) => a + n, 0);

  const figures = (id: string | null): ReportRow => {
    const t = times.get(id ?? '') ?? { inService: 0, available: 0, paused: 0, byReason: new Map<string, number>() };
    const d = doneBy.get(id ?? '');
    const a = answersBy.get(id ?? '');
    const row: ReportRow = {
      answered: d?.n ?? 0,
      tma: mean(d),
      tmr: mean(a),
      occupancy: occupancy(t.inService, t.available),
      logged: Math.round(t.inService + t.available + t.paused),
      in_service: Math.round(t.inService),
      paused: Math.round(t.paused),
    };
    for (const r of reasons) row[`pause_${r.id}`] = Math.round(t.byReason.get(r.id) ?? 0);
    row.transfers_made = id === null ? sum(made) : made.get(id) ?? 0;
    row.transfers_received = id === null ? sum(received) : received.get(id) ?? 0;
    return row;
  };
  const rows = [...agents.entries()]
    .map(([id, name]): ReportRow => ({ agent: name, ...figures(id) }))
    .filter((r) => Number(r.answered) + Number(r.logged) + Number(r.transfers_made) + Number(r.transfers_received) + (r.tmr === null ? 0 : 1) > 0)
    .sort((x, y) => String(x.agent).localeCompare(String(y.agent), 'pt-BR'));
  const columns: ReportColumnDef[] = [
    ...COLUMNS.slice(0, 8),
    ...reasons.map((r): ReportColumnDef => ({
      key: `pause_${r.id}`, label: { pt: `Pausa: ${r.name}`, en: `Pause: ${r.name}` }, kind: 'duration',
      definition: { pt: `Tempo em pausa com o motivo ${r.name}, dentro do período`, en: `Time paused with the reason ${r.name}, within the period` },
    })),
    ...COLUMNS.slice(8),
  ];
  return { columns, rows, total: { agent: null, ...figures(null) } };
}

const COLUMNS: readonly ReportColumnDef[] = [
  { key: 'agent', label: { pt: 'Agente', en: 'Agent' }, kind: 'text' },
  { key: 'answered', label: { pt: 'Atendidos', en: 'Handled' }, kind: 'count', definition: { pt: 'Atendimentos encerrados no período cujo último agente foi este', en: 'Conversations ended in the period whose last agent was this one' } },
  { key: 'tma', label: { pt: 'TMA', en: 'AHT' }, kind: 'duration', definition: { pt: 'Média de (fim − atribuição ao agente) desses atendimentos', en: 'Mean of (end − assignment to the agent) of those conversations' } },
  { key: 'tmr', label: { pt: 'TMR', en: 'Response time' }, kind: 'duration', definition: {
    pt: 'Média, sobre as respostas do agente no período, de (resposta − primeira mensagem do cliente ainda sem resposta); mensagens anteriores à atribuição contam a partir dela',
    en: 'Mean, over the agent’s replies in the period, of (reply − the first customer message not yet answered); messages from before the assignment count from it',
  } },
  { key: 'occupancy', label: { pt: 'Ocupação (%)', en: 'Occupancy (%)' }, kind: 'pct', definition: { pt: 'Tempo em atendimento ÷ (tempo logado − tempo em pausa) × 100', en: 'Time in service ÷ (logged-in time − paused time) × 100' } },
  { key: 'logged', label: { pt: 'Tempo logado', en: 'Logged in' }, kind: 'duration', definition: { pt: 'Tempo logado (livre, em atendimento ou em pausa) dentro do período', en: 'Time logged in (available, in service or paused) within the period' } },
  { key: 'in_service', label: { pt: 'Em atendimento', en: 'In service' }, kind: 'duration', definition: { pt: 'Tempo com ao menos um atendimento dentro do período', en: 'Time with at least one conversation within the period' } },
  { key: 'paused', label: { pt: 'Em pausa', en: 'Paused' }, kind: 'duration', definition: { pt: 'Tempo em pausa (todos os motivos) dentro do período', en: 'Time paused (every reason) within the period' } },
  { key: 'transfers_made', label: { pt: 'Transferências feitas', en: 'Transfers made' }, kind: 'count', definition: { pt: 'Atendimentos transferidos a partir deste agente (para outro agente ou fila, por ele ou por um supervisor)', en: 'Conversations transferred away from this agent (to another agent or a queue, by them or a supervisor)' } },
  { key: 'transfers_received', label: { pt: 'Transferências recebidas', en: 'Transfers received' }, kind: 'count', definition: { pt: 'Atendimentos transferidos diretamente para este agente', en: 'Conversations transferred directly to this agent' } },
];

export const agentsReport: ReportDefinition = {
  id: 'agents',
  title: { pt: 'Produtividade por agente', en: 'Agent productivity' },
  description: {
    pt: 'Atendidos, TMA, TMR, ocupação, tempo logado, em pausa por motivo e transferências de cada agente',
    en: 'Handled, AHT, response time, occupancy, logged-in time, paused time per reason and transfers of each agent',
  },
  usesInterval: false,
  filters: ['serviceId', 'channel', 'teamId', 'agentId'],
  columns: COLUMNS,
  chart: { type: 'bar', category: 'agent', series: ['answered'] },
  run,
};
