import { randomUUID } from 'node:crypto';
import { storeAttachment } from '../../src/engine/attachments.js';
import { receiveInbound } from '../../src/engine/conversations/inbound.js';
import type { Engine } from '../../src/engine/engine.js';

export interface TestEmail {
  from: string;
  name?: string;
  subject: string;
  text: string;
  files?: { name: string; type: string; data: Buffer }[];
}

/**
 * An e-mail arriving on an e-mail service, through the engine's inbound path as a channel's worker
 * delivers it (the mailbox itself is the e-mail channel's, tested with it): the sender as the contact,
 * the subject on the conversation, the text, and files stored as attachments of the message.
 */
export async function receiveEmail(engine: Engine, serviceId: string, e: TestEmail) {
  const files = await Promise.all(
    (e.files ?? []).map((f) => storeAttachment(engine.db, { name: f.name, type: f.type, data: f.data, serviceId }, engine.clock.now())),
  );
  return receiveInbound(engine, {
    serviceId,
    channel: 'email',
    contact: { externalId: e.from, name: e.name ?? null, email: e.from },
    externalId: `<${randomUUID()}@mail.test>`,
    subject: e.subject,
    text: e.text,
    attachments: files.length ? files : null,
    attachmentIds: files.map((f) => f.id),
  });
}
