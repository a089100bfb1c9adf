import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { Engine } from '../../engine/engine.js';
import { findOrCreateContact } from '../../engine/conversations/inbound.js';
import type { WebchatService } from './service.js';

// A visitor is a browser that talks to one WebChat service: an id and a random token it keeps in
// localStorage. Only the token's SHA-256 is stored, so the table alone cannot impersonate anyone.

export interface Visitor {
  id: string;
  serviceId: string;
  /** the contact (channel webchat, external id = the visitor id), made on the visitor's first chat */
  contactId: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createVisitor(db: Database, service: WebchatService, at: Date): Promise<{ visitorId: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ id: string }>('INSERT INTO webchat_visitors (service_id, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id', [
    service.id,
    sha256(token),
    at,
  ]);
  return { visitorId: rows[0].id, token };
}

/** The visitor of this id and token on this service, or null (wrong token, other service, unknown id). */
export async function verifyVisitor(db: Database, serviceId: string | null, visitorId: string | undefined, token: string | undefined): Promise<Visitor | null> {
  if (!visitorId || !token || !UUID.test(visitorId) || token.length > 200) return null;
  const { rows } = await db.query<{ id: string; service_id: string; token_hash: string; contact_id: string | null }>(
    'SELECT id, service_id, token_hash, contact_id FROM webchat_visitors WHERE id = $1',
    [visitorId],
  );
  const v = rows[0];
  if (!v || (serviceId !== null && v.service_id !== serviceId)) return null;
  if (!timingSafeEqual(Buffer.from(sha256(token)), Buffer.from(v.token_hash))) return null;
  return { id: v.id, serviceId: v.service_id, contactId: v.contact_id };
}

/** Attachments are uploaded with the token alone (a header), so it is looked up by its hash. */
export async function visitorByToken(db: Database, token: string | undefined): Promise<Visitor | null> {
  if (!token || token.length > 200) return null;
  const { rows } = await db.query<{ id: string; service_id: string; contact_id: string | null }>(
    'SELECT id, service_id, contact_id FROM webchat_visitors WHERE token_hash = $1',
    [sha256(token)],
  );
  return rows[0] ? { id: rows[0].id, serviceId: rows[0].service_id, contactId: rows[0].contact_id } : null;
}

/** The visitor's contact, made on first need (a page view that never chats leaves no contact behind). */
export async function ensureContact(engine: Engine, visitor: Visitor, name?: string | null): Promise<string> {
  if (visitor.contactId) return visitor.contactId;
  const contactId = await engine.execute(async (u) => {
    const id = await findOrCreateContact(u, 'webchat', { externalId: visitor.id, name: name ?? null });
    await u.tx.query('UPDATE webchat_visitors SET contact_id = $2 WHERE id = $1', [visitor.id, id]);
    return id;
  });
  visitor.contactId = contactId;
  return contactId;
}
