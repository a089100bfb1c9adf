import type { AnonymizeResult } from '../../contracts/contacts.js';
import type { Database, Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { deleteContactFiles } from '../attachments.js';
import { allowAuditRewrite, writeAudit } from '../audit.js';
import { conflict } from '../errors.js';
import { anonymizedAlready, contactInScope } from './registry.js';
import { ERASED, likePatterns, needlesOf, scrubJsonColumns, scrubText, wordPatterns } from './scrub.js';

// Erasure (LGPD arts. 16 and 18, VI): the person's values leave every table that holds them, in one
// transaction, irreversibly. What the figures are made of stays: protocols, timestamps, states,
// services, agents, classifications, message authors and times (Indicadores do not change).
// Where each personal value lives (src/db/migrations): contacts (name, e-mail, phone, CPF, data);
// contact_identities (handle, display name); conversations (subject, bot_state, wrap-up, notes);
// messages (body, attachments, payload: e-mail headers, provider data, failure text); attachments
// (the files); supervisor_messages (whispers quote the customer); conversation_state_history
// (reason); webchat_visitors (the browser's token); email_recognised (sender, subject); events and
// outbox payloads; timers, alerts and audit entries that name the person.

const OPEN = `('triage', 'bot', 'queued', 'in_service')`;

/** Wrap-up answers chosen from a list or yes/no say nothing about the person and feed reports: kept. */
async function keptWrapupKeys(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ key: string }>(`SELECT key FROM wrapup_fields GROUP BY key HAVING bool_and(type IN ('select', 'boolean'))`);
  return rows.map((r) => r.key);
}

export async function anonymizeContact(db: Database, actor: Actor, contactId: string, reason: string, now: Date): Promise<AnonymizeResult> {
  return db.transaction(async (tx) => {
    const contact = await contactInScope(tx, actor, contactId, true);
    if (contact.anonymized_at) throw anonymizedAlready();
    const open = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE contact_id = $1 AND state IN ${OPEN}`, [contactId]);
    if (open.rows[0].n > 0) {
      throw conflict({ en: 'the contact has conversations in progress: finish them first', pt: 'o titular tem atendimentos em andamento: conclua-os antes' }, { reason: 'open_conversations' });
    }
    const ids = await tx.query<{ external_id: string; display_name: string | null }>('SELECT external_id, display_name FROM contact_identities WHERE contact_id = $1', [contactId]);
    const needles = needlesOf([contact.name, contact.email, contact.phone, contact.cpf, ...ids.rows.flatMap((i) => [i.external_id, i.display_name])]);
    const likes = likePatterns(needles);
    // other people's rows lose a value only where it stands as a whole word
    const words = wordPatterns(needles);
    const convs = (await tx.query<{ id: string }>('SELECT id FROM conversations WHERE contact_id = $1', [contactId])).rows.map((r) => r.id);

    // the files, then what the messages say about them and everything else they carry
    const files = await deleteContactFiles(tx, convs, contactId);
    const messages = await tx.query(
      `UPDATE messages SET body = CASE WHEN body = '' THEN '' ELSE $2 END, attachments = NULL, payload = NULL,
              failed_reason = CASE WHEN failed_reason IS NULL THEN NULL ELSE $2 END,
              external_id = CASE WHEN external_id ILIKE ANY($3::text[]) THEN 'anonimizado:' || id ELSE external_id END
        WHERE conversation_id = ANY($1::uuid[])`,
      [convs, ERASED, likes],
    );
    await tx.query(`UPDATE supervisor_messages SET body = $2 WHERE conversation_id = ANY($1::uuid[])`, [convs, ERASED]);
    await tx.query(`UPDATE conversation_state_history SET reason = $2 WHERE conversation_id = ANY($1::uuid[]) AND reason ILIKE ANY($3::text[])`, [convs, ERASED, likes]);
    const kept = await keptWrapupKeys(tx);
    await tx.query(
      `UPDATE conversations SET subject = NULL, bot_state = NULL, notes = NULL,
              wrapup = CASE WHEN wrapup IS NULL THEN NULL
                            ELSE (SELECT coalesce(jsonb_object_agg(w.key, CASE WHEN w.key = ANY($2::text[]) THEN w.value ELSE 'null'::jsonb END), '{}'::jsonb)
                                    FROM jsonb_each(wrapup) w) END
        WHERE id = ANY($1::uuid[])`,
      [convs, kept],
    );

    // the identities go: a later message from the same address or phone opens a new contact
    await tx.query(`UPDATE contact_identities SET external_id = 'anonimizado:' || id, display_name = NULL WHERE contact_id = $1`, [contactId]);
    await tx.query(`UPDATE webchat_visitors SET token_hash = 'anonimizado:' || id, contact_id = NULL WHERE contact_id = $1`, [contactId]);
    const emails = needles.filter((n) => n.includes('@'));
    if (emails.length) {
      await tx.query(`UPDATE email_recognised SET sender = NULL, subject = NULL, message_id = NULL WHERE sender ILIKE ANY($1::text[])`, [likePatterns(emails)]);
    }
    await tx.query(
      `UPDATE contacts SET name = NULL, email = NULL, phone = NULL, cpf = NULL, data = '{}'::jsonb, anonymized_at = $2, updated_at = $2 WHERE id = $1`,
      [contactId, now],
    );

    // the logs: the records of their conversations lose every personal key; any other row that
    // names them (an alert, an audit entry of a search) loses the values themselves
    const convIdLikes = likePatterns(convs);
    await scrubJsonColumns(tx, 'events', 'seq', ['payload'], `conversation_id = ANY($2::uuid[]) OR payload::text ILIKE ANY($3::text[])`, [convs, likes], needles,
      (r) => convs.includes(r.conversation_id as string));
    const anyMention = [...likes, ...convIdLikes, `%${contactId}%`];
    await scrubJsonColumns(tx, 'outbox', 'id', ['payload'], `payload::text ILIKE ANY($2::text[])`, [anyMention], needles, () => true);
    await tx.query(`UPDATE outbox SET target = $2 WHERE target ~* ANY($1::text[])`, [words, ERASED]);
    await tx.query(`UPDATE outbox SET last_error = $2 WHERE last_error ~* ANY($1::text[])`, [words, ERASED]);
    await scrubJsonColumns(tx, 'timers', 'id', ['payload'], `payload::text ILIKE ANY($2::text[])`, [likes], needles, () => false);
    await scrubJsonColumns(tx, 'alerts', 'id', ['payload'], `payload::text ILIKE ANY($2::text[])`, [likes], needles, () => false);
    await tx.query(`UPDATE alerts SET message = $2 WHERE message ~* ANY($1::text[])`, [words, ERASED]);
    // earlier audit rows may quote the person (a correction's before/after): the erasure may rewrite them
    await allowAuditRewrite(tx);
    await scrubJsonColumns(tx, 'audit_log', 'id', ['before', 'after'],
      `(entity = 'contact' AND entity_id = $3) OR before::text ILIKE ANY($2::text[]) OR after::text ILIKE ANY($2::text[])`, [likes, contactId], needles,
      (r) => r.entity === 'contact' && r.entity_id === contactId);
    await tx.query(`UPDATE audit_log SET entity_id = $2 WHERE entity_id ~* ANY($1::text[])`, [words, ERASED]);

    const result = { conversations: convs.length, messages: messages.rowCount, attachments: files };
    await writeAudit(tx, actor, { action: 'anonymize', entity: 'contact', entityId: contactId, after: { reason: scrubText(reason, needles), ...result } });
    return { id: contactId, anonymizedAt: now.toISOString(), ...result };
  });
}
