import type { ConversationView } from '../../contracts/conversations.js';
import type { EmailTriagePage, EmailTriageQuery } from '../../contracts/email-triage.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../actor.js';
import { policyOf } from '../access.js';
import { writeAudit } from '../audit.js';
import type { Engine } from '../engine.js';
import { notFound, NOUNS } from '../errors.js';
import { assertAllIn, lockSupervised } from './bulk.js';
import { finish, queue } from './transitions.js';

// Filtro de E-mail: on a service with the e-mail filter on, a new e-mail waits in `triage` ("No filtro
// inicial") until a supervisor of its service accepts it (to the queue) or deletes it (`discarded`,
// kept for the record). Both take many ids at once, all or nothing (bulk.ts), each audited; the
// conversation.updated events they raise reach every supervisor's screen and badge through the bus.

/** How many characters of the first e-mail's text a row shows. */
const PREVIEW_CHARS = 200;

/** The e-mails waiting in the filter for the actor's services, oldest first. */
export async function listTriage(db: Queryable, actor: Actor, q: EmailTriageQuery): Promise<EmailTriagePage> {
  const policy = policyOf(actor);
  if (q.serviceId) {
    const exists = (await db.query('SELECT 1 FROM services WHERE id = $1', [q.serviceId])).rows.length > 0;
    if (!exists || !(await policy.supervisesService(db, q.serviceId))) throw notFound(NOUNS.service, q.serviceId);
  }
  const scope = policy.conversationsSql('c', 1);
  const params: unknown[] = [...scope.params];
  let where = `c.state = 'triage' AND ${scope.sql}`;
  if (q.serviceId) {
    params.push(q.serviceId);
    where += ` AND c.service_id = $${params.length}`;
  }
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, params);
  params.push(q.limit);
  const { rows } = await db.query<{
    id: string; protocol: string; created_at: Date; subject: string | null; service_id: string; service_name: string;
    from_name: string | null; from_address: string | null; attachments: number; preview: string | null;
  }>(
    `SELECT c.id, c.protocol, c.created_at, c.subject, c.service_id, s.name AS service_name, ct.name AS from_name,
            coalesce(ct.email, (SELECT ci.external_id FROM contact_identities ci WHERE ci.contact_id = c.contact_id AND ci.channel = c.channel ORDER BY ci.created_at LIMIT 1)) AS from_address,
            (SELECT coalesce(sum(jsonb_array_length(m.attachments)), 0) FROM messages m
              WHERE m.conversation_id = c.id AND m.author_type = 'customer' AND jsonb_typeof(m.attachments) = 'array')::int AS attachments,
            (SELECT left(m.body, ${PREVIEW_CHARS}) FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'customer' ORDER BY m.id LIMIT 1) AS preview
       FROM conversations c JOIN services s ON s.id = c.service_id JOIN contacts ct ON ct.id = c.contact_id
      WHERE ${where}
      ORDER BY c.created_at, c.id
      LIMIT $${params.length}`,
    params,
  );
  return {
    total: total.rows[0].n,
    items: rows.map((r) => ({
      id: r.id,
      protocol: r.protocol,
      receivedAt: r.created_at.toISOString(),
      fromName: r.from_name,
      fromAddress: r.from_address,
      subject: r.subject,
      serviceId: r.service_id,
      serviceName: r.service_name,
      attachments: r.attachments,
      preview: r.preview ?? '',
    })),
  };
}

/** Aceitar e-mail(s): each goes to its service's queue. */
export function acceptTriage(engine: Engine, actor: Actor, ids: readonly string[]): Promise<ConversationView[]> {
  return engine.execute(async (u) => {
    const list = await lockSupervised(u, actor, ids);
    assertAllIn(list, 'triage', 'not_in_triage');
    const out: ConversationView[] = [];
    for (const c of list) {
      out.push(await queue(u, c, 'supervisor', { reason: 'triage_accepted' }));
      await writeAudit(u.tx, actor, { action: 'accept_email', entity: 'conversation', entityId: c.id, after: { protocol: c.protocol } });
    }
    return out;
  });
}

/** Apagar e-mail(s): each is finished as `discarded` (nothing is sent to the customer; it stays on record). */
export function discardTriage(engine: Engine, actor: Actor, ids: readonly string[]): Promise<ConversationView[]> {
  return engine.execute(async (u) => {
    const list = await lockSupervised(u, actor, ids);
    assertAllIn(list, 'triage', 'not_in_triage');
    const out: ConversationView[] = [];
    for (const c of list) {
      out.push(await finish(engine, u, c, 'discarded', 'supervisor'));
      await writeAudit(u.tx, actor, { action: 'discard_email', entity: 'conversation', entityId: c.id, after: { protocol: c.protocol } });
    }
    return out;
  });
}
