import { z } from 'zod';

// What a message holds besides its text, as `messages.content_type` and `messages.payload` carry it.
// The channel adapters write these (ParsedMessage.contentType / payload), the desk and the monitor
// draw them (web/desk/MessageContent.tsx), the outbound path reads the agent's (channels/outbound.ts).
// One payload may combine keys: a reply that was later edited has `replyTo` and `edited`.
//
// `text` of the message is always what a reader should see even without this contract (a location
// as "Localização: Rua X", a reaction as its emoji), so that exports and searches stay meaningful.

/** The kinds a message may be (`messages.content_type`); anything else is drawn as plain text. */
export const MESSAGE_CONTENT_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  /** a button/list reply or callback query: text is the option's label, payload may hold `option` */
  'interactive',
  /** an approved template sent by an agent (payload.template) */
  'template',
  /** the customer deleted a message (payload.deleted) */
  'deleted',
  /** a kind Mirante cannot show: text "tipo de mensagem não suportado: <kind>", payload.unsupported */
  'unsupported',
  /** an e-mail from the customer: text is its plain text, payload.email its headers and sanitised HTML */
  'email',
  /** a WebRTC call's line in the history (system): payload.call is its CallView (contracts/calls.ts) */
  'call',
] as const;
export type MessageContentType = (typeof MESSAGE_CONTENT_TYPES)[number];

/** A place the customer shared: contentType 'location'. */
export const LocationPayload = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().nullish(),
  address: z.string().nullish(),
});
export type LocationPayload = z.infer<typeof LocationPayload>;

/** Contact cards: contentType 'contacts'. */
export const ContactCard = z.object({ name: z.string(), phones: z.array(z.string()) });
export type ContactCard = z.infer<typeof ContactCard>;

/** An emoji on another message: contentType 'reaction'; an empty emoji removes the reaction. */
export const ReactionPayload = z.object({
  emoji: z.string(),
  /** the provider's id of the message reacted to (MessageView.externalId) */
  targetExternalId: z.string(),
});
export type ReactionPayload = z.infer<typeof ReactionPayload>;

/**
 * The message this one answers. A customer's (WhatsApp context, Telegram reply_to_message, Messenger
 * reply_to): the channels store the provider's id alone, as a string. An agent's (the desk's
 * "Responder", `replyToMessageId`): Mirante's id of the quoted message with its text, and the
 * provider's id when it had one. Either is read as the object.
 */
export const ReplyToPayload = z.union([
  z.string().min(1).transform((externalId) => ({ externalId, messageId: undefined as number | undefined, text: undefined as string | null | undefined })),
  z.object({
    externalId: z.string().nullish(),
    /** Mirante's id of the quoted message (an agent's reply) */
    messageId: z.number().int().optional(),
    /** the quoted text: shown when the message is not in the history (Telegram's quote, an agent's reply) */
    text: z.string().nullish(),
  }),
]);
export type ReplyToPayload = z.infer<typeof ReplyToPayload>;

/** How much of the quoted message's text an agent's reply keeps with it. */
export const REPLY_QUOTE_CHARS = 200;

/**
 * An edit. On a new message carrying the new text: `{ targetExternalId }` names the message edited
 * (the desk draws it as "editada"); `true` marks a message whose own text was replaced.
 */
export const EditedPayload = z.union([z.literal(true), z.object({ targetExternalId: z.string() })]);

/** A deletion: contentType 'deleted', text "mensagem apagada pelo cliente"; the target is shown as deleted. */
export const DeletedPayload = z.union([z.literal(true), z.object({ targetExternalId: z.string() })]);

/** A kind the provider sent that Mirante cannot draw (the provider's own name for it). */
export const UnsupportedPayload = z.object({ kind: z.string() });

/** An approved template an agent sends (outbound `{kind: 'template'}`); parameters fill {{1}}, {{2}}… in order. */
export const TemplatePayload = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  parameters: z.array(z.string().max(1024)).max(20),
});
export type TemplatePayload = z.infer<typeof TemplatePayload>;

/** An e-mail address with its display name. */
export const EmailAddress = z.object({ address: z.string(), name: z.string().nullable() });
export type EmailAddress = z.infer<typeof EmailAddress>;

/**
 * A customer's e-mail (channels/email/): its headers and its HTML, sanitised when stored (no script,
 * no event handler, remote images kept only in `data-remote-src`); the plain text is the message's text.
 */
export const EmailPayload = z.object({
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  subject: z.string().nullable(),
  from: EmailAddress.nullable(),
  replyTo: z.array(EmailAddress),
  to: z.array(EmailAddress),
  cc: z.array(EmailAddress),
  date: z.string().nullable(),
  html: z.string().nullable(),
  /** how many remote images are blocked until the agent asks ("Mostrar imagens") */
  remoteImages: z.number().int(),
  /** the mailbox it came to (the account's From address): a reply-all leaves it out */
  mailbox: z.string().nullable().optional(),
});
export type EmailPayload = z.infer<typeof EmailPayload>;

export const EMAIL_MODES = ['reply', 'replyAll', 'forward'] as const;

/** An agent's e-mail as it goes out: recipients and subject resolved when it was written. */
export const EmailOutPayload = z.object({
  mode: z.enum(EMAIL_MODES),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  /** Mirante's id of the customer's e-mail this one answers or forwards */
  parentMessageId: z.number().int().nullable(),
});
export type EmailOutPayload = z.infer<typeof EmailOutPayload>;

/** Every key the desk understands in `messages.payload`; unknown keys are kept and ignored. */
export const MessageContentPayload = z
  .object({
    location: LocationPayload,
    contacts: z.array(ContactCard),
    reaction: ReactionPayload,
    replyTo: ReplyToPayload,
    edited: EditedPayload,
    deleted: DeletedPayload,
    unsupported: UnsupportedPayload,
    template: TemplatePayload,
    email: EmailPayload,
    emailOut: EmailOutPayload,
    /** a bot menu the bot sent (WebChat buttons, channel widgets) */
    options: z.array(z.object({ id: z.string(), label: z.string() })),
  })
  .partial()
  .passthrough();
export type MessageContentPayload = z.infer<typeof MessageContentPayload>;

/**
 * Reads a stored payload for drawing: each key that does not match its shape is dropped (an old or
 * foreign payload never breaks the history), the others are kept.
 */
export function readMessagePayload(payload: Record<string, unknown> | null | undefined): MessageContentPayload {
  if (!payload) return {};
  const out: Record<string, unknown> = {};
  const shape = MessageContentPayload.shape;
  for (const [key, value] of Object.entries(payload)) {
    const schema = (shape as Record<string, z.ZodTypeAny>)[key];
    if (!schema) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as MessageContentPayload;
}

/** The files of a message (`messages.attachments`), as the channels store them (channels/media.ts). */
export const AttachmentEntry = z.union([
  z.object({ status: z.literal('pending'), media: z.string(), name: z.string().nullable(), type: z.string().nullable() }),
  z.object({ status: z.literal('failed'), media: z.string(), name: z.string().nullable(), type: z.string().nullable(), reason: z.string() }),
  /** stored; WebChat's entries have no `media` nor `status` (the kind comes from `type`) */
  z.object({ status: z.literal('stored').optional(), id: z.string(), media: z.string().optional(), name: z.string(), type: z.string(), size: z.number() }),
]);
export type AttachmentEntry = z.infer<typeof AttachmentEntry>;

/** The kind of a file to draw: its `media` when the channel named it, else from its MIME type. */
export function attachmentKind(entry: { media?: string | null; type?: string | null }): 'image' | 'audio' | 'video' | 'document' | 'sticker' {
  if (entry.media === 'image' || entry.media === 'audio' || entry.media === 'video' || entry.media === 'sticker') return entry.media;
  if (entry.media === 'document') return 'document';
  const type = (entry.type ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

/** Why a file could not be received (channels/media.ts reason codes). */
export const MEDIA_FAILURE_REASONS = ['media_gone', 'media_too_large', 'media_unsupported', 'account_inactive', 'media_failed'] as const;
