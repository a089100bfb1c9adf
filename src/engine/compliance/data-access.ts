import { instantOf } from '../../core/business-hours.js';
import type { ComplianceContact, DataAccessQuery, DataAccessRow } from '../../contracts/compliance.js';
import type { Database, Queryable } from '../../db/database.js';
import { addDays } from '../../shared/holidays.js';
import type { Actor } from '../actor.js';
import { AppError, notFound } from '../errors.js';
import { openTableExport, localTimeText, type OpenedExport, type ExportLanguage } from '../exports/table-export.js';
import { likeContaining } from '../queries/conversation-filter.js';
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

const CONTACT_SELECT = `SELECT ct.id, ct.name, ct.email, ct.phone, ct.cpf, ct.anonymized_at IS NOT NULL AS anonymized,
    coalesce(array(SELECT DISTINCT ci.channel FROM contact_identities ci WHERE ci.contact_id = ct.id ORDER BY 1), '{}') AS channels,
    (SELECT count(*)::int FROM conversations c WHERE c.contact_id = ct.id) AS conversations,
    (SELECT max(c.created_at) FROM conversations c WHERE c.contact_id = ct.id) AS last_at
  FROM contacts ct`;

function presentContact(r: Record<string, unknown>): ComplianceContact {
  return {
    id: r.id as string,
    name: (r.name as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    cpf: (r.cpf as string | null) ?? null,
    anonymized: r.anonymized === true,
    channels: r.channels as ComplianceContact['channels'],
    conversations: r.conversations as number,
    lastAt: r.last_at ? new Date(r.last_at as string).toISOString() : null,
  };
}

/** Contacts by name, e-mail (part of either), phone or CPF (its digits), or a conversation's protocol. */
export async function findContacts(db: Queryable, actor: Actor, q: string): Promise<ComplianceContact[]> {
  assertPrivacyOfficer(actor);
  const digits = q.replace(/\D/g, '');
  const { rows } = await db.query(
    `${CONTACT_SELECT}
      WHERE lower(ct.name) LIKE lower($1) OR lower(ct.email) LIKE lower($1)
         OR ($2 <> '' AND (regexp_replace(coalesce(ct.phone, ''), '\\D', '', 'g') LIKE $3 OR regexp_replace(coalesce(ct.cpf, ''), '\\D', '', 'g') = $2))
         OR ct.id IN (SELECT contact_id FROM conversations WHERE protocol = $4)
      ORDER BY ct.name NULLS LAST, ct.id LIMIT 50`,
    [likeContaining(q), digits, `%${digits}%`, q.trim()],
  );
  return rows.map(presentContact);
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

async function contactOf(db: Queryable, id: string): Promise<ComplianceContact> {
  const { rows } = await db.query(`${CONTACT_SELECT} WHERE ct.id = $1`, [id]);
  if (!rows[0]) throw notFound({ en: 'Contact', pt: 'Contato' }, id);
  return presentContact(rows[0]);
}

/** Who accessed the contact's data in the period, newest first (the latest 1,000; the CSV has them all). */
export async function listDataAccess(db: Queryable, actor: Actor, contactId: string, q: DataAccessQuery) {
  assertPrivacyOfficer(actor);
  const contact = await contactOf(db, contactId);
  const { sql, params } = await accessSql(db, contactId, q);
  const { rows } = await db.query(`${sql} LIMIT ${MAX_ROWS + 1}`, params);
  return { contact, items: rows.slice(0, MAX_ROWS).map(presentAccess), truncated: rows.length > MAX_ROWS };
}

const ACTION_LABELS: Record<string, Record<ExportLanguage, string>> = {
  view_messages: { pt: 'Mensagens consultadas', en: 'Messages viewed' },
  view_history: { pt: 'Histórico consultado', en: 'History viewed' },
  export_history: { pt: 'Histórico exportado', en: 'History exported' },
  anonymize: { pt: 'Anonimização', en: 'Anonymisation' },
  update: { pt: 'Alteração', en: 'Change' },
  export: { pt: 'Exportação', en: 'Export' },
};

/** The same list as a CSV download, every row; the download itself is audited under the contact. */
export async function exportDataAccess(db: Database, actor: Actor, contactId: string, q: DataAccessQuery, lang: ExportLanguage): Promise<OpenedExport> {
  assertPrivacyOfficer(actor);
  await contactOf(db, contactId);
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
      { header: { pt: 'O quê', en: 'What' }, kind: 'text', value: (r, l) => ACTION_LABELS[r.action as string]?.[l] ?? (r.action as string) },
      { header: { pt: 'Registro', en: 'Record' }, kind: 'text', value: (r) => `${r.entity as string}${r.entity_id ? ` ${r.entity_id as string}` : ''}` },
      { header: { pt: 'IP', en: 'IP' }, kind: 'text', value: (r) => (r.ip as string | null) ?? '' },
      { header: { pt: 'Navegador', en: 'Browser' }, kind: 'text', value: (r) => (r.user_agent as string | null) ?? '' },
    ],
  });
}
