import type { LookbackQuery, LookbackRow, LookbackSort } from '../../contracts/lookback.js';
import type { Database, Queryable } from '../../db/database.js';
import type { Viewer } from '../access.js';
import { policyOf } from '../access.js';
import { fieldError, type Said } from '../errors.js';
import { getSettings } from '../settings.js';
import { conversationFilterSql, likeContaining, originMatchSql, type ConversationFilter, type OriginPlan, type TextPlan } from './conversation-filter.js';
import { decodeCursor, keysetPage, type KeyType, type SortKey } from './keyset.js';

// Consultas and Histórico: the conversations a filter selects in the viewer's scope, sorted by any
// column, a page at a time by keyset (searchConversations) or all of them streamed for an export
// (exportConversations). One SELECT serves both; the filter and the scope are the shared ones
// (conversation-filter.ts, access.ts). Indexes: 0012_lookback_indexes.sql.

export const DEFAULT_LIMIT = 50;

/**
 * Each sortable column: the result column it sorts by, its SQL type, whether it can be NULL, and
 * whether it is the conversation's own (`own`): those pages are found on `conversations` alone and
 * only the page's rows are joined to their names; a sort by a name joins first.
 */
const SORTS: Record<LookbackSort, { column: string; type: KeyType; notNull?: boolean; own?: boolean }> = {
  start: { column: 'created_at', type: 'timestamptz', notNull: true, own: true },
  botStart: { column: 'bot_started_at', type: 'timestamptz', own: true },
  botEnd: { column: 'bot_ended_at', type: 'timestamptz', own: true },
  queued: { column: 'first_queued_at', type: 'timestamptz', own: true },
  humanStart: { column: 'first_assigned_at', type: 'timestamptz', own: true },
  humanEnd: { column: 'human_ended_at', type: 'timestamptz', own: true },
  protocol: { column: 'protocol', type: 'text', notNull: true, own: true },
  queueTime: { column: 'queue_seconds', type: 'bigint', own: true },
  handleTime: { column: 'handle_seconds', type: 'bigint', own: true },
  subject: { column: 'subject', type: 'text', own: true },
  state: { column: 'state', type: 'text', notNull: true, own: true },
  channel: { column: 'channel', type: 'text', notNull: true, own: true },
  contact: { column: 'contact_name', type: 'text' },
  origin: { column: 'origin', type: 'text' },
  service: { column: 'service_name', type: 'text', notNull: true },
  agent: { column: 'agent_name', type: 'text' },
  classification: { column: 'classification_name', type: 'text' },
};

/**
 * The sort keys of a list: the column, then the id as the tiebreaker. A column that can be empty
 * puts its NULLs last either way; one that cannot keeps PostgreSQL's default, which is the order an
 * index scan gives in both directions (NULLS LAST on a descending scan would need a sort).
 */
export function sortKeys(sort: LookbackSort = 'start', dir?: 'asc' | 'desc'): SortKey[] {
  const s = SORTS[sort];
  const d = dir ?? (sort === 'start' ? 'desc' : 'asc');
  return [
    s.notNull ? { column: s.column, type: s.type, dir: d, notNull: true } : { column: s.column, type: s.type, dir: d, nulls: 'last' },
    { column: 'id', type: 'uuid', dir: d, notNull: true },
  ];
}

// A customer shown by name, else by how they reached us; the identity is read only when the contact
// row has none of the three (COALESCE stops at the first value).
export const IDENTITY = `(SELECT coalesce(li.display_name, li.external_id) FROM contact_identities li WHERE li.contact_id = ct.id ORDER BY li.created_at LIMIT 1)`;

/** The conversation's own columns, the computed ones named as the sort keys name them. */
const OWN_COLUMNS = `c.id, c.protocol, c.channel, c.direction, c.state, c.service_id, c.agent_id, c.contact_id, c.subject,
      c.classification_id, c.created_at, c.bot_started_at, c.bot_ended_at, c.first_queued_at, c.first_assigned_at,
      CASE WHEN c.first_assigned_at IS NOT NULL THEN c.finished_at END AS human_ended_at, c.finished_at,
      floor(extract(epoch FROM coalesce(c.first_assigned_at, c.finished_at) - c.first_queued_at))::bigint AS queue_seconds,
      floor(extract(epoch FROM c.finished_at - c.first_assigned_at))::bigint AS handle_seconds`;

/**
 * T.Audio and T.Video of a conversation: the answered seconds of its calls, by what they carried
 * (calls_conversation_idx); both null when no call was answered. A call still active counts once it ends.
 */
export const CALL_SECONDS = (conversationId: string) =>
  `SELECT sum(k.audio_seconds)::bigint AS audio_seconds, sum(k.video_seconds)::bigint AS video_seconds
     FROM calls k WHERE k.conversation_id = ${conversationId} AND k.answered_at IS NOT NULL AND k.state <> 'active'`;

/**
 * Every column of a row: its own and its names (service, agent, customer, classification, and the
 * agent a supervisor allocated a waiting conversation to).
 */
const NAMED_FROM = `${OWN_COLUMNS}, s.name AS service_name, u.name AS agent_name,
      c.preferred_agent_id, pu.name AS preferred_agent_name,
      coalesce(ct.name, ct.phone, ct.email, ${IDENTITY}) AS contact_name,
      coalesce(ct.email, ct.phone, ${IDENTITY}) AS origin, cl.name AS classification_name,
      cs.audio_seconds, cs.video_seconds
    FROM conversations c
    JOIN services s ON s.id = c.service_id
    JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN users u ON u.id = c.agent_id
    LEFT JOIN users pu ON pu.id = c.preferred_agent_id
    LEFT JOIN classifications cl ON cl.id = c.classification_id
    LEFT JOIN LATERAL (${CALL_SECONDS('c.id')}) cs ON true`;

/** How the searches in text are run (conversation-filter.ts): chosen per request by `plansFor`. */
export interface SearchPlans {
  textPlan?: TextPlan;
  originPlan?: OriginPlan;
}

/** The scope's and the filter's condition on `c`, numbered from $1. */
function whereSql(filter: ConversationFilter, viewer: Viewer, timeZone: string, plans: SearchPlans = {}): { sql: string; params: unknown[] } {
  const scope = policyOf(viewer).conversationsSql('c', 1);
  const f = conversationFilterSql(filter, { alias: 'c', timeZone, firstParam: 1 + scope.params.length, ...plans });
  return { sql: `${scope.sql} AND ${f.sql}`, params: [...scope.params, ...f.params] };
}

/**
 * Past this many messages (the planner's estimate, from the column's statistics) a phrase is common:
 * a page is found faster by checking the period's conversations one by one (`each`) than by reading
 * every matching message (`matches`). At 3 M conversations and 30 M messages a phrase in 1 of 30
 * messages took 6.5 s the one way; a rare one takes 5–10 ms that way and would read the whole period
 * the other.
 */
export const COMMON_TEXT_MESSAGES = 20_000;

/** The planner's estimate of the rows a statement returns (EXPLAIN, nothing run). */
async function estimatedRows(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const plan = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: { 'Plan Rows': number } }];
  return parsed[0].Plan['Plan Rows'];
}

/** The text search's plan for this phrase (conversation-filter.ts `TextPlan`), by the planner's estimate. */
export async function textPlanFor(db: Queryable, text: string | undefined): Promise<TextPlan | undefined> {
  if (!text) return undefined;
  const n = await estimatedRows(db, `SELECT 1 FROM messages fm WHERE fm.body ILIKE $1 AND fm.author_type IN ('customer', 'agent', 'bot')`, [likeContaining(text)]);
  return n > COMMON_TEXT_MESSAGES ? 'each' : 'matches';
}

/**
 * Up to this many matching contacts (the planner's estimate), an origin search reads their own
 * conversations (`contacts`); up to ORIGIN_COMMON_CONTACTS it checks the period's conversations against
 * their hashed set (`set`); past it, each conversation against its own contact (`each`).
 */
export const ORIGIN_FEW_CONTACTS = 2_000;
export const ORIGIN_COMMON_CONTACTS = 20_000;

/** The origin search's plan for this text (conversation-filter.ts `OriginPlan`), by the planner's estimate. */
export async function originPlanFor(db: Queryable, origin: string | undefined): Promise<OriginPlan | undefined> {
  if (!origin) return undefined;
  const m = originMatchSql('$1');
  const n = await estimatedRows(db, `${m.contacts} UNION ${m.identities}`, [likeContaining(origin)]);
  return n <= ORIGIN_FEW_CONTACTS ? 'contacts' : n <= ORIGIN_COMMON_CONTACTS ? 'set' : 'each';
}

/**
 * The plans of an export, which reads every row the filter selects: a few contacts by their own
 * conversations, any more as a set (checking a year conversation by conversation is the slow way
 * when every row is read anyway); the text search as the list's default.
 */
export async function exportPlansFor(db: Queryable, filter: ConversationFilter): Promise<SearchPlans> {
  const originPlan = await originPlanFor(db, filter.origin);
  return originPlan === 'contacts' ? { originPlan } : {};
}

/** Both searches' plans for a filter. */
export async function plansFor(db: Queryable, filter: ConversationFilter): Promise<SearchPlans> {
  const [textPlan, originPlan] = await Promise.all([textPlanFor(db, filter.text), originPlanFor(db, filter.origin)]);
  return { textPlan, originPlan };
}

/** The list's SELECT (no ORDER BY), numbered from $1: every column, or (`own`) the conversation's alone. */
export function lookbackSql(
  filter: ConversationFilter, viewer: Viewer, timeZone: string, opts: { own?: boolean } & SearchPlans = {},
): { sql: string; params: unknown[] } {
  const w = whereSql(filter, viewer, timeZone, opts);
  return { sql: `SELECT ${opts.own ? `${OWN_COLUMNS} FROM conversations c` : NAMED_FROM} WHERE ${w.sql}`, params: w.params };
}

/**
 * How many conversations the filter selects in the viewer's scope: no joins, mostly the period's
 * range of conversations_lookback_idx. With `cap`, counting stops past it.
 */
export function countSql(filter: ConversationFilter, viewer: Viewer, timeZone: string, cap?: number, plans: SearchPlans = {}): { sql: string; params: unknown[] } {
  const w = whereSql(filter, viewer, timeZone, plans);
  if (cap === undefined) return { sql: `SELECT count(*)::bigint AS n FROM conversations c WHERE ${w.sql}`, params: w.params };
  return { sql: `SELECT count(*)::bigint AS n FROM (SELECT 1 FROM conversations c WHERE ${w.sql} LIMIT ${Math.trunc(cap) + 1}) capped`, params: w.params };
}

interface DbRow {
  id: string;
  protocol: string;
  channel: LookbackRow['channel'];
  direction: LookbackRow['direction'];
  state: LookbackRow['state'];
  service_id: string;
  service_name: string;
  agent_id: string | null;
  agent_name: string | null;
  preferred_agent_id: string | null;
  preferred_agent_name: string | null;
  contact_id: string;
  contact_name: string | null;
  origin: string | null;
  subject: string | null;
  classification_id: string | null;
  classification_name: string | null;
  created_at: Date | string;
  bot_started_at: Date | string | null;
  bot_ended_at: Date | string | null;
  first_queued_at: Date | string | null;
  first_assigned_at: Date | string | null;
  human_ended_at: Date | string | null;
  finished_at: Date | string | null;
  queue_seconds: number | string | null;
  handle_seconds: number | string | null;
  audio_seconds: number | string | null;
  video_seconds: number | string | null;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function presentRow(r: DbRow): LookbackRow {
  return {
    id: r.id,
    protocol: r.protocol,
    channel: r.channel,
    direction: r.direction,
    state: r.state,
    serviceId: r.service_id,
    serviceName: r.service_name,
    agentId: r.agent_id,
    agentName: r.agent_name,
    preferredAgentId: r.preferred_agent_id,
    preferredAgentName: r.preferred_agent_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    origin: r.origin,
    subject: r.subject,
    classificationId: r.classification_id,
    classificationName: r.classification_name,
    startedAt: iso(r.created_at) as string,
    botStartedAt: iso(r.bot_started_at),
    botEndedAt: iso(r.bot_ended_at),
    queuedAt: iso(r.first_queued_at),
    humanStartedAt: iso(r.first_assigned_at),
    humanEndedAt: iso(r.human_ended_at),
    finishedAt: iso(r.finished_at),
    queueSeconds: num(r.queue_seconds),
    handleSeconds: num(r.handle_seconds),
    audioSeconds: num(r.audio_seconds),
    videoSeconds: num(r.video_seconds),
  };
}

// The page's cursor: the keyset's own (the sort keys' values) and the total counted on the first
// page, so the next pages cost one index range each and no count.
const NOT_OURS: Said = { en: 'not a cursor of this list (start again from the first page)', pt: 'não é um cursor desta lista (comece de novo pela primeira página)' };
const badAfter = () => fieldError(400, 'validation_error', 'after', NOT_OURS, { field: 'after' });

function encodeAfter(keyset: string, total: number): string {
  return Buffer.from(JSON.stringify({ k: keyset, t: total }), 'utf8').toString('base64url');
}

function decodeAfter(after: string, sort: readonly SortKey[]): { keyset: string; total: number } {
  let parsed: { k?: unknown; t?: unknown };
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(after)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as typeof parsed;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw badAfter();
  }
  if (typeof parsed.k !== 'string' || typeof parsed.t !== 'number' || !Number.isSafeInteger(parsed.t) || parsed.t < 0) throw badAfter();
  try {
    decodeCursor(sort, parsed.k);
  } catch {
    throw badAfter();
  }
  return { keyset: parsed.k, total: parsed.t };
}

export type LookbackSearch = Omit<LookbackQuery, 'format'>;

/** Splits a query into the filter and the list's own fields (sort, page). */
export function splitQuery(q: LookbackQuery): { filter: ConversationFilter; sort?: LookbackSort; dir?: 'asc' | 'desc'; after?: string; limit?: number } {
  const { sort, dir, after, limit, format: _format, ...filter } = q;
  return { filter, sort, dir, after, limit };
}

/**
 * A search in the messages' text can match most of a month (a common word): its total is counted up
 * to this many, and said to be "more than" beyond (`totalExact: false`); the rest are exact.
 */
export const TEXT_COUNT_CAP = 10_000;
/**
 * With a common phrase (`each`), counting checks conversations one by one: ten thousand matches read
 * about 28,000 conversations' messages (2.9 s on 3 M conversations), a thousand about a tenth of it.
 */
export const COMMON_TEXT_COUNT_CAP = 1_000;
/**
 * An origin that matches tens of thousands of contacts (`each`: a common surname) is counted up to
 * this many: an exact count would have to collect every matching contact first.
 */
export const COMMON_ORIGIN_COUNT_CAP = 1_000;

/** Up to how many a filter's total is counted (undefined: exactly), for the plans chosen. */
export function countCapFor(filter: ConversationFilter, plans: SearchPlans): number | undefined {
  const caps = [
    filter.text ? (plans.textPlan === 'each' ? COMMON_TEXT_COUNT_CAP : TEXT_COUNT_CAP) : undefined,
    filter.origin && plans.originPlan === 'each' ? COMMON_ORIGIN_COUNT_CAP : undefined,
  ].filter((c): c is number => c !== undefined);
  return caps.length ? Math.min(...caps) : undefined;
}

export interface LookbackResult {
  rows: LookbackRow[];
  next: string | null;
  total: number;
  totalExact: boolean;
}

/** One page of Consultas / Histórico: `{ rows, next, total, totalExact }`. */
export async function searchConversations(db: Queryable, viewer: Viewer, q: LookbackSearch): Promise<LookbackResult> {
  const { filter, sort, dir, after, limit } = splitQuery(q);
  const keys = sortKeys(sort, dir);
  const cursor = after ? decodeAfter(after, keys) : null;
  const { timezone } = await getSettings(db);
  const own = SORTS[sort ?? 'start'].own === true;
  const plans = await plansFor(db, filter);
  const cap = countCapFor(filter, plans);
  const list = lookbackSql(filter, viewer, timezone, { own, ...plans });
  // The total of an origin search reads every match, so its plan is the page's only when that reads
  // the matches too: up to thousands of contacts it is counted from their own conversations (a month
  // of 1,250 matching contacts: 38 ms, against 95 ms through the set); a common surname is counted up
  // to its cap along the period through the set (76 ms), where checking conversation by conversation
  // would read 20 times the cap (350 ms).
  const countPlans: SearchPlans = { ...plans, originPlan: plans.originPlan === 'each' ? 'set' : plans.originPlan && 'contacts' };
  const [page, counted] = await Promise.all([
    keysetPage<DbRow & Record<string, unknown>>(db, { sql: list.sql, params: list.params, sort: keys, limit: limit ?? DEFAULT_LIMIT, cursor: cursor?.keyset }),
    cursor ? Promise.resolve(cursor.total) : countConversations(db, filter, viewer, timezone, cap, countPlans),
  ]);
  const rows = own ? await withNames(db, page.items) : page.items;
  const totalExact = !(cap !== undefined && counted > cap);
  const total = Math.min(counted, cap ?? counted);
  return { rows: rows.map(presentRow), next: page.nextCursor ? encodeAfter(page.nextCursor, counted) : null, total, totalExact };
}

/** The page's rows with their names, in the page's order (a primary-key lookup per row). */
async function withNames(db: Queryable, page: DbRow[]): Promise<DbRow[]> {
  if (!page.length) return [];
  const { rows } = await db.query<DbRow>(`SELECT ${NAMED_FROM} WHERE c.id = ANY($1::uuid[])`, [page.map((r) => r.id)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((r) => byId.get(r.id) ?? r).filter((r): r is DbRow => 'service_name' in r);
}

export async function countConversations(
  db: Queryable, filter: ConversationFilter, viewer: Viewer, timeZone: string, cap?: number, plans: SearchPlans = {},
): Promise<number> {
  const c = countSql(filter, viewer, timeZone, cap, plans);
  const { rows } = await db.query<{ n: number | string }>(c.sql, c.params);
  return Number(rows[0].n);
}

/**
 * An export row: only what a download writes, the times already as local wall-clock text in the
 * contact center's zone (no Date objects to build a million times over).
 */
export interface ExportRow {
  protocol: string;
  channel: LookbackRow['channel'];
  state: LookbackRow['state'];
  service_name: string;
  agent_name: string | null;
  contact_name: string | null;
  origin: string | null;
  subject: string | null;
  classification_name: string | null;
  queue_seconds: number | string | null;
  handle_seconds: number | string | null;
  audio_seconds: number | string | null;
  video_seconds: number | string | null;
  local_created_at: string;
  local_bot_started_at: string | null;
  local_bot_ended_at: string | null;
  local_first_queued_at: string | null;
  local_first_assigned_at: string | null;
  local_human_ended_at: string | null;
}

const EXPORT_COLUMNS = ['protocol', 'channel', 'state', 'service_name', 'agent_name', 'contact_name', 'origin', 'subject', 'classification_name', 'queue_seconds', 'handle_seconds', 'audio_seconds', 'video_seconds'];
export const LOCAL_TIMES = ['created_at', 'bot_started_at', 'bot_ended_at', 'first_queued_at', 'first_assigned_at', 'human_ended_at'] as const;

/**
 * Every conversation the filter selects, in the list's order, streamed from the database in batches
 * (Database.stream: a server-side cursor), never held whole. The database formats the local times
 * (`timeFormat`, a to_char pattern), faster than Intl would a million times.
 */
/**
 * Rows per FETCH of an export. On PostgreSQL small: each FETCH's rows are parsed into objects that
 * live until the batch is written, and a 1,000-row batch outlives young-generation collections, is
 * promoted, and grows the old generation until a full collection — a million-row CSV took the
 * server's RSS up by 180 MB at 1,000 rows, 122 MB at 100, 104 MB at 50 (bench/lookback.ts, server in
 * its own process), at no cost in rows per second. On PGlite each FETCH is a call into the
 * WebAssembly engine with a fixed cost, and its rows come from the cursor's stored result: 1,000 at a
 * time read a month of the 1 M seed 1.7× faster than 100 (10,266 against 6,156 rows/s), and the
 * process's memory is PGlite's own heap either way.
 */
const EXPORT_BATCH_ROWS = { postgres: 100, pglite: 1000 } as const;

export async function* exportConversations(
  db: Database,
  viewer: Viewer,
  q: LookbackSearch,
  opts: { timeZone: string; timeFormat: string; batchSize?: number } & SearchPlans,
): AsyncGenerator<ExportRow[]> {
  const { sql, params } = exportSql(viewer, q, opts, (e) => `${EXPORT_COLUMNS.map((c) => `e.${c}`).join(', ')}, ${LOCAL_TIMES.map((col) => `${e(col)} AS local_${col}`).join(', ')}`);
  yield* db.stream<ExportRow>(sql, params, { batchSize: opts.batchSize ?? EXPORT_BATCH_ROWS[db.kind] });
}

/**
 * The export's statement: what `select` lists over the conversations `e` the filter selects, in the
 * list's order. `select` is given how to write a local time column (`to_char` in the time zone and
 * format asked: ExportRow's `local_*`).
 */
export function exportSql(
  viewer: Viewer,
  q: LookbackSearch,
  opts: { timeZone: string; timeFormat: string } & SearchPlans,
  select: (localTime: (column: (typeof LOCAL_TIMES)[number]) => string) => string,
): { sql: string; params: unknown[] } {
  const { filter, sort, dir } = splitQuery(q);
  const keys = sortKeys(sort, dir);
  const list = lookbackSql(filter, viewer, opts.timeZone, { textPlan: opts.textPlan, originPlan: opts.originPlan });
  const tz = `$${list.params.length + 1}`;
  const fmt = `$${list.params.length + 2}`;
  const order = keys.map((k) => `e.${k.column} ${k.dir === 'desc' ? 'DESC' : 'ASC'}${k.nulls ? ` NULLS ${k.nulls.toUpperCase()}` : ''}`).join(', ');
  const sql = `SELECT ${select((col) => `to_char(e.${col} AT TIME ZONE ${tz}, ${fmt})`)} FROM (${list.sql}) e ORDER BY ${order}`;
  return { sql, params: [...list.params, opts.timeZone, opts.timeFormat] };
}
