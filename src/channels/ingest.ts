import type { Channel } from '../contracts/common.js';
import { serviceOfAccount, CHANNEL_ACCOUNT } from '../engine/channel-accounts.js';
import { receiveInbound, type InboundMessage, type InboundResult } from '../engine/conversations/inbound.js';
import { applyReceipts } from '../engine/conversations/receipts.js';
import type { Engine } from '../engine/engine.js';
import { applyTemplateStatuses } from '../engine/templates.js';
import { campaignsReaching, recordAnswers } from '../engine/campaigns/tracking.js';
import { AppError } from '../engine/errors.js';
import type { ParsedMessage, ParsedWebhook } from './adapter.js';
import { enqueueMediaFetch, pendingEntries } from './media.js';

// The one path from a channel to the engine: a webhook's parsed payload, the API channel's message,
// a mailbox worker's fetch. It resolves once every message is committed (the inbound batcher settles
// a message after its batch's COMMIT) and every receipt applied: the caller answers 2xx only then.

const NUL = '\u0000';

/**
 * PostgreSQL refuses U+0000 in text. A provider retries a refused webhook for days (Meta then turns
 * the subscription off), so for channel payloads the character is dropped rather than refused; the
 * HTTP API refuses it instead (server/nul.ts), since its caller can mend the request.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll(NUL, '') as T;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => withoutNul(v)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll(NUL, ''), withoutNul(v)])) as T;
}

export interface IngestTarget {
  channel: Channel;
  /** the account the payload came for (receipts are matched within it); null for the API channel */
  accountId: string | null;
  /** the service its messages go to; by default the account's (serviceOfAccount) */
  serviceId?: string;
}

export interface IngestResult {
  messages: InboundResult[];
  receipts: number;
}

export async function ingest(engine: Engine, target: IngestTarget, parsed: ParsedWebhook): Promise<IngestResult> {
  const messages = parsed.messages.map((m) => withoutNul(m));
  let serviceId = target.serviceId ?? null;
  if (messages.length && !serviceId && target.accountId) serviceId = await serviceOfAccount(engine.db, target.accountId);
  if (messages.length && !serviceId) {
    throw new AppError(404, 'not_found', {
      en: `${CHANNEL_ACCOUNT.en} ${target.accountId}: no active service uses it`,
      pt: `${CHANNEL_ACCOUNT.pt} ${target.accountId}: nenhum serviço ativo a usa`,
    });
  }
  // a contact a campaign of this account reached writes back: to the campaign's service, and answered
  const reach = target.channel === 'whatsapp' && target.accountId && messages.length
    ? await campaignsReaching(engine.db, target.accountId, messages.flatMap((m) => (m.contact.phone ? [m.contact.phone] : [])), engine.clock.now())
    : new Map();
  const reached = (m: ParsedMessage) => (m.contact.phone ? reach.get(m.contact.phone) : undefined);
  // submitted together, in order: the batcher stores them in one transaction when it can
  const results = await Promise.all(
    messages.map(({ media, ...m }: ParsedMessage) => {
      const inbound: InboundMessage = {
        ...m,
        ...(media?.length ? { attachments: [...(m.attachments ?? []), ...pendingEntries(media)] } : {}),
        // a button of a menu the bot has left behind (a Telegram keyboard stays on screen, a quick
        // reply is tapped late): the press is what the customer typed, not an error the provider
        // would retry for days
        ...(m.option ? { optionOrText: true } : {}),
        serviceId: reached(m)?.serviceId ?? serviceId!,
        channel: target.channel,
      };
      return receiveInbound(engine, inbound);
    }),
  );
  if (reach.size) {
    const answers = messages.flatMap((m, i) => {
      const r = reached(m);
      return r && !results[i].duplicate ? [{ ...r, conversationId: results[i].conversationId, opened: results[i].created }] : [];
    });
    // one answer per row: the first message of the contact in this payload
    await recordAnswers(engine, answers.filter((a, i) => answers.findIndex((b) => b.recipientId === a.recipientId) === i));
  }
  // the files go on after the messages are durable, and before the provider hears 2xx: a crash in
  // between makes it deliver again, and the repeated delivery enqueues what is missing
  for (const [i, m] of messages.entries()) {
    const r = results[i];
    if (!m.media?.length || r.messageId === null || !target.accountId) continue;
    const offset = m.attachments?.length ?? 0;
    await enqueueMediaFetch(engine.db, { channel: target.channel, accountId: target.accountId, messageId: r.messageId }, m.media, engine.clock.now(), offset);
  }
  if (parsed.receipts.length && target.accountId) await applyReceipts(engine, target.accountId, parsed.receipts);
  if (parsed.templates?.length && target.accountId) await applyTemplateStatuses(engine, target.accountId, parsed.templates);
  return { messages: results, receipts: parsed.receipts.length };
}
