import type { Channel } from '../../contracts/common.js';
import {
  STATUS_CHANNEL_COLUMNS, statusColumnOf, type DaySummaryRow, type IndicatorConversation, type IndicatorConversationPage,
  type IndicatorConversationsQuery, type IndicatorsReport, type StatusRow, type SummaryFigures, type SummaryRow, type SummaryTable,
} from '../../contracts/indicators.js';
import type { Queryable } from '../../db/database.js';
import { FINISHED_STATES, type ConversationState } from '../../shared/states.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { foldRollups } from '../rollups/fold.js';
import { CHANNEL_LABELS } from '../exports/table-export.js';
import { paramList, periodOf, type Period } from './analysis.js';
import { keysetPage, type SortKey } from './keyset.js';
import { CALL_SECONDS, IDENTITY } from './lookback.js';

// Indicadores (seed: OmniMonitor → Aba Indicadores): the conversations that ended in a period (by
// finished_at, the contact center's days), in the caller's scope, summed five ways in one pass over
// the period's range of conversations_finished_idx (indicatorsSql). Definitions: contracts/indicators.ts and
// reference/metrics.md; means are sums ÷ counts, never means of means.

export interface IndicatorFilter {
  from?: string;
  to?: string;
  serviceId?: string;
  channel?: Channel;
}

/** The condition on `conversations c` (ended in the period, scope, service, channel) and its params. */
export function indicatorsWhere(actor: Actor, q: IndicatorFilter, period: Period): { sql: string; params: unknown[] } {
  const { params, p } = paramList();
  const range = `c.finished_at >= ${p(period.start)} AND c.finished_at < ${p(period.end)}`;
  const scope = policyOf(actor).conversationsSql('c', params.length + 1);
  params.push(...scope.params);
  const svc = q.serviceId ? ` AND c.service_id = ${p(q.serviceId)}::uuid` : '';
  const ch = q.channel ? ` AND c.channel = ${p(q.channel)}` : '';
  return { sql: `${range} AND ${scope.sql}${svc}${ch}`, params };
}

// The grouping sets of the one pass, told apart by GROUPING()'s bitmask over these columns (a bit
// is set for a column the set does not group by; the first column is the highest bit).
const GROUP_COLUMNS = ['service_id', 'channel', 'agent_id', 'direction', 'state', 'classification_id'] as const;
type GroupColumn = (typeof GROUP_COLUMNS)[number];
const SETS = {
  service: ['service_id'],
  channel: ['channel'],
  agent: ['agent_id'],
  status: ['direction', 'state', 'channel'],
  day: ['direction', 'service_id', 'channel', 'state', 'classification_id'],
} as const satisfies Record<string, readonly GroupColumn[]>;
type SetName = keyof typeof SETS;
const maskOf = (cols: readonly GroupColumn[]) =>
  GROUP_COLUMNS.reduce((m, c, i) => (cols.includes(c) ? m : m | (1 << (GROUP_COLUMNS.length - 1 - i))), 0);
const SET_OF_MASK = new Map<number, SetName>(Object.entries(SETS).map(([name, cols]) => [maskOf(cols), name as SetName]));

interface GroupRow {
  g: number;
  service_id: string | null;
  service_name: string | null;
  channel: Channel | null;
  agent_id: string | null;
  agent_name: string | null;
  direction: 'inbound' | 'outbound' | null;
  state: ConversationState | null;
  classification_name: string | null;
  n: number;
  /** handled by an agent: first assignment (a service's or a channel's handling time) */
  handled: number;
  handle_s: number | null;
  handle_max: number | null;
  /** handled by the last agent: their own assignment (an agent's handling time) */
  agent_handled: number;
  agent_s: number | null;
  agent_max: number | null;
  last_finished_at: Date;
}

const pctOf = (n: number, total: number) => (total ? Math.round((n * 10_000) / total) / 100 : 0);

function figures(count: number, sum: number | null, max: number | null, media: number): SummaryFigures {
  return {
    count,
    totalSeconds: count ? Math.round(sum ?? 0) : null,
    meanSeconds: count ? Math.round((sum ?? 0) / count) : null,
    maxSeconds: count ? Math.round(max ?? 0) : null,
    mediaSeconds: media,
  };
}

/** A summary table from its groups: the rows by QtdAtend (most first), then name; the total over all (TMídia: over the rows shown). */
function summary(groups: { key: string; name: string; count: number; sum: number | null; max: number | null; media: number }[]): SummaryTable {
  const kept = groups.filter((x) => x.count > 0);
  const count = kept.reduce((a, x) => a + x.count, 0);
  const sum = kept.reduce((a, x) => a + (x.sum ?? 0), 0);
  // the longest of the rows' longest (not floored at 0: a row's own can be below it, as the fold's)
  const max = kept.reduce<number | null>((a, x) => (x.max === null ? a : a === null ? x.max : Math.max(a, x.max)), null);
  const media = kept.reduce((a, x) => a + x.media, 0);
  const rows: SummaryRow[] = kept
    .map((x) => ({ key: x.key, name: x.name, pct: pctOf(x.count, count), ...figures(x.count, x.sum, x.max, x.media) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'pt-BR') || (a.key < b.key ? -1 : 1));
  return { rows, total: figures(count, sum, max, media) };
}

const STATE_ORDER = new Map<string, number>(FINISHED_STATES.map((s, i) => [s, i]));

/**
 * Indicadores' one read (also what the benchmark EXPLAINs): the daily rollups of the ended
 * conversations (conversation_rollups_finished, migration 0031: one row per local day and
 * combination of all six grouped columns, kept by a trigger in the writing transaction) over the
 * period's days, summed per combination, then the five grouping sets over those partial sums.
 * Counts, sums and maxima compose, so this equals grouping the raw rows five times. The scope and the
 * filters read the rollup's own service_id, agent_id and channel, as they would a conversation's.
 */
export function indicatorsSql(actor: Actor, q: IndicatorFilter, period: Period): { sql: string; params: unknown[] } {
  const { params, p } = paramList();
  const range = `c.day >= ${p(period.from)}::date AND c.day <= ${p(period.to)}::date`;
  const scope = policyOf(actor).conversationsSql('c', params.length + 1);
  params.push(...scope.params);
  const svc = q.serviceId ? ` AND c.service_id = ${p(q.serviceId)}::uuid` : '';
  const ch = q.channel ? ` AND c.channel = ${p(q.channel)}` : '';
  const cols = GROUP_COLUMNS.join(', ');
  // float8 sums of whole microseconds (exact below 2^53), not numeric: numeric sums cost several times more
  const s = (us: string) => `(sum(c.${us}::float8) / 1e6)`;
  return {
    sql: `WITH f AS (
     SELECT ${GROUP_COLUMNS.map((c) => `c.${c}`).join(', ')},
            sum(c.n)::int AS n,
            sum(c.handled)::int AS handled,
            CASE WHEN sum(c.handled) > 0 THEN ${s('handle_us')} END AS handle_s,
            max(c.handle_max_us)::float8 / 1e6 AS handle_max,
            sum(c.agent_handled)::int AS agent_handled,
            CASE WHEN bool_or(c.agent_id IS NOT NULL) THEN ${s('agent_us')} END AS agent_s,
            max(c.agent_max_us)::float8 / 1e6 AS agent_max,
            max(c.last_finished_at) AS last_finished_at
       FROM conversation_rollups_finished c
      WHERE ${range} AND ${scope.sql}${svc}${ch} AND c.n > 0
      GROUP BY ${GROUP_COLUMNS.map((c) => `c.${c}`).join(', ')}),
   g AS (
     SELECT GROUPING(${cols})::int AS g, ${cols},
            sum(n)::int AS n, sum(handled)::int AS handled, sum(handle_s) AS handle_s, max(handle_max) AS handle_max,
            sum(agent_handled)::int AS agent_handled, sum(agent_s) AS agent_s, max(agent_max) AS agent_max,
            max(last_finished_at) AS last_finished_at
       FROM f
      GROUP BY GROUPING SETS (${Object.values(SETS).map((set) => `(${set.join(', ')})`).join(', ')}))
   SELECT g.*, s.name AS service_name, u.name AS agent_name, cl.name AS classification_name
     FROM g LEFT JOIN services s ON s.id = g.service_id LEFT JOIN users u ON u.id = g.agent_id
     LEFT JOIN classifications cl ON cl.id = g.classification_id`,
    params,
  };
}

/**
 * TMídia's read, beside the rollups (calls are not in them): the answered seconds of the calls of the
 * conversations that ended in the period, in the scope and filters, per service, channel and last
 * agent. The conversation is attributed as the rollup attributes it: its finished_at on a day of the
 * period (in the contact center's time zone: [start, end) are those days' bounds), its own
 * service_id, channel and agent_id for the scope, the filters and the row. A call rings before its
 * conversation ends, so only the calls that rang before the period's end are read; only those that
 * ended answered count (T.Audio + T.Video of lookback's CALL_SECONDS).
 */
export function mediaSecondsSql(actor: Actor, q: IndicatorFilter, period: Period): { sql: string; params: unknown[] } {
  const { params, p } = paramList();
  const start = p(period.start);
  const end = p(period.end);
  const scope = policyOf(actor).conversationsSql('c', params.length + 1);
  params.push(...scope.params);
  const svc = q.serviceId ? ` AND c.service_id = ${p(q.serviceId)}::uuid` : '';
  const ch = q.channel ? ` AND c.channel = ${p(q.channel)}` : '';
  return {
    sql: `SELECT GROUPING(c.service_id, c.channel, c.agent_id)::int AS g, c.service_id, c.channel, c.agent_id,
            sum(k.audio_seconds + k.video_seconds)::float8 AS seconds
       FROM calls k
       JOIN conversations c ON c.id = k.conversation_id
      WHERE k.ring_at < ${end} AND k.answered_at IS NOT NULL AND k.state <> 'active'
        AND c.finished_at >= ${start} AND c.finished_at < ${end} AND ${scope.sql}${svc}${ch}
      GROUP BY GROUPING SETS ((c.service_id), (c.channel), (c.agent_id))`,
    params,
  };
}

/** GROUPING(service_id, channel, agent_id) of each of mediaSecondsSql's sets. */
const MEDIA_SET = { service: 0b011, channel: 0b101, agent: 0b110 } as const;

/** The six tables but the detail, for the period asked (default today) in the caller's scope. */
export async function indicatorsReport(db: Queryable, actor: Actor, q: IndicatorFilter, now: Date): Promise<IndicatorsReport> {
  await foldRollups(db);
  const period = await periodOf(db, q, now);
  const { sql, params } = indicatorsSql(actor, q, period);
  const media = mediaSecondsSql(actor, q, period);
  const [{ rows }, { rows: mediaRows }] = await Promise.all([
    db.query<GroupRow>(sql, params),
    db.query<{ g: number; service_id: string | null; channel: string | null; agent_id: string | null; seconds: number }>(media.sql, media.params),
  ]);
  const of = (set: SetName) => rows.filter((r) => SET_OF_MASK.get(r.g) === set);
  const mediaOf = (set: keyof typeof MEDIA_SET, column: 'service_id' | 'channel' | 'agent_id') =>
    new Map(mediaRows.filter((r) => r.g === MEDIA_SET[set]).map((r) => [r[column], Math.round(Number(r.seconds))]));
  const [serviceMedia, channelMedia, agentMedia] = [mediaOf('service', 'service_id'), mediaOf('channel', 'channel'), mediaOf('agent', 'agent_id')];

  const byService = summary(of('service').map((r) => ({
    key: r.service_id!, name: r.service_name ?? '', count: r.handled, sum: r.handle_s, max: r.handle_max, media: serviceMedia.get(r.service_id) ?? 0,
  })));
  const byChannel = summary(of('channel').map((r) => ({
    key: r.channel!, name: CHANNEL_LABELS[r.channel!] ?? r.channel!, count: r.handled, sum: r.handle_s, max: r.handle_max, media: channelMedia.get(r.channel) ?? 0,
  })));
  const byAgent = summary(
    of('agent').filter((r) => r.agent_id).map((r) => ({
      key: r.agent_id!, name: r.agent_name ?? '', count: r.agent_handled, sum: r.agent_s, max: r.agent_max, media: agentMedia.get(r.agent_id) ?? 0,
    })),
  );

  const status = new Map<string, StatusRow>();
  let ended = 0;
  for (const r of of('status')) {
    const key = `${r.direction}:${r.state}`;
    const row = status.get(key) ?? {
      direction: r.direction!, state: r.state!, count: 0, pct: 0,
      channels: Object.fromEntries(STATUS_CHANNEL_COLUMNS.map((c) => [c, 0])) as StatusRow['channels'],
    };
    row.count += r.n;
    row.channels[statusColumnOf(r.channel!)] += r.n;
    status.set(key, row);
    ended += r.n;
  }
  const byStatus = [...status.values()]
    .map((r) => ({ ...r, pct: pctOf(r.count, ended) }))
    .sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'inbound' ? -1 : 1) || (STATE_ORDER.get(a.state) ?? 99) - (STATE_ORDER.get(b.state) ?? 99));

  const daySummary: DaySummaryRow[] = of('day')
    .map((r) => ({
      direction: r.direction!, serviceId: r.service_id!, serviceName: r.service_name ?? '', channel: r.channel!, state: r.state!,
      classificationName: r.classification_name, lastFinishedAt: r.last_finished_at.toISOString(), count: r.n,
    }))
    .sort((a, b) =>
      (a.direction === b.direction ? 0 : a.direction === 'inbound' ? -1 : 1)
      || a.serviceName.localeCompare(b.serviceName, 'pt-BR') || a.channel.localeCompare(b.channel)
      || (STATE_ORDER.get(a.state) ?? 99) - (STATE_ORDER.get(b.state) ?? 99)
      || (a.classificationName ?? '').localeCompare(b.classificationName ?? '', 'pt-BR'));

  return {
    from: period.from, to: period.to, timezone: period.timeZone, generatedAt: now.toISOString(),
    byService, byChannel, byAgent, byStatus: { rows: byStatus, total: ended }, daySummary,
  };
}

// --- Atendimentos OMNI -----------------------------------------------------------------------------

/** The detail's columns on `conversations c` and its names; the e-mail's body only for e-mails. */
export const DETAIL_FROM = `c.id, c.protocol, c.first_queued_at, c.first_assigned_at, c.finished_at, c.state, c.channel, s.name AS service_name,
      c.direction, c.subject,
      CASE WHEN c.channel = 'email' THEN (SELECT left(m.body, 500) FROM messages m
        WHERE m.conversation_id = c.id AND m.author_type = 'customer' ORDER BY m.id LIMIT 1) END AS description,
      coalesce(ct.email, ct.phone, ${IDENTITY}) AS origin,
      c.bot_started_at IS NOT NULL AS bot, c.first_assigned_at IS NOT NULL AS human, u.name AS agent_name, c.created_at,
      cl.name AS classification_name, cs.audio_seconds, cs.video_seconds
    FROM conversations c
    JOIN services s ON s.id = c.service_id
    JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN users u ON u.id = c.agent_id
    LEFT JOIN classifications cl ON cl.id = c.classification_id
    LEFT JOIN LATERAL (${CALL_SECONDS('c.id')}) cs ON true`;

/** The latest to end first. */
export const DETAIL_SORT: readonly SortKey[] = [
  { column: 'finished_at', type: 'timestamptz', dir: 'desc', notNull: true },
  { column: 'id', type: 'uuid', dir: 'desc', notNull: true },
];

const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);

function presentDetail(r: Record<string, unknown>, version: string): IndicatorConversation {
  return {
    id: r.id as string,
    version,
    protocol: r.protocol as string,
    queuedAt: iso(r.first_queued_at),
    humanStartedAt: iso(r.first_assigned_at),
    finishedAt: iso(r.finished_at)!,
    state: r.state as ConversationState,
    channel: r.channel as Channel,
    serviceName: r.service_name as string,
    direction: r.direction as IndicatorConversation['direction'],
    subject: (r.subject as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    origin: (r.origin as string | null) ?? null,
    bot: r.bot as boolean,
    human: r.human as boolean,
    agentName: (r.agent_name as string | null) ?? null,
    protocolAt: iso(r.created_at)!,
    classificationName: (r.classification_name as string | null) ?? null,
    closedAt: iso(r.finished_at)!,
    audioSeconds: r.audio_seconds === null || r.audio_seconds === undefined ? null : Number(r.audio_seconds),
    videoSeconds: r.video_seconds === null || r.video_seconds === undefined ? null : Number(r.video_seconds),
  };
}

/** Atendimentos OMNI: the conversations that ended in the period, latest first, by keyset pages; the first page carries the total. */
export async function indicatorConversations(
  db: Queryable, actor: Actor, q: IndicatorConversationsQuery, now: Date, version: string,
): Promise<IndicatorConversationPage> {
  const period = await periodOf(db, q, now);
  const where = indicatorsWhere(actor, q, period);
  const [page, total] = await Promise.all([
    keysetPage<Record<string, unknown>>(db, { sql: `SELECT ${DETAIL_FROM} WHERE ${where.sql}`, params: where.params, sort: DETAIL_SORT, limit: q.limit ?? 50, cursor: q.after }),
    q.after ? null : db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where.sql}`, where.params),
  ]);
  return { rows: page.items.map((r) => presentDetail(r, version)), next: page.nextCursor, ...(total ? { total: total.rows[0].n } : {}) };
}
