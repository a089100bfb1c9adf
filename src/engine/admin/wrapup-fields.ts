import type { WrapupField, WrapupFieldInput } from '../../contracts/wrapup-fields.js';
import type { WrapUpFieldDef } from '../../core/wrapup-fields.js';
import type { Database, Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { writeAudit } from '../audit.js';
import { AppError, joinIssues, notFound, NOUNS, Said } from '../errors.js';
import { services } from './definitions.js';
import { getResource } from './resource.js';

// The fields of a service's wrap-up (Campos da ficha): read by whoever sees the service, replaced
// as a whole by an admin, in one transaction with its audit record.

interface FieldRow {
  key: string;
  label: string;
  type: WrapupField['type'];
  options: string[] | null;
  required: boolean;
  position: number;
}

const SELECT = 'SELECT key, label, type, options, required, position FROM wrapup_fields WHERE service_id = $1 ORDER BY position, key';

function present(r: FieldRow): WrapupField {
  return {
    key: r.key,
    label: r.label,
    type: r.type,
    ...(r.type === 'select' ? { options: r.options ?? [] } : {}),
    required: r.required,
    position: r.position,
  };
}

const fieldRows = async (q: Queryable, serviceId: string): Promise<FieldRow[]> => (await q.query<FieldRow>(SELECT, [serviceId])).rows;

/** The fields as the finish check reads them, in order. */
export function loadWrapUpFieldDefs(tx: Queryable, serviceId: string): Promise<WrapUpFieldDef[]> {
  return fieldRows(tx, serviceId);
}

/** GET: the service must be in the actor's scope (out of scope is a 404, like the service itself). */
export async function listWrapupFields(db: Queryable, actor: Actor, serviceId: string): Promise<WrapupField[]> {
  await getResource(db, services, actor, serviceId);
  return (await fieldRows(db, serviceId)).map(present);
}

/** The audit shape: keyed by field, so the audit screen shows which field changed and how. */
const audited = (name: string, fields: WrapupField[]) => ({
  name,
  wrapupFields: Object.fromEntries(fields.map(({ key, ...rest }) => [key, rest])),
});

/** A key used twice is a 422 naming each repeat and where the key first appears. */
function assertUniqueKeys(items: WrapupFieldInput[]): void {
  const first = new Map<string, number>();
  const issues: { path: string; message: Said }[] = [];
  items.forEach((f, i) => {
    const at = first.get(f.key);
    if (at === undefined) first.set(f.key, i);
    else issues.push({ path: `items.${i}.key`, message: { en: `"${f.key}" is already the key of items.${at}`, pt: `"${f.key}" já é a chave de items.${at}` } });
  });
  if (issues.length) throw new AppError(422, 'duplicate_key', joinIssues(issues), { issues });
}

/** PUT: the whole ordered list replaces the old one (404 for an unknown service). */
export async function replaceWrapupFields(db: Database, actor: Actor, serviceId: string, items: WrapupFieldInput[]): Promise<WrapupField[]> {
  return db.transaction(async (tx) => {
    // the service's row, locked: two admins saving at once replace the list one after the other
    const { rows } = await tx.query<{ name: string }>('SELECT name FROM services WHERE id = $1 FOR NO KEY UPDATE', [serviceId]);
    if (!rows[0]) throw notFound(NOUNS.service, serviceId);
    assertUniqueKeys(items);
    const before = (await fieldRows(tx, serviceId)).map(present);
    await tx.query('DELETE FROM wrapup_fields WHERE service_id = $1', [serviceId]);
    if (items.length) {
      await tx.query(
        `INSERT INTO wrapup_fields (service_id, key, label, type, options, required, position)
         SELECT $1::uuid, f.key, f.label, f.type, f.options, f.required, f.position
           FROM jsonb_to_recordset($2::jsonb) AS f(key text, label text, type text, options jsonb, required boolean, position int)`,
        [
          serviceId,
          JSON.stringify(items.map((f, position) => ({
            key: f.key,
            label: f.label,
            type: f.type,
            options: f.type === 'select' ? f.options : null,
            required: f.required ?? false,
            position,
          }))),
        ],
      );
    }
    const after = (await fieldRows(tx, serviceId)).map(present);
    await writeAudit(tx, actor, { action: 'update_wrapup_fields', entity: 'service', entityId: serviceId, before: audited(rows[0].name, before), after: audited(rows[0].name, after) });
    return after;
  });
}
