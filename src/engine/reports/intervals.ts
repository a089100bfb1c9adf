import type { ReportRow } from '../../contracts/reports.js';
import type { ReportInterval } from '../../contracts/reports.js';
import { badRequest } from '../errors.js';
import { getSettings } from '../settings.js';
import { CHANNEL_LABELS } from '../exports/table-export.js';
import { policyOf } from '../access.js';
import {
  bucketStartSql, bucketText, bucketsSql, conversationsWhere, localBucketSql, rawRest, rollupSlotsWhere, seconds, SqlParams, usesRollups, type ReportContext, type ReportDefinition,
} from './definition.js';

// 1. Atendimentos por intervalo. Each milestone is counted in the bucket it happened in, with the
// definitions of the monitor (core/monitor-day.ts, engine/monitor/day-sql.ts): offered at the first
// queue entry, answered (TME, NS) at the first assignment, abandoned and TMA at the end, TPR at the
// first agent message. Each cell carries sums and counts (never means), so the totals row is the
// sums of every cell's raw milestones divided once: weighted by conversation, never a mean of means
// (a GROUPING SETS total sorted the month's ~740,000 milestones on disk: 3 s of the report's 3.5 s).
//
// Rows: one per interval × service × channel that had something in the interval (a month at 30
// minutes over 200 services is ~300,000 cells, most of them empty at night: a table nobody reads and
// seconds of JSON); with a service asked, every interval of its channels, empty ones as zeros. The
// chart has its own points: every interval of the period over the whole selection, empty ones as
// zeros (docs/REPORTS.md).
//
// The cells are read from migration 0036's 15-minute rollups (per local slot × service × channel,
// kept by the conversations' trigger) summed into the interval asked: a month is ~37,000 cells instead
// of ~740,000 milestones. With an agent asked (the conversation's last agent, not a rollup dimension)
// the milestones are read raw, with the same definitions.

interface Grouped {
  bucket: string | null;
  service_id: string | null;
  channel: string | null;
  offered: number;
  answered: number;
  in_target: number;
  /** sums of seconds and how many were summed */
  wait_s: number;
  abandoned: number;
  short: number;
  handle_s: number;
  handle_n: number;
  first_response_s: number;
  first_response_n: number;
  longest_s: number | null;
}

/** The figures of a cell that add up (the longest is a maximum). */
const SUMMED = ['offered', 'answered', 'in_target', 'wait_s', 'abandoned', 'short', 'handle_s', 'handle_n', 'first_response_s', 'first_response_n'] as const;

const mean = (sum: number, n: number) => (n ? seconds(sum / n) : null);

/** The row's figures from a group of milestones (the NS denominator of the monitor: answered + abandoned − short). */
function figures(g: Grouped | undefined): ReportRow {
  if (!g) return { offered: 0, answered: 0, abandoned: 0, short_abandoned: 0, service_level: null, tme: null, tma: null, tpr: null, longest_wait: null };
  const base = g.answered + g.abandoned - g.short;
  return {
    offered: g.offered,
    answered: g.answered,
    abandoned: g.abandoned,
    short_abandoned: g.short,
    service_level: base > 0 ? Math.round((g.in_target * 10_000) / base) / 100 : null,
    tme: mean(g.wait_s, g.answered),
    tma: mean(g.handle_s, g.handle_n),
    tpr: mean(g.first_response_s, g.first_response_n),
    longest_wait: seconds(g.longest_s),
  };
}

const BUCKET_SECONDS: Record<ReportInterval, number> = { '15m': 900, '30m': 1800, hour: 3600, day: 86_400, week: 604_800, month: 2_419_200 };
/** At most this many intervals in one answer (a month of 15 minutes is 2,976; a year of them would be 35,000 per service). */
export const MAX_INTERVALS = 10_000;

/**
 * The cells from the raw rows: one row per milestone of the period, grouped per bucket × service ×
 * channel. With `rest`, only the part of the caller's scope the rollups do not hold (rawRest).
 */
async function rawCells(ctx: ReportContext, rest = false): Promise<Grouped[]> {
  const { shortAbandonSeconds } = await getSettings(ctx.db);
  const q = new SqlParams();
  const tz = q.p(ctx.period.timeZone);
  const b = (col: string) => bucketStartSql(`c.${col}`, ctx.interval, tz);
  const short = q.p(shortAbandonSeconds);
  const where = (col: string) => `${conversationsWhere(ctx, q, 'c', col)}${rest ? ` AND ${rawRest(ctx, q, 'c')}` : ''}`;
  const epoch = (a: string, z: string) => `extract(epoch FROM ${a} - ${z})::float8`;
  const wait = epoch('c.first_assigned_at', 'coalesce(c.first_queued_at, c.first_assigned_at)');
  const abandonedNow = `c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL`;
  const abandonWait = epoch('c.finished_at', 'coalesce(c.queued_at, c.first_queued_at)');
  // one row per milestone: (bucket, service, channel, then its contribution to each figure)
  const sql = `
    WITH ev AS (
      SELECT ${b('first_queued_at')} AS bucket, c.service_id, c.channel, 1 AS offered, 0 AS answered, 0 AS in_target, NULL::float8 AS wait_s,
             0 AS abandoned, 0 AS short, NULL::float8 AS handle_s, NULL::float8 AS first_response_s, NULL::float8 AS longest_s
        FROM conversations c WHERE ${where('first_queued_at')}
      UNION ALL
      SELECT ${b('first_assigned_at')}, c.service_id, c.channel, 0, 1, (${wait} <= s.service_level_seconds)::int, ${wait}, 0, 0, NULL, NULL, ${wait}
        FROM conversations c JOIN services s ON s.id = c.service_id WHERE ${where('first_assigned_at')}
      UNION ALL
      SELECT ${b('finished_at')}, c.service_id, c.channel, 0, 0, 0, NULL,
             (${abandonedNow})::int, (${abandonedNow} AND ${abandonWait} <= ${short})::int,
             CASE WHEN c.first_assigned_at IS NOT NULL THEN ${epoch('c.finished_at', 'c.first_assigned_at')} END, NULL,
             CASE WHEN ${abandonedNow} THEN ${abandonWait} END
        FROM conversations c WHERE ${where('finished_at')} AND (c.first_assigned_at IS NOT NULL OR (${abandonedNow}))
      UNION ALL
      SELECT ${b('first_agent_message_at')}, c.service_id, c.channel, 0, 0, 0, NULL, 0, 0, NULL, ${epoch('c.first_agent_message_at', 'c.first_assigned_at')}, NULL
        FROM conversations c WHERE ${where('first_agent_message_at')} AND c.first_assigned_at IS NOT NULL
    )
    SELECT ${bucketText('bucket')} AS bucket, service_id, channel,
           sum(offered)::int AS offered, sum(answered)::int AS answered, sum(in_target)::int AS in_target, coalesce(sum(wait_s), 0)::float8 AS wait_s,
           sum(abandoned)::int AS abandoned, sum(short)::int AS short,
           coalesce(sum(handle_s), 0)::float8 AS handle_s, count(handle_s)::int AS handle_n,
           coalesce(sum(first_response_s), 0)::float8 AS first_response_s, count(first_response_s)::int AS first_response_n, max(longest_s)::float8 AS longest_s
      FROM ev GROUP BY bucket, service_id, channel`;
  return (await ctx.db.query<Grouped>(sql, q.list)).rows;
}

/**
 * The cells from migration 0036's 15-minute rollups (per local slot × service × channel), the slots of
 * the period summed into the interval asked: the sums are microseconds, read as seconds like the raw
 * statement's. Empty cells (n = 0: their conversations left) are not rows, as in the raw reading.
 */
async function rollupCells(ctx: ReportContext): Promise<Grouped[]> {
  const q = new SqlParams();
  const tz = q.p(ctx.period.timeZone);
  const where = rollupSlotsWhere(ctx, q, 'r', tz, 'r.n <> 0');
  // float8 sums of whole microseconds: exact below 2^53 µs (285 years), and the quotient by 1e6 rounds
  // as numeric's does (IEEE division of two exact values is correctly rounded); numeric sums made
  // this statement 1.5× slower on a month of the 3 M seed (150 against 104 ms)
  const s = (col: string) => `(sum(r.${col}::float8) / 1e6)`;
  // grouped by the bucket's timestamp and written as text after (sorting text keys spilled to disk)
  const sql = `
    SELECT ${bucketText(localBucketSql('r.slot', ctx.interval))} AS bucket, r.service_id, r.channel,
           sum(r.offered)::int AS offered, sum(r.answered)::int AS answered, sum(r.in_target)::int AS in_target, ${s('wait_us')} AS wait_s,
           sum(r.abandoned)::int AS abandoned, sum(r.short_n)::int AS short, ${s('handle_us')} AS handle_s, sum(r.handled)::int AS handle_n,
           ${s('response_us')} AS first_response_s, sum(r.responded)::int AS first_response_n,
           (max(r.longest_us) / 1e6::float8) AS longest_s
      FROM conversation_rollups_15m r
     WHERE ${where}
     GROUP BY ${localBucketSql('r.slot', ctx.interval)}, r.service_id, r.channel`;
  return (await ctx.db.query<Grouped>(sql, q.list)).rows;
}

/**
 * The report's cells: from the rollups for an admin or a supervisor (a supervisor's own conversations
 * outside their services read raw and added), raw with an agent asked (the conversation's last agent
 * is not a dimension of the rollups) and for any other caller.
 */
async function readCells(ctx: ReportContext): Promise<Grouped[]> {
  if (ctx.filter.agentId || !usesRollups(ctx)) return rawCells(ctx);
  const rolled = await rollupCells(ctx);
  if (policyOf(ctx.actor).all) return rolled;
  return addCells([...rolled, ...(await rawCells(ctx, true))]);
}

/** Cells of the same bucket × service × channel (a rollup part and a raw part) added up. */
function addCells(list: Grouped[]): Grouped[] {
  const out = new Map<string, Grouped>();
  for (const g of list) {
    const key = `${g.bucket}|${g.service_id}|${g.channel}`;
    const into = out.get(key);
    if (!into) {
      out.set(key, { ...g });
      continue;
    }
    for (const k of SUMMED) into[k] += g[k];
    if (g.longest_s !== null && (into.longest_s === null || g.longest_s > into.longest_s)) into.longest_s = g.longest_s;
  }
  return [...out.values()];
}

async function run(ctx: ReportContext) {
  const count = (ctx.period.end.getTime() - ctx.period.start.getTime()) / 1000 / BUCKET_SECONDS[ctx.interval];
  if (count > MAX_INTERVALS) {
    throw badRequest({
      en: `${ctx.interval} over this period makes more than ${MAX_INTERVALS} intervals: choose a longer interval or a shorter period`,
      pt: `${ctx.interval} neste período dá mais de ${MAX_INTERVALS} intervalos: escolha um intervalo maior ou um período menor`,
    }, 'interval');
  }
  const grouped = await readCells(ctx);

  // every bucket of the period: the chart's points, and the rows of a service asked
  const bq = new SqlParams();
  const buckets = (await ctx.db.query<{ bucket: string }>(bucketsSql(ctx.interval, bq.p(ctx.period.start), bq.p(ctx.period.end), bq.p(ctx.period.timeZone)), bq.list)).rows.map((r) => r.bucket);
  const cells = new Map<string, Map<string, Grouped>>();
  const pairs = new Map<string, { serviceId: string; channel: string }>();
  // the totals: every cell's sums added (counts, sums of seconds, the longest)
  const total: Grouped = { bucket: null, service_id: null, channel: null, offered: 0, answered: 0, in_target: 0, wait_s: 0, abandoned: 0, short: 0,
    handle_s: 0, handle_n: 0, first_response_s: 0, first_response_n: 0, longest_s: null };
  for (const g of grouped) {
    for (const k of SUMMED) total[k] += g[k];
    if (g.longest_s !== null && (total.longest_s === null || g.longest_s > total.longest_s)) total.longest_s = g.longest_s;
    const pair = `${g.service_id}|${g.channel}`;
    (cells.get(g.bucket!) ?? cells.set(g.bucket!, new Map()).get(g.bucket!)!).set(pair, g);
    pairs.set(pair, { serviceId: g.service_id!, channel: g.channel! });
  }
  const ids = [...new Set([...pairs.values()].map((p) => p.serviceId))];
  const names = new Map((await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM services WHERE id = ANY($1::uuid[])`, [ids])).rows.map((r) => [r.id, r.name]));
  const channelName = (ch: string) => CHANNEL_LABELS[ch as keyof typeof CHANNEL_LABELS] ?? ch;
  const ordered = [...pairs.entries()].sort(([, x], [, y]) =>
    (names.get(x.serviceId) ?? '').localeCompare(names.get(y.serviceId) ?? '', 'pt-BR') || channelName(x.channel).localeCompare(channelName(y.channel)));
  const row = (bucket: string, p: { serviceId: string; channel: string }, g: Grouped | undefined): ReportRow => ({
    interval: bucket, service: names.get(p.serviceId) ?? p.serviceId, channel: channelName(p.channel), ...figures(g),
  });
  const dense = !!ctx.filter.serviceId;
  const rows: ReportRow[] = [];
  const points: ReportRow[] = [];
  for (const bucket of buckets) {
    const point = { interval: bucket, offered: 0, answered: 0, abandoned: 0 };
    const inBucket = cells.get(bucket);
    for (const [key, p] of ordered) {
      const g = inBucket?.get(key);
      if (g) {
        point.offered += g.offered;
        point.answered += g.answered;
        point.abandoned += g.abandoned;
      }
      if (g || dense) rows.push(row(bucket, p, g));
    }
    points.push(point);
  }
  return { rows, total: { interval: null, service: null, channel: null, ...figures(total) }, chartPoints: points };
}

export const intervalsReport: ReportDefinition = {
  id: 'intervals',
  title: { pt: 'Atendimentos por intervalo', en: 'Conversations by interval' },
  description: {
    pt: 'Ofertados, atendidos, abandonados, NS, TME, TMA, TPR e maior espera por intervalo, serviço e canal',
    en: 'Offered, answered, abandoned, service level, ASA, AHT, first response and longest wait by interval, service and channel',
  },
  usesInterval: true,
  filters: ['serviceId', 'channel', 'teamId', 'agentId'],
  columns: [
    { key: 'interval', label: { pt: 'Intervalo', en: 'Interval' }, kind: 'time', definition: { pt: 'Início do intervalo, no fuso da central', en: 'Start of the interval, in the contact center’s time zone' } },
    { key: 'service', label: { pt: 'Serviço', en: 'Service' }, kind: 'text' },
    { key: 'channel', label: { pt: 'Canal', en: 'Channel' }, kind: 'text' },
    { key: 'offered', label: { pt: 'Ofertados', en: 'Offered' }, kind: 'count', definition: { pt: 'Atendimentos que entraram na fila humana pela primeira vez no intervalo', en: 'Conversations that first entered a human queue in the interval' } },
    { key: 'answered', label: { pt: 'Atendidos', en: 'Answered' }, kind: 'count', definition: { pt: 'Atendimentos atribuídos a um agente pela primeira vez no intervalo', en: 'Conversations first assigned to an agent in the interval' } },
    { key: 'abandoned', label: { pt: 'Abandonados', en: 'Abandoned' }, kind: 'count', definition: { pt: 'Atendimentos que saíram da fila sem serem atendidos (abandono, desistência), contados no fim; inclui os curtos', en: 'Conversations that left the queue unanswered (abandoned, gave up), counted at their end; short ones included' } },
    { key: 'short_abandoned', label: { pt: 'Abandono curto', en: 'Short abandons' }, kind: 'count', definition: { pt: 'Dos abandonados, os que esperaram até o limite de abandono curto (Parâmetros)', en: 'Of the abandoned, those that waited no longer than the short-abandon limit (Settings)' } },
    { key: 'service_level', label: { pt: 'NS (%)', en: 'Service level (%)' }, kind: 'pct', definition: { pt: 'Atendidos dentro da meta do serviço ÷ (atendidos + abandonados − abandonos curtos) × 100', en: 'Answered within the service’s target ÷ (answered + abandoned − short abandons) × 100' } },
    { key: 'tme', label: { pt: 'TME', en: 'ASA' }, kind: 'duration', definition: { pt: 'Média de (primeira atribuição − primeira entrada na fila) dos atendidos no intervalo', en: 'Mean of (first assignment − first queue entry) of the conversations answered in the interval' } },
    { key: 'tma', label: { pt: 'TMA', en: 'AHT' }, kind: 'duration', definition: { pt: 'Média de (fim − primeira atribuição) dos atendimentos encerrados no intervalo que um agente atendeu', en: 'Mean of (end − first assignment) of the conversations ended in the interval that an agent handled' } },
    { key: 'tpr', label: { pt: 'TPR', en: 'First response' }, kind: 'duration', definition: { pt: 'Média de (primeira mensagem do agente − primeira atribuição), contada no intervalo da mensagem', en: 'Mean of (first agent message − first assignment), counted in the interval of the message' } },
    { key: 'longest_wait', label: { pt: 'Maior espera', en: 'Longest wait' }, kind: 'duration', definition: { pt: 'A maior espera em fila que terminou no intervalo: atendida (atribuição − entrada) ou abandonada (fim − entrada)', en: 'The longest queue wait that ended in the interval: answered (assignment − entry) or abandoned (end − entry)' } },
  ],
  chart: { type: 'line', category: 'interval', series: ['offered', 'answered', 'abandoned'] },
  run,
};
