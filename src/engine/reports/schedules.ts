import type { ReportSchedule, ReportScheduleBody, ReportSchedulePatch, ScheduleFrequency, SchedulePeriod } from '../../contracts/report-schedules.js';
import type { Database, Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { policyOf } from '../access.js';
import { fieldError, forbidden, notFound, NOUNS } from '../errors.js';
import { getSettings } from '../settings.js';

// Agendamentos of Relatórios (contracts/report-schedules.ts): each admin or supervisor keeps their own
// schedules; an admin sees and edits everyone's. Every change is audited. When the next sending falls
// is computed by the database in the contact center's time zone (daylight saving included).

const UNIT: Record<ScheduleFrequency, string> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** The first sending strictly after `after`: the hour of the next day, Monday (ISO week) or 1st, local time. */
export async function nextRunAfter(db: Queryable, after: Date, frequency: ScheduleFrequency, hour: number, timeZone: string): Promise<Date> {
  const unit = UNIT[frequency];
  const { rows } = await db.query<{ at: Date }>(
    `SELECT (CASE WHEN b + make_interval(hours => $3) > l THEN b + make_interval(hours => $3)
                  ELSE b + interval '1 ${unit}' + make_interval(hours => $3) END) AT TIME ZONE $2 AS at
       FROM (SELECT l, date_trunc('${unit}', l) AS b FROM (SELECT $1::timestamptz AT TIME ZONE $2 AS l) x) y`,
    [after, timeZone, hour],
  );
  return new Date(rows[0]!.at);
}

/** The days a sending due at `due` covers (its local day's yesterday, last ISO week, last month). */
export async function periodOfSending(db: Queryable, due: Date, period: SchedulePeriod, timeZone: string): Promise<{ from: string; to: string }> {
  const [from, to] = {
    yesterday: ['d - 1', 'd - 1'],
    last_week: [`date_trunc('week', d)::date - 7`, `date_trunc('week', d)::date - 1`],
    last_month: [`(date_trunc('month', d) - interval '1 month')::date`, `date_trunc('month', d)::date - 1`],
  }[period];
  const { rows } = await db.query<{ from: string; to: string }>(
    `SELECT to_char(${from}, 'YYYY-MM-DD') AS "from", to_char(${to}, 'YYYY-MM-DD') AS "to" FROM (SELECT ($1::timestamptz AT TIME ZONE $2)::date AS d) x`,
    [due, timeZone],
  );
  return rows[0]!;
}

interface Row {
  id: string; report_id: string; filters: ReportSchedule['filters']; period: SchedulePeriod; format: ReportSchedule['format'];
  recipients: string[]; frequency: ScheduleFrequency; hour: number; active: boolean; owner_id: string; owner_name: string;
  last_run_at: Date | null; next_run_at: Date; created_at: Date;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function present(r: Row): ReportSchedule {
  return {
    id: r.id, reportId: r.report_id as ReportSchedule['reportId'], filters: r.filters ?? {}, period: r.period, format: r.format,
    recipients: r.recipients, frequency: r.frequency, hour: Number(r.hour), active: r.active, ownerId: r.owner_id, ownerName: r.owner_name,
    lastRunAt: iso(r.last_run_at), nextRunAt: iso(r.next_run_at)!, createdAt: iso(r.created_at)!,
  };
}

const SELECT = `SELECT s.*, u.name AS owner_name FROM report_schedules s JOIN users u ON u.id = s.owner_id`;

/** Only staff; a supervisor only their own (an admin everyone's). */
function scopeSql(actor: Actor): { sql: string; params: unknown[] } {
  if (actor.role === 'admin') return { sql: 'true', params: [] };
  if (actor.role !== 'supervisor' || !actor.id) throw forbidden();
  return { sql: 's.owner_id = $1', params: [actor.id] };
}

export async function listSchedules(db: Queryable, actor: Actor): Promise<ReportSchedule[]> {
  const scope = scopeSql(actor);
  const { rows } = await db.query<Row>(`${SELECT} WHERE ${scope.sql} ORDER BY s.created_at, s.id`, scope.params);
  return rows.map(present);
}

async function loadScoped(db: Queryable, actor: Actor, id: string, lock = false): Promise<Row> {
  const scope = scopeSql(actor);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE s.id = $${scope.params.length + 1}::uuid AND ${scope.sql}${lock ? ' FOR UPDATE OF s' : ''}`,
    [...scope.params, id],
  );
  // another supervisor's schedule is as absent as one that does not exist
  if (!rows[0]) throw notFound(NOUNS.reportSchedule, id);
  return rows[0];
}

export async function getSchedule(db: Queryable, actor: Actor, id: string): Promise<ReportSchedule> {
  return present(await loadScoped(db, actor, id));
}

/**
 * A supervisor's schedule names only services, departments and agents they supervise: the report
 * would run in their scope anyway, and an e-mail that always arrives empty helps nobody (404 naming
 * the field, as for anything outside one's scope).
 */
async function assertFiltersInScope(db: Queryable, actor: Actor, filters: ReportSchedule['filters']): Promise<void> {
  if (actor.role === 'admin') return;
  const ids = await policyOf(actor).ids(db);
  const outside = (field: string, noun: { en: string; pt: string }, id: string) =>
    fieldError(404, 'not_found', `filters.${field}`, { en: `${noun.en} ${id} not found`, pt: `${noun.pt} ${id} não encontrado` });
  if (filters.serviceId && !ids.serviceIds.has(filters.serviceId)) throw outside('serviceId', NOUNS.service, filters.serviceId);
  if (filters.agentId && !ids.agentIds.has(filters.agentId)) throw outside('agentId', NOUNS.agent, filters.agentId);
  if (filters.teamId && !actor.supervisedTeamIds.includes(filters.teamId)) throw outside('teamId', { en: 'Department', pt: 'Departamento' }, filters.teamId);
}

const dedupe = (emails: string[]) => [...new Set(emails.map((e) => e.trim().toLowerCase()))];

export async function createSchedule(db: Database, actor: Actor, body: ReportScheduleBody, now: Date): Promise<ReportSchedule> {
  scopeSql(actor);
  await assertFiltersInScope(db, actor, body.filters);
  const { timezone } = await getSettings(db);
  return db.transaction(async (tx) => {
    const next = await nextRunAfter(tx, now, body.frequency, body.hour, timezone);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO report_schedules (report_id, filters, period, format, recipients, frequency, hour, owner_id, active, next_run_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
      [body.reportId, JSON.stringify(body.filters), body.period, body.format, dedupe(body.recipients), body.frequency, body.hour, actor.id, body.active, next, now],
    );
    const created = present((await tx.query<Row>(`${SELECT} WHERE s.id = $1`, [rows[0]!.id])).rows[0]!);
    await writeAudit(tx, actor, { action: 'create', entity: 'report_schedule', entityId: created.id, after: created });
    return created;
  });
}

export async function updateSchedule(db: Database, actor: Actor, id: string, patch: ReportSchedulePatch, now: Date): Promise<ReportSchedule> {
  const { timezone } = await getSettings(db);
  return db.transaction(async (tx) => {
    const before = present(await loadScoped(tx, actor, id, true));
    if (patch.filters) await assertFiltersInScope(tx, actor, patch.filters);
    const merged = { ...before, ...patch, ...(patch.recipients ? { recipients: dedupe(patch.recipients) } : {}) };
    // a new frequency or hour, or a schedule resumed, counts from now; otherwise the due time stays
    const retime = patch.frequency !== undefined || patch.hour !== undefined || (patch.active === true && !before.active);
    const next = retime ? await nextRunAfter(tx, now, merged.frequency, merged.hour, timezone) : new Date(before.nextRunAt);
    await tx.query(
      `UPDATE report_schedules SET filters = $2, period = $3, format = $4, recipients = $5, frequency = $6, hour = $7, active = $8,
              next_run_at = $9, updated_at = $10 WHERE id = $1`,
      [id, JSON.stringify(merged.filters), merged.period, merged.format, merged.recipients, merged.frequency, merged.hour, merged.active, next, now],
    );
    const after = present((await tx.query<Row>(`${SELECT} WHERE s.id = $1`, [id])).rows[0]!);
    await writeAudit(tx, actor, { action: 'update', entity: 'report_schedule', entityId: id, before, after });
    return after;
  });
}

export async function deleteSchedule(db: Database, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = present(await loadScoped(tx, actor, id, true));
    await tx.query('DELETE FROM report_schedules WHERE id = $1', [id]);
    await writeAudit(tx, actor, { action: 'delete', entity: 'report_schedule', entityId: id, before });
  });
}
