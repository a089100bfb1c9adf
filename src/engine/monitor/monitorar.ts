import type { Queryable } from '../../db/database.js';
import { NO_AGENT_KEY } from '../../shared/monitorar.js';
import {
  type MonitorarGroup, type MonitorarGroups, type MonitorarPage, type MonitorarPeriod, type MonitorarQuery, type MonitorarRow,
  type MonitorarView,
} from '../../contracts/monitor.js';
import type { Channel } from '../../contracts/common.js';
import { CHANNELS } from '../../contracts/common.js';
import { CONVERSATION_STATES, OPEN_STATES_SQL, type ConversationState } from '../../shared/states.js';
import { policyOf, type Viewer } from '../access.js';
import { localDay } from '../protocol.js';
import { fieldError } from '../errors.js';
import { decodeCursor, keysetPage, type SortKey } from '../queries/keyset.js';
import { dayBounds, type Range } from './day-sql.js';

// Monitorar (seed: OmniMonitor → Monitorar): the open conversations, or those that started today or
// yesterday, grouped by Status, Serviço, Agentes or Canal. The screen asks for the groups' counts
// (one GROUP BY over the period's rows), then each group's rows in keyset pages as it opens them:
// never the whole day at once. The period leans on conversations_open_idx (open) or on
// conversations_created_idx (a day): on 3,000,000 conversations with 20,000 today, each query takes
// under 10 ms (docs/ARCHITECTURE.md, Monitorar), so no index of its own.

export const DEFAULT_LIMIT = 50;

/** What the caller asks, as the route parsed it, with the time the engine's clock reads. */
export interface MonitorarRequest extends MonitorarQuery {
  now: Date;
  timeZone: string;
}

interface Where {
  sql: string;
  params: unknown[];
  day: string | null;
  range: Range | null;
}

/** The day before a YYYY-MM-DD day. */
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The SQL column (on alias c) each view groups by. */
export const GROUP_COLUMN: Record<MonitorarView, string> = {
  status: 'c.state',
  service: 'c.service_id',
  agent: 'c.agent_id',
  channel: 'c.channel',
};

/** The period, the scope and the filters as one condition on `conversations c`. */
export async function conditionOf(db: Queryable, viewer: Viewer, q: MonitorarRequest): Promise<Where> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds: string[] = [];
  let day: string | null = null;
  let range: Range | null = null;
  if (q.period === 'open') conds.push(`c.state IN ${OPEN_STATES_SQL}`);
  else {
    const today = localDay(q.now, q.timeZone);
    day = q.period === 'today' ? today : dayBefore(today);
    range = await dayBounds(db, day, q.timeZone);
    conds.push(`c.created_at >= ${p(range.start)} AND c.created_at < ${p(range.end)}`);
  }
  const scope = policyOf(viewer).conversationsSql('c', params.length + 1);
  if (scope.sql !== 'TRUE') {
    conds.push(scope.sql);
    params.push(...scope.params);
  }
  if (q.serviceId) conds.push(`c.service_id = ${p(q.serviceId)}::uuid`);
  if (q.channel) conds.push(`c.channel = ${p(q.channel)}`);
  return { sql: conds.join(' AND '), params, day, range };
}

const meta = (q: MonitorarRequest, w: Where) => ({
  view: q.view,
  period: q.period,
  day: w.day,
  range: w.range ? { start: w.range.start.toISOString(), end: w.range.end.toISOString() } : null,
  timezone: q.timeZone,
  generatedAt: q.now.toISOString(),
});

/** The view's groups with their counts, in the screen's order (states and channels as listed, names alphabetically, Sem agente last). */
export async function monitorarGroups(db: Queryable, viewer: Viewer, q: MonitorarRequest): Promise<MonitorarGroups> {
  const w = await conditionOf(db, viewer, q);
  const col = GROUP_COLUMN[q.view];
  const { rows } = await db.query<{ key: string | null; n: number }>(
    `SELECT ${col}::text AS key, count(*)::int AS n FROM conversations c WHERE ${w.sql} GROUP BY ${col}`,
    w.params,
  );
  const labels = await labelsOf(db, q.view, rows.flatMap((r) => (r.key ? [r.key] : [])));
  const groups: MonitorarGroup[] = rows.map((r) => ({ key: r.key ?? NO_AGENT_KEY, label: r.key ? (labels.get(r.key) ?? null) : null, count: r.n }));
  groups.sort(groupOrder(q.view));
  return { ...meta(q, w), total: groups.reduce((a, g) => a + g.count, 0), groups };
}

async function labelsOf(db: Queryable, view: MonitorarView, keys: string[]): Promise<Map<string, string>> {
  if (!keys.length || (view !== 'service' && view !== 'agent')) return new Map();
  const table = view === 'service' ? 'services' : 'users';
  const { rows } = await db.query<{ id: string; name: string }>(`SELECT id::text AS id, name FROM ${table} WHERE id = ANY($1::uuid[])`, [keys]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

const collator = new Intl.Collator('pt-BR');

function groupOrder(view: MonitorarView): (a: MonitorarGroup, b: MonitorarGroup) => number {
  if (view === 'status') return (a, b) => CONVERSATION_STATES.indexOf(a.key as ConversationState) - CONVERSATION_STATES.indexOf(b.key as ConversationState);
  if (view === 'channel') return (a, b) => CHANNELS.indexOf(a.key as Channel) - CHANNELS.indexOf(b.key as Channel);
  return (a, b) => {
    if (a.key === NO_AGENT_KEY || b.key === NO_AGENT_KEY) return (a.key === NO_AGENT_KEY ? 1 : 0) - (b.key === NO_AGENT_KEY ? 1 : 0);
    return collator.compare(a.label ?? '', b.label ?? '') || (a.key < b.key ? -1 : 1);
  };
}

/** Open conversations oldest first (the longest going on at the top); a day's newest first. */
export const sortOf = (period: MonitorarPeriod): SortKey[] => {
  const dir = period === 'open' ? 'asc' : 'desc';
  return [
    { column: 'created_at', type: 'timestamptz', dir, notNull: true },
    { column: 'id', type: 'uuid', dir, notNull: true },
  ];
};

const NOT_A_CURSOR = {
  en: 'not a cursor of this list (view, period and order): start again from the first page',
  pt: 'não é um cursor desta lista (visão, período e ordem): comece de novo pela primeira página',
};

/** One page of a group's rows (`group`: its key), after the cursor `after`. */
export async function monitorarPage(db: Queryable, viewer: Viewer, q: MonitorarRequest & { group: string }): Promise<MonitorarPage> {
  const sort = sortOf(q.period);
  // the cursor is `after` here: a bad one is named so, before any query
  if (q.after) {
    try {
      decodeCursor(sort, q.after);
    } catch {
      throw fieldError(400, 'validation_error', 'after', NOT_A_CURSOR, { field: 'after' });
    }
  }
  const w = await conditionOf(db, viewer, q);
  const params = [...w.params];
  const col = GROUP_COLUMN[q.view];
  let groupSql: string;
  if (q.view === 'agent' && q.group === NO_AGENT_KEY) groupSql = 'c.agent_id IS NULL';
  else {
    params.push(q.group);
    groupSql = `${col} = $${params.length}${q.view === 'service' || q.view === 'agent' ? '::uuid' : ''}`;
  }
  const page = await keysetPage<Record<string, unknown>>(db, {
    sql: `SELECT c.id, c.protocol, c.channel, ct.name AS contact_name, c.agent_id, u.name AS agent_name, c.service_id, s.name AS service_name,
              c.state, c.subject, c.created_at, c.first_queued_at, c.first_assigned_at, c.finished_at, c.last_message_at
            FROM conversations c
            JOIN services s ON s.id = c.service_id
            JOIN contacts ct ON ct.id = c.contact_id
            LEFT JOIN users u ON u.id = c.agent_id
           WHERE ${w.sql} AND ${groupSql}`,
    params,
    sort,
    limit: q.limit ?? DEFAULT_LIMIT,
    cursor: q.after ?? null,
  });
  return { ...meta(q, w), group: q.group, rows: page.items.map(presentRow), nextCursor: page.nextCursor };
}

const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);

function presentRow(r: Record<string, unknown>): MonitorarRow {
  return {
    id: r.id as string,
    protocol: r.protocol as string,
    channel: r.channel as Channel,
    contactName: (r.contact_name as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    agentName: (r.agent_name as string | null) ?? null,
    serviceId: r.service_id as string,
    serviceName: r.service_name as string,
    state: r.state as ConversationState,
    subject: (r.subject as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
    firstQueuedAt: iso(r.first_queued_at),
    firstAssignedAt: iso(r.first_assigned_at),
    finishedAt: iso(r.finished_at),
    lastMessageAt: iso(r.last_message_at),
  };
}
