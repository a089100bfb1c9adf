import type { ChannelCapabilities } from '../contracts/channel-capabilities.js';
import type { Channel } from '../contracts/common.js';
import type { Database } from '../db/database.js';
import type { LoadedChannelAccount } from '../engine/channel-accounts.js';
import type { InboundMessage, InboundResult } from '../engine/conversations/inbound.js';
import type { Receipt } from '../engine/conversations/receipts.js';
import type { Engine, OutboundHook } from '../engine/engine.js';
import type { OutboxSender } from '../engine/outbox.js';
import type { SecretKey } from '../engine/secrets.js';
import type { TemplateStatusUpdate } from '../engine/templates.js';

// The one interface every channel implements (src/channels/<name>/index.ts). A provider's webhook
// arrives at POST /webhooks/{channel}/{accountId} (server/routes/webhooks.ts): the adapter verifies
// the exact bytes, parses them into messages and receipts, and the route hands those to the engine and
// answers only after they are durable. Outbound messages go through the outbox to `send`. A channel
// that pulls (an IMAP mailbox) has a `worker`, run on one node at a time under a lease
// (engine/leases.ts, channels/workers.ts). The engine never sees this interface: it asks
// `capabilitiesOf(channel)` (contracts/channel-capabilities.ts).

export type { Receipt } from '../engine/conversations/receipts.js';

/** A provider's HTTP request as it arrived: the exact bytes, before any parsing. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  rawBody: Buffer;
  /** lower-case names, as Node gives them */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  /** the URL the provider called, as it sees it (PUBLIC_URL + path when set): Twilio signs it */
  url: string;
}

/**
 * A customer message parsed from a provider's payload, before it is given its service. A webhook
 * adapter always sets `externalId` (the provider's message id): a repeated delivery is stored once.
 */
export type ParsedMessage = Omit<InboundMessage, 'serviceId' | 'channel'> & {
  /**
   * Files the customer sent that are still at the provider (a Graph media id, Telegram file_id, a
   * Twilio MediaUrl). The message is stored at once with a pending entry per file in `attachments`;
   * a durable job (channels/media.ts) fetches each through the adapter's `fetchMedia` and stores it.
   */
  media?: InboundMediaRef[];
};

/** The kinds of media that are files (a location or a contact card travels in the message itself). */
export type FileMediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

/** A file at the provider, as its webhook named it. */
export interface InboundMediaRef {
  media: FileMediaKind;
  /** what `fetchMedia` needs to get the bytes: the provider's media id, file id or URL */
  ref: string;
  mimeType?: string | null;
  filename?: string | null;
  /** the provider's checksum, when it sends one (WhatsApp: base64 SHA-256): checked after download */
  sha256?: string | null;
}

/** The bytes of a provider's file, fetched (channels/media.ts `fetchLimited` keeps them under the limit). */
export interface FetchedMedia {
  data: Uint8Array;
  mimeType: string;
  filename?: string | null;
}

/** What "Testar conexão" says: ok, or what is wrong, in both languages, for the admin. */
export type ConnectionCheck = { ok: true; detail?: { en: string; pt: string } } | { ok: false; problem: { en: string; pt: string } };

export interface AccountContext {
  account: LoadedChannelAccount;
  db: Database;
  /** PUBLIC_URL without a trailing slash (the address providers call), when set */
  publicUrl?: string;
}

export interface ParsedWebhook {
  messages: ParsedMessage[];
  receipts: Receipt[];
  /** the provider's verdicts on the account's templates (WhatsApp's template status and quality updates) */
  templates?: TemplateStatusUpdate[];
}

/** An answer the adapter chooses (a GET challenge, Twilio's TwiML acknowledgement). */
export interface WebhookReply {
  status: number;
  contentType?: string;
  body?: string;
}

/** What a parse may read: Messenger's read receipts name a time (a watermark), not the messages. */
export interface WebhookContext {
  db: Database;
}

export interface WebhookHandler {
  /**
   * GET handshake (Meta's hub.challenge): the reply for a valid request, or null (answered 403).
   * Without it, GET is a 404.
   */
  challenge?(account: LoadedChannelAccount, req: WebhookRequest): WebhookReply | null;
  /** Is this request the provider's? Computed over `req.rawBody`, constant-time. false → 401, nothing stored. */
  verify(account: LoadedChannelAccount, req: WebhookRequest): boolean | Promise<boolean>;
  /**
   * The messages and receipts of a verified request. Throw `WebhookParseError` for a body that is not
   * the provider's shape (answered 400). NUL characters need no care here: the route strips them from
   * every string (a provider retries a refused webhook forever, so refusing is not an option).
   */
  parse(account: LoadedChannelAccount, req: WebhookRequest, ctx?: WebhookContext): ParsedWebhook | Promise<ParsedWebhook>;
  /** The answer once everything is durable; default 200 `{"messages":n,"receipts":n}`. */
  ack?(result: { messages: InboundResult[]; receipts: number }): WebhookReply;
}

export class WebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookParseError';
  }
}

/** What an outbound message says; one kind per message. */
export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: 'image' | 'audio' | 'video' | 'document' | 'sticker'; attachmentId: string; filename?: string; mimeType?: string; caption?: string }
  | { kind: 'template'; name: string; language: string; parameters: string[] }
  /** a bot menu: drawn with the channel's widgets when `capabilities.interactive` allows, else as `text` */
  | { kind: 'options'; text: string; options: { id: string; label: string }[] };

export interface OutboundMessage {
  /** Mirante's message id (the outbox item's message) */
  messageId: number;
  conversationId: string;
  serviceId: string;
  /** the customer's identity on this channel (phone, PSID, chat id, e-mail address…) */
  to: { externalId: string; name?: string | null };
  content: OutboundContent;
  /** the provider's id of the message this one answers (WhatsApp context, Telegram reply) */
  replyTo?: string | null;
  /** e-mail threading: subject and the Message-IDs this reply follows */
  thread?: { subject: string | null; references: string[] } | null;
}

export interface SendContext {
  account: LoadedChannelAccount;
  db: Database;
  /** the outbox item's attempt number, from 1 */
  attempt: number;
  /** PUBLIC_URL without a trailing slash, when set (Twilio's StatusCallback names Mirante's webhook) */
  publicUrl?: string;
  /**
   * A signed public link to an attachment of the message being sent, valid a few hours (GET /media/…,
   * engine/media-links.ts), for a provider that fetches files from a URL (Twilio's MediaUrl); absent
   * without PUBLIC_URL.
   */
  mediaUrl?(attachmentId: string): string;
}

/** What a send returns: the provider's id of the message, which its receipts will name. */
export interface SendResult {
  providerMessageId?: string;
}

export interface WorkerContext {
  account: LoadedChannelAccount;
  engine: Engine;
  /** stores what the worker read, exactly as a webhook's messages and receipts are stored */
  deliver(parsed: ParsedWebhook): Promise<InboundResult[]>;
  /** aborts when the lease is lost or the node stops: the worker must return soon after */
  signal: AbortSignal;
}

export interface ChannelWorker {
  /** Runs until `ctx.signal` aborts (or fails: it is started again while the lease is held). */
  run(ctx: WorkerContext): Promise<void>;
  /** Does this account need the worker? (default yes; an e-mail account received by SMTP does not) */
  wants?(account: LoadedChannelAccount): boolean;
}

/** What the adapter may need to set itself up on a node (the API channel signs with the secret key). */
export interface ChannelDeps {
  db: Database;
  secretKey: SecretKey;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  readonly capabilities: ChannelCapabilities;
  /** Provider webhooks; absent for a channel that speaks its own protocol (WebChat's socket). */
  readonly webhook?: WebhookHandler;
  /**
   * Sends one message through the provider. Throw `PermanentFailure` (engine/outbox.ts) for what
   * retrying cannot fix (outside the window, blocked, bad number); any other error is retried.
   */
  send?(ctx: SendContext, message: OutboundMessage): Promise<SendResult>;
  /** A per-account background loop (a mailbox watcher), on one node at a time. */
  readonly worker?: ChannelWorker;
  /**
   * How the engine hands this channel a message for the customer, in the message's transaction.
   * Default: an outbox item that the outbox delivers through `send`. WebChat's socket delivers on
   * its own; the API channel keeps its own signed webhook.
   */
  outbound?(deps: ChannelDeps): { hook: OutboundHook; senders?: Record<string, OutboxSender> };
  /**
   * Downloads a file a webhook named (`ParsedMessage.media`). Throw `PermanentFailure` when the
   * provider says it is gone or refused (the entry is marked failed); any other error is retried.
   */
  fetchMedia?(ctx: AccountContext, ref: InboundMediaRef): Promise<FetchedMedia>;
  /** "Testar conexão": calls the provider with the account's credentials and says what is wrong. */
  testConnection?(ctx: AccountContext): Promise<ConnectionCheck>;
  /**
   * After an admin created or changed an account (Telegram: `setWebhook` with the secret token).
   * A failure is reported to the admin; the account stays saved.
   */
  accountSaved?(ctx: AccountContext): Promise<void>;
}

/** The adapters of this build, by channel name. Tests may register a stand-in for a channel not built yet. */
class ChannelRegistry {
  private readonly adapters = new Map<string, ChannelAdapter>();

  register(adapter: ChannelAdapter): () => void {
    const before = this.adapters.get(adapter.channel);
    this.adapters.set(adapter.channel, adapter);
    return () => {
      if (before) this.adapters.set(adapter.channel, before);
      else this.adapters.delete(adapter.channel);
    };
  }

  get(channel: string): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  all(): ChannelAdapter[] {
    return [...this.adapters.values()];
  }
}

export const channelRegistry = new ChannelRegistry();
