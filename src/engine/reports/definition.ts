import type { Channel } from '../../contracts/common.js';
import type { ReportChart, ReportColumnKind, ReportId, ReportInterval, ReportRow } from '../../contracts/reports.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import type { ExportLanguage, Label } from '../exports/table-export.js';
import type { Period } from '../queries/analysis.js';

// One report of Relatórios: what it is called, which filters apply, and how it reads its table. A
// report is a file of its own under engine/reports/ and one line in catalogue.ts; the route, the
// screen and the CSV / XLSX / PDF downloads are shared (run.ts, export.ts).

export interface ReportColumnDef {
  key: string;
  label: Label;
  kind: ReportColumnKind;
  /** how the figure is computed (the screen's tooltip; reference/metrics.md's words) */
  definition?: Label;
}

export interface ReportFilter {
  serviceId?: string;
  channel?: Channel;
  teamId?: string;
  agentId?: string;
}

export interface ReportContext {
  db: Queryable;
  actor: Actor;
  period: Period;
  /** the bucket asked (or the default: hour for one day, day otherwise); only for `usesInterval` */
  interval: ReportInterval;
  filter: ReportFilter;
  now: Date;
  /** the request's language, for the words a report writes into its rows (a section, "Sem classificação") */
  lang: ExportLanguage;
}

export interface ReportData {
  /** the columns of this run when they depend on the data (one per pause reason…); absent: the definition's */
  columns?: readonly ReportColumnDef[];
  rows: ReportRow[];
  /** the totals row, computed from the raw rows (weighted, never a mean of means); null when meaningless */
  total: ReportRow | null;
  notes?: Label[];
  /** the chart's own points when they are not the rows added up by category (ReportChart.points) */
  chartPoints?: ReportRow[];
}

export interface ReportDefinition {
  id: ReportId;
  title: Label;
  description: Label;
  usesInterval: boolean;
  filters: readonly ('serviceId' | 'channel' | 'teamId' | 'agentId')[];
  /** the columns, in order: those of every run, unless run() returns its own (ReportData.columns) */
  columns: readonly ReportColumnDef[];
  chart: ReportChart | null;
  run(ctx: ReportContext): Promise<ReportData>;
}

/** Params numbered as they are pushed: `p(value)` gives `$n`. */
export class SqlParams {
  readonly list: unknown[] = [];
  p = (v: unknown): string => {
    this.list.push(v);
    return `$${this.list.length}`;
  };
}

/**
 * The conditions every conversation report applies to `conversations <alias>` whose `timeColumn`
 * falls in the period: the caller's scope and the filters asked (conversationsScope).
 */
export function conversationsWhere(ctx: ReportContext, q: SqlParams, alias: string, timeColumn: string): string {
  const period = `${alias}.${timeColumn} >= ${q.p(ctx.period.start)} AND ${alias}.${timeColumn} < ${q.p(ctx.period.end)}`;
  return `${period} AND ${conversationsScope(ctx, q, alias)}`;
}

/**
 * The caller's scope on `conversations <alias>`, and the service, channel, team (the services linked
 * to it) and agent (the conversation's last agent) asked; filters a report does not list are ignored.
 * For a report whose own time test is not one column (a conversation open during the period).
 */
export function conversationsScope(ctx: ReportContext, q: SqlParams, alias: string): string {
  const a = alias;
  const scope = policyOf(ctx.actor).conversationsSql(a, q.list.length + 1);
  q.list.push(...scope.params);
  const parts = [scope.sql];
  const f = ctx.filter;
  if (f.serviceId) parts.push(`${a}.service_id = ${q.p(f.serviceId)}::uuid`);
  if (f.channel) parts.push(`${a}.channel = ${q.p(f.channel)}`);
  if (f.teamId) parts.push(`${a}.service_id IN (SELECT st.service_id FROM service_teams st WHERE st.team_id = ${q.p(f.teamId)}::uuid)`);
  if (f.agentId) parts.push(`${a}.agent_id = ${q.p(f.agentId)}::uuid`);
  return parts.join(' AND ');
}

/**
 * Whether the conversation rollups (migrations 0031, 0036: per service, channel…) can answer for
 * this caller: an admin, or a supervisor (their services; their own conversations outside them are read
 * raw, see the reports' `run`); an agent's scope is their own conversations: read raw.
 */
export function usesRollups(ctx: ReportContext): boolean {
  return policyOf(ctx.actor).all || ctx.actor.role === 'supervisor';
}

/**
 * The conditions on a conversation rollup `alias` (0031's days, 0036's slots: rows per service and
 * channel) of the caller's services and the service, channel and team asked; the period is the
 * caller's, on the rollup's own time column.
 */
export function rollupFiltersWhere(ctx: ReportContext, q: SqlParams, alias: string): string[] {
  const scope = policyOf(ctx.actor).servicesSql(`${alias}.service_id`, q.list.length + 1);
  q.list.push(...scope.params);
  const parts = [scope.sql];
  const f = ctx.filter;
  if (f.serviceId) parts.push(`${alias}.service_id = ${q.p(f.serviceId)}::uuid`);
  if (f.channel) parts.push(`${alias}.channel = ${q.p(f.channel)}`);
  if (f.teamId) parts.push(`${alias}.service_id IN (SELECT st.service_id FROM service_teams st WHERE st.team_id = ${q.p(f.teamId)}::uuid)`);
  return parts;
}

/**
 * The whole condition on a rollup `alias` of local days (its `day`: 0031's, 0038's, 0039's): the
 * period's days, then rollupFiltersWhere; with `agent`, the agent asked on its agent_id column (a
 * rollup read with an agent asked has one).
 */
export function rollupDaysWhere(ctx: ReportContext, q: SqlParams, alias: string, opts: { agent?: boolean } = {}): string {
  return rollupWhere(ctx, q, alias, [`${alias}.day >= ${q.p(ctx.period.from)}::date`, `${alias}.day <= ${q.p(ctx.period.to)}::date`], opts);
}

/**
 * The same on a rollup of 15-minute cells (its `slot`, a local time: 0036's, 0040's): the cells of
 * the period in the time zone `tz` (a parameter already placed), the cells `nonEmpty` holds, then as
 * rollupDaysWhere.
 */
export function rollupSlotsWhere(ctx: ReportContext, q: SqlParams, alias: string, tz: string, nonEmpty: string, opts: { agent?: boolean } = {}): string {
  const period = [`${alias}.slot >= (${q.p(ctx.period.start)}::timestamptz AT TIME ZONE ${tz})`, `${alias}.slot < (${q.p(ctx.period.end)}::timestamptz AT TIME ZONE ${tz})`, nonEmpty];
  return rollupWhere(ctx, q, alias, period, opts);
}

/** The period's conditions (their parameters already placed), the filters, the agent when asked. */
function rollupWhere(ctx: ReportContext, q: SqlParams, alias: string, period: string[], opts: { agent?: boolean }): string {
  const parts = [...period, ...rollupFiltersWhere(ctx, q, alias)];
  if (opts.agent && ctx.filter.agentId) parts.push(`${alias}.agent_id = ${q.p(ctx.filter.agentId)}::uuid`);
  return parts.join(' AND ');
}

/** The raw rows of the part of the caller's scope the rollups do not hold (none for an admin). */
export function rawRest(ctx: ReportContext, q: SqlParams, alias: string): string {
  const policy = policyOf(ctx.actor);
  const services = policy.servicesSql(`${alias}.service_id`, q.list.length + 1);
  q.list.push(...services.params);
  // a supervisor's own conversations outside their services (said outright, for the agent's indexes)
  return `NOT (${services.sql}) AND ${alias}.agent_id = ${q.p(ctx.actor.id)}::uuid`;
}

/**
 * The conditions on a user id column (`users.id`, `agent_state_history.user_id`…): the caller's
 * scope (themself; a supervisor's agents), the team's agents and the agent asked.
 */
export function usersWhere(ctx: ReportContext, q: SqlParams, column: string): string {
  const scope = policyOf(ctx.actor).usersSql(column, q.list.length + 1);
  q.list.push(...scope.params);
  const parts = [scope.sql];
  if (ctx.filter.teamId) parts.push(`${column} IN (SELECT ta.user_id FROM team_agents ta WHERE ta.team_id = ${q.p(ctx.filter.teamId)}::uuid)`);
  if (ctx.filter.agentId) parts.push(`${column} = ${q.p(ctx.filter.agentId)}::uuid`);
  return parts.join(' AND ');
}

const BIN: Partial<Record<ReportInterval, string>> = { '15m': '15 minutes', '30m': '30 minutes' };

/**
 * The local start of the bucket `instant` (a timestamptz expression) falls in, as text
 * `YYYY-MM-DD HH24:MI:SS` in the contact center's time zone (`tzParam`, e.g. `q.p(ctx.period.timeZone)`).
 * Weeks start on Monday (ISO), months on the 1st.
 */
export function bucketSql(instant: string, interval: ReportInterval, tzParam: string): string {
  return bucketText(bucketStartSql(instant, interval, tzParam));
}

/**
 * The same bucket as a local `timestamp` (to group by before formatting: a month's rows are hundreds
 * of thousands, its buckets a few thousand); `bucketText` writes it as bucketSql does.
 */
export function bucketStartSql(instant: string, interval: ReportInterval, tzParam: string): string {
  return localBucketSql(`(${instant} AT TIME ZONE ${tzParam})`, interval);
}

/**
 * The bucket of a local `timestamp` expression (bucketStartSql's, when the time is already local: a
 * 15-minute slot of migration 0036 falls whole in the bucket of its start, since 15 minutes divide
 * every interval and the bins share one origin).
 */
export function localBucketSql(local: string, interval: ReportInterval): string {
  const bin = BIN[interval];
  return bin ? `date_bin('${bin}', ${local}, timestamp '2000-01-01')` : `date_trunc('${interval}', ${local})`;
}

/** A local bucket start (bucketStartSql) as the text of bucketSql. */
export const bucketText = (start: string): string => `to_char(${start}, 'YYYY-MM-DD HH24:MI:SS')`;

/** Every bucket of the period, in order (to show the empty ones as zeros), as the same text as bucketSql. */
export function bucketsSql(interval: ReportInterval, startParam: string, endParam: string, tzParam: string): string {
  const step = BIN[interval] ?? `1 ${interval}`;
  const first = BIN[interval]
    ? `date_bin('${BIN[interval]}', ${startParam}::timestamptz AT TIME ZONE ${tzParam}, timestamp '2000-01-01')`
    : `date_trunc('${interval}', ${startParam}::timestamptz AT TIME ZONE ${tzParam})`;
  return `SELECT to_char(b, 'YYYY-MM-DD HH24:MI:SS') AS bucket
            FROM generate_series(${first}, (${endParam}::timestamptz AT TIME ZONE ${tzParam}) - interval '1 microsecond', interval '${step}') AS b`;
}

/** A whole-second figure from a float of seconds (null stays null). */
export const seconds = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));

/** A share in percent with two decimals; 0 when nothing to share. */
export const pct = (n: number, total: number): number => (total ? Math.round((n * 10_000) / total) / 100 : 0);
