import { instantOf } from '../../core/business-hours.js';
import type { ComplianceContact, DataAccessQuery, DataAccessRow } from '../../contracts/compliance.js';
import type { ContactSummary } from '../../contracts/contacts.js';
import type { Channel } from '../../contracts/common.js';
import type { Database, Queryable } from '../../db/database.js';
import { policyOf } from '../access.js';
import { contactInScope, searchContacts, summary } from '../contacts/registry.js';
import { AUDIT_ACTION_LABELS, type AuditLabel } from '../../shared/audit.js';
import { addDays } from '../../shared/holidays.js';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';
import { openTableExport, localTimeText, type OpenedExport, type ExportLanguage } from '../exports/table-export.js';
import { getSettings } from '../settings.js';

// Acessos a dados (LGPD): "who accessed this contact's data, when, from where". The compliance
// officer's question spans the whole company, so the permission itself is the scope: admins and users
// marked "Encarregado de dados (DPO)" read every contact; nobody else reads any.

/** 403 unless the actor is an admin or the privacy officer. */
export function assertPrivacyOfficer(actor: Actor): void {
  if (actor.role === 'admin' || actor.privacyOfficer === true) return;
  throw new AppError(403, 'forbidden', {
    en: 'only admins and the data protection officer (DPO) may read the access records',
    pt: 'só administradores e o encarregado de dados (DPO) consultam os acessos a dados',
  });
}

/** Every contact, every conversation: the privacy officer's permission is its own scope. */
const COMPANY = policyOf({ id: null, role: 'system' });

/** The contacts' channels (one query for a page of them). */
async function withChannels(db: Queryable, contacts: ContactSummary[]): Promise<ComplianceContact[]> {
  if (!contacts.length) return [];
  const { rows } = await db.query<{ contact_id: string; channels: Channel[] }>(
    `SELECT contact_id, array_agg(DISTINCT channel ORDER BY channel) AS channels FROM contact_identities WHERE contact_id = ANY($1) GROUP BY contact_id`,
    [contacts.map((c) => c.id)],
  );
  const channels = new Map(rows.map((r) => [r.contact_id, r.channels]));
  return contacts.map((c) => ({
    id: c.id, name: c.name, email: c.email, phone: c.phone, cpf: c.cpf, anonymized: c.anonymizedAt !== null,
    channels: channels.get(c.id) ?? [], conversations: c.conversations, lastAt: c.lastContactAt,
  }));
}

/** Contacts as Titulares finds them (name, e-mail, phone, CPF, channel handle, protocol), company-wide. */
export async function findContacts(db: Queryable, actor: Actor, q: string): Promise<ComplianceContact[]> {
  assertPrivacyOfficer(actor);
  const { items } = await searchContacts(db, actor, { q, limit: 50 }, COMPANY);
  return withChannels(db, items);
}

const MAX_ROWS = 1000;

/** A contact's rows of the audit log: those naming it (contact_id), and those about the contact record itself. */
async function accessSql(db: Queryable, contactId: string, q: DataAccessQuery) {
  const { timezone } = await getSettings(db);
  const params: unknown[] = [contactId];
  let where = `(a.contact_id = $1 OR (a.entity = 'contact' AND a.entity_id = $1::text))`;
  if (q.from) {
    params.push(new Date(instantOf(q.from, 0, timezone)));
    where += ` AND a.at >= $${params.length}`;
  }
  if (q.to) {
    params.push(new Date(instantOf(addDays(q.to, 1), 0, timezone)));
    where += ` AND a.at < $${params.length}`;
  }
  return {
    timezone,
    sql: `SELECT a.id::text, a.at, a.actor_id, a.actor_name, a.action, a.entity, a.entity_id, a.ip, a.user_agent
            FROM audit_log a WHERE ${where} ORDER BY a.at DESC, a.id DESC`,
    params,
  };
}

function presentAccess(r: Record<string, unknown>): DataAccessRow {
  return {
    id: r.id as string,
    at: new Date(r.at as string).toISOString(),
    actorId: (r.actor_id as string | null) ?? null,
    actorName: (r.actor_name as string | null) ?? null,
    action: r.action as string,
    entity: r.entity as string,
    entityId: (r.entity_id as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
  };
}

async function contactOf(db: Queryable, actor: Actor, id: string): Promise<ComplianceContact> {
  const [contact] = await withChannels(db, [summary(await contactInScope(db, actor, id, false, COMPANY))]);
  return contact;
}

/** Who accessed the contact's data in the period, newest first (the latest 1,000; the CSV has them all). */
export async function listDataAccess(db: Queryable, actor: Actor, contactId: string, q: DataAccessQuery) {
  assertPrivacyOfficer(actor);
  const contact = await contactOf(db, actor, contactId);
  const { sql, params } = await accessSql(db, contactId, q);
  const { rows } = await db.query(`${sql} LIMIT ${MAX_ROWS + 1}`, params);
  return { contact, items: rows.slice(0, MAX_ROWS).map(presentAccess), truncated: rows.length > MAX_ROWS };
}


/** The same list as a CSV download, every row; the download itself is audited under the contact. */
export async function exportDataAccess(db: Database, actor: Actor, contactId: string, q: DataAccessQuery, lang: ExportLanguage): Promise<OpenedExport> {
  assertPrivacyOfficer(actor);
  await contactOf(db, actor, contactId);
  const { sql, params, timezone } = await accessSql(db, contactId, q);
  const { from, to } = q;
  return openTableExport(db, actor, db.stream(sql, params), {
    entity: 'data_access',
    contactId,
    filters: { contactId, from, to },
    format: 'csv',
    lang,
    sheet: { pt: 'Acessos a dados', en: 'Data access' },
    fileName: `acessos-a-dados_${contactId.slice(0, 8)}`,
    total: null,
    columns: [
      { header: { pt: 'Data/hora', en: 'Time' }, kind: 'text', value: (r, l) => localTimeText(r.at as string, timezone, 'csv', l) },
      { header: { pt: 'Quem', en: 'Who' }, kind: 'text', value: (r) => (r.actor_name as string | null) ?? '' },
      { header: { pt: 'O quê', en: 'What' }, kind: 'text', value: (r, l) => (AUDIT_ACTION_LABELS as Record<string, AuditLabel>)[r.action as string]?.[l] ?? (r.action as string) },
      { header: { pt: 'Registro', en: 'Record' }, kind: 'text', value: (r) => `${r.entity as string}${r.entity_id ? ` ${r.entity_id as string}` : ''}` },
      { header: { pt: 'IP', en: 'IP' }, kind: 'text', value: (r) => (r.ip as string | null) ?? '' },
      { header: { pt: 'Navegador', en: 'Browser' }, kind: 'text', value: (r) => (r.user_agent as string | null) ?? '' },
    ],
  });
}
