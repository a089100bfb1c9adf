import type { AuditAction, AuditEntity } from '../../shared/audit.js';
import type { Database, Queryable } from '../../db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { policyOf, type AccessPolicy } from '../access.js';
import { writeAudit } from '../audit.js';
import type { SqlCondition } from '../queries/conversation-filter.js';
import { AppError, fieldError, notFound, type Noun, type Said } from '../errors.js';

export type Row = Record<string, unknown>;

/** A many-to-many link kept in its own table and shown as an array of ids (e.g. a team's agentIds). */
export interface LinkDef {
  field: string;
  table: string;
  ownColumn: string;
  otherColumn: string;
  /** shown, never written (a service's channel account, listed on the account as its services) */
  readOnly?: boolean;
}

/**
 * One administrable resource (users, teams, services…). The generic commands below do list, read,
 * create, update and deactivate, each change in one transaction with its audit record.
 */
export interface ResourceDef<Out> {
  entity: AuditEntity;
  label: Noun;
  table: string;
  /** API field → column, for scalar fields written as they come. */
  columns: Record<string, string>;
  jsonColumns?: string[];
  links?: LinkDef[];
  searchColumn?: string;
  orderBy?: string;
  present(row: Row): Out;
  /** Write-only input fields (a password, credentials): the audit records that they changed, as `[redacted]`. */
  secretFields?: string[];
  /** Turns API input into extra column values (hash a password, generate a key) or rejects it. */
  prepare?(input: Record<string, unknown>, ctx: { tx: Queryable; existing?: Row; actor: Actor }): Promise<Record<string, unknown>>;
  /** The field a unique violation is about, and what to say, by constraint name. */
  conflictMessage(constraint: string | undefined): { field: string; message: Said };
  /** Which rows an actor sees (engine/access.ts): a condition on the alias `t`, `$n` from `firstParam`. */
  scope?(policy: AccessPolicy, firstParam: number): SqlCondition;
}

function selectSql<Out>(def: ResourceDef<Out>): string {
  const links = (def.links ?? [])
    .map(
      (l) =>
        `coalesce(array(SELECT x.${l.otherColumn}::text FROM ${l.table} x WHERE x.${l.ownColumn} = t.id ORDER BY 1), '{}') AS "${l.field}"`,
    )
    .join(', ');
  return `SELECT t.*${links ? ', ' + links : ''} FROM ${def.table} t`;
}

function shiftParams(sql: string, offset: number): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

export interface ListOptions {
  q?: string;
  active?: boolean;
  /** a condition on the alias `t`, `$n` numbered from 1 */
  where?: SqlCondition;
}

export async function listResource<Out>(db: Queryable, def: ResourceDef<Out>, actor: Actor, opts: ListOptions = {}): Promise<Out[]> {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (s: SqlCondition | null | undefined) => {
    if (!s) return;
    conds.push(`(${shiftParams(s.sql, params.length)})`);
    params.push(...s.params);
  };
  if (def.scope) {
    const scope = def.scope(policyOf(actor), params.length + 1);
    conds.push(`(${scope.sql})`);
    params.push(...scope.params);
  }
  add(opts.where);
  if (opts.active !== undefined) add({ sql: 't.active = $1', params: [opts.active] });
  if (opts.q && def.searchColumn) add({ sql: `t.${def.searchColumn} ILIKE $1`, params: [`%${opts.q.replace(/[%_\\]/g, '\\$&')}%`] });
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const { rows } = await db.query<Row>(`${selectSql(def)}${where} ORDER BY ${def.orderBy ?? 't.name'} LIMIT 5000`, params);
  return rows.map((r) => def.present(r));
}

async function loadRow<Out>(db: Queryable, def: ResourceDef<Out>, actor: Actor | null, id: string, lock = false): Promise<Row> {
  const params: unknown[] = [id];
  let where = 't.id = $1';
  // outside the actor's scope a record is not found, exactly as an unknown id
  const scope = actor && def.scope ? def.scope(policyOf(actor), 2) : null;
  if (scope) {
    where += ` AND (${scope.sql})`;
    params.push(...scope.params);
  }
  // NO KEY UPDATE, not UPDATE: foreign-key checks (an audit row naming this user as actor, a new team
  // link) take KEY SHARE, which FOR UPDATE would block, deadlocking two admins who edit each other.
  const { rows } = await db.query<Row>(`${selectSql(def)} WHERE ${where}${lock ? ' FOR NO KEY UPDATE OF t' : ''}`, params);
  if (!rows[0]) throw notFound(def.label, id);
  return rows[0];
}

export async function getResource<Out>(db: Queryable, def: ResourceDef<Out>, actor: Actor, id: string): Promise<Out> {
  return def.present(await loadRow(db, def, actor, id));
}

/** The record's audit shape: what `present` shows, plus a `[redacted]` mark for each secret it was given. */
function audited<Out>(def: ResourceDef<Out>, shown: Out, input: Record<string, unknown>): unknown {
  const secrets = (def.secretFields ?? []).filter((f) => input[f] !== undefined);
  return secrets.length ? { ...shown, ...Object.fromEntries(secrets.map((f) => [f, '[redacted]'])) } : shown;
}

function columnValues<Out>(def: ResourceDef<Out>, input: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(def.columns)) {
    if (input[field] === undefined) continue;
    const v = input[field];
    values[column] = def.jsonColumns?.includes(column) && v !== null ? JSON.stringify(v) : v;
  }
  return values;
}

async function writeLinks(tx: Queryable, def: ResourceDef<unknown>, id: string, input: Record<string, unknown>, replace: boolean) {
  for (const l of def.links ?? []) {
    const ids = input[l.field] as string[] | undefined;
    if (ids === undefined || l.readOnly) continue;
    if (replace) await tx.query(`DELETE FROM ${l.table} WHERE ${l.ownColumn} = $1`, [id]);
    const unique = [...new Set(ids)];
    if (!unique.length) continue;
    try {
      await tx.query(
        `INSERT INTO ${l.table} (${l.ownColumn}, ${l.otherColumn}) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [id, unique],
      );
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        throw fieldError(422, 'unknown_reference', l.field, { en: 'one of the ids does not exist', pt: 'um dos ids não existe' }, { field: l.field });
      }
      throw err;
    }
  }
}

/** Maps database constraint errors to clear API errors; anything else goes on as is. */
function translate<Out>(def: ResourceDef<Out>, err: unknown): never {
  if (isUniqueViolation(err)) {
    // "email: a user with this e-mail already exists", and the field in `issues` for the form to show it there
    const { field, message } = def.conflictMessage(err.constraint);
    throw fieldError(409, 'conflict', field, message);
  }
  if (isForeignKeyViolation(err)) throw new AppError(422, 'unknown_reference', { en: `${def.label.en}: a referenced id does not exist`, pt: `${def.label.pt}: um id referenciado não existe` });
  throw err;
}

export async function createResource<Out extends { id: string }>(
  db: Database,
  def: ResourceDef<Out>,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<Out> {
  try {
    return await db.transaction(async (tx) => {
      const values = { ...columnValues(def, input), ...(await def.prepare?.(input, { tx, actor })) };
      const cols = Object.keys(values);
      const { rows } = await tx.query<{ id: string }>(
        cols.length
          ? `INSERT INTO ${def.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`
          : `INSERT INTO ${def.table} DEFAULT VALUES RETURNING id`,
        Object.values(values),
      );
      const id = rows[0].id;
      await writeLinks(tx, def as ResourceDef<unknown>, id, input, false);
      const created = def.present(await loadRow(tx, def, null, id));
      await writeAudit(tx, actor, { action: 'create', entity: def.entity, entityId: id, after: audited(def, created, input) });
      return created;
    });
  } catch (err) {
    translate(def, err);
  }
}

export async function updateResource<Out extends { id: string }>(
  db: Database,
  def: ResourceDef<Out>,
  actor: Actor,
  id: string,
  input: Record<string, unknown>,
  action: AuditAction = 'update',
): Promise<Out> {
  try {
    return await db.transaction(async (tx) => {
      const existing = await loadRow(tx, def, actor, id, true);
      const before = def.present(existing);
      const values = { ...columnValues(def, input), ...(await def.prepare?.(input, { tx, existing, actor })) };
      const cols = Object.keys(values);
      if (cols.length) {
        await tx.query(
          `UPDATE ${def.table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
          [id, ...Object.values(values)],
        );
      }
      await writeLinks(tx, def as ResourceDef<unknown>, id, input, true);
      const after = def.present(await loadRow(tx, def, null, id));
      await writeAudit(tx, actor, { action, entity: def.entity, entityId: id, before, after: audited(def, after, input) });
      return after;
    });
  } catch (err) {
    translate(def, err);
  }
}

/** DELETE deactivates: conversations and reports keep pointing at the record. */
export function deactivateResource<Out extends { id: string }>(db: Database, def: ResourceDef<Out>, actor: Actor, id: string) {
  return updateResource(db, def, actor, id, { active: false }, 'deactivate');
}

/** Helpers shared by the definitions. */
export const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
