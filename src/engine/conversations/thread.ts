import type { ConversationView } from '../../contracts/conversations.js';
import { OPEN_STATES } from '../../shared/states.js';
import type { UnitOfWork } from '../engine.js';
import { CONVERSATION_SELECT, presentConversation } from './present.js';

// Where a message of a threading channel (e-mail) goes. A reply names earlier messages (In-Reply-To,
// References: the customer's own Message-IDs in messages.external_id, Mirante's replies in
// provider_message_id), or carries the protocol in its subject ("[#20261206000012] Re: …"). The
// conversation found takes the message while it is open; once it is finished the message opens a new
// demand that refers to it. A message that names nothing known opens a new demand: on e-mail every
// new thread is a new demand, even from a customer with one open already.

/** What an inbound message of a threading channel says about its thread. */
export interface ThreadHints {
  /** Message-IDs, without brackets: In-Reply-To first, then References from the newest */
  references: string[];
  subject: string | null;
}

export interface ThreadTarget {
  /** the open conversation the message goes to (locked), or null: a new one opens */
  open: ConversationView | null;
  /** the finished conversation the message answers: the new one refers to it */
  previous: { id: string; protocol: string } | null;
}

/** Protocol numbers (engine/protocol.ts: YYYYMMDD + 6 digits) tagged in a subject as "[#…]". */
export function protocolInSubject(subject: string | null | undefined): string | null {
  return subject?.match(/\[#(\d{14})\]/)?.[1] ?? null;
}

export async function findThread(u: UnitOfWork, contactId: string, serviceId: string, hints: ThreadHints): Promise<ThreadTarget> {
  let found: { id: string; state: string; protocol: string } | undefined;
  const refs = hints.references.slice(0, 100);
  if (refs.length) {
    // the newest message of the thread the reply names, in a conversation that came in on (or is on) this service
    const { rows } = await u.tx.query<{ id: string; state: string; protocol: string }>(
      `SELECT c.id, c.state, c.protocol FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.channel = 'email' AND (m.external_id = ANY($1::text[]) OR m.provider_message_id = ANY($1::text[]))
          AND (c.service_id = $2 OR c.entry_service_id = $2)
        ORDER BY c.created_at DESC, m.id DESC LIMIT 1`,
      [refs, serviceId],
    );
    found = rows[0];
  }
  const protocol = found ? null : protocolInSubject(hints.subject);
  if (protocol) {
    // by the protocol only the customer's own conversation: a guessed number must not let a stranger in
    const { rows } = await u.tx.query<{ id: string; state: string; protocol: string }>(
      `SELECT c.id, c.state, c.protocol FROM conversations c WHERE c.protocol = $1 AND c.contact_id = $2 AND (c.service_id = $3 OR c.entry_service_id = $3)`,
      [protocol, contactId, serviceId],
    );
    found = rows[0];
  }
  if (!found) return { open: null, previous: null };
  if ((OPEN_STATES as readonly string[]).includes(found.state)) {
    const { rows } = await u.tx.query(`${CONVERSATION_SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [found.id]);
    const c = rows[0] ? presentConversation(rows[0]) : null;
    // finished meanwhile (it was read before the lock): the message opens a new one
    if (c && (OPEN_STATES as readonly string[]).includes(c.state)) return { open: c, previous: null };
  }
  return { open: null, previous: { id: found.id, protocol: found.protocol } };
}

/** The system note of a demand opened by a reply to a finished one (SAC: the old protocol is kept). */
export const continuationNote = (protocol: string) => `Resposta a um atendimento já encerrado (protocolo ${protocol}).`;
