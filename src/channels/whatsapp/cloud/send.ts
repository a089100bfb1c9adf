import { PermanentFailure } from '../../../engine/outbox.js';
import type { LoadedChannelAccount } from '../../../engine/channel-accounts.js';
import type { OutboundContent, OutboundMessage, SendContext, SendResult } from '../../adapter.js';
import { GraphError, graphBase, graphCall, graphUpload, outboxError } from '../../meta/graph.js';
import { attachmentBytes, clip, LIMITS, WINDOW_CLOSED, WINDOW_CODES } from '../common.js';

// Outbound through Meta's Cloud API: `POST /{phone-number-id}/messages` with the account's token.
// Files are uploaded first (`POST /{phone-number-id}/media`, multipart) and sent by the media id, so
// that Mirante need not expose its attachments on a public URL.

type Obj = Record<string, unknown>;

/** The `/messages` body of one message (without the media id of a file: `mediaId` gives it). */
export function cloudMessageBody(to: string, content: OutboundContent, replyTo?: string | null, mediaId?: string): Obj {
  const base: Obj = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (replyTo) base.context = { message_id: replyTo };
  switch (content.kind) {
    case 'text':
      return { ...base, type: 'text', text: { body: content.text, preview_url: false } };
    case 'template':
      return {
        ...base,
        type: 'template',
        template: {
          name: content.name,
          language: { code: content.language },
          ...(content.parameters.length ? { components: [{ type: 'body', parameters: content.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
        },
      };
    case 'media': {
      const media: Obj = { id: mediaId };
      if (content.caption && content.media !== 'audio' && content.media !== 'sticker') media.caption = content.caption;
      if (content.media === 'document' && content.filename) media.filename = content.filename;
      return { ...base, type: content.media, [content.media]: media };
    }
    case 'options':
      return optionsBody(base, content);
  }
}

/** A bot menu: reply buttons (≤ 3), a list (≤ 10 rows), else the numbered text the bot already wrote. */
function optionsBody(base: Obj, content: Extract<OutboundContent, { kind: 'options' }>): Obj {
  const { options } = content;
  const body = { text: clip(content.text || ' ', LIMITS.body) };
  if (options.length > 0 && options.length <= LIMITS.buttons) {
    return {
      ...base,
      type: 'interactive',
      interactive: { type: 'button', body, action: { buttons: options.map((o) => ({ type: 'reply', reply: { id: o.id, title: clip(o.label, LIMITS.buttonTitle) } })) } },
    };
  }
  if (options.length > 0 && options.length <= LIMITS.listRows) {
    const rows = options.map((o) => ({
      id: o.id,
      title: clip(o.label, LIMITS.rowTitle),
      // a label past the title's room is shown whole under it
      ...(o.label.length > LIMITS.rowTitle ? { description: clip(o.label, LIMITS.rowDescription) } : {}),
    }));
    return { ...base, type: 'interactive', interactive: { type: 'list', body, action: { button: 'Opções', sections: [{ title: 'Opções', rows }] } } };
  }
  return { ...base, type: 'text', text: { body: content.text, preview_url: false } };
}

/** A Graph error as the outbox sees it, the closed window named so the desk can offer a template. */
export function cloudSendError(e: unknown): unknown {
  if (e instanceof GraphError && e.code !== null && WINDOW_CODES.has(e.code)) {
    return new PermanentFailure(`${e.code} ${e.details ? `${e.message}: ${e.details}` : e.message}`, WINDOW_CLOSED);
  }
  return outboxError(e);
}

export function cloudAccount(account: LoadedChannelAccount) {
  const phoneNumberId = String(account.config.phoneNumberId ?? '');
  const token = account.credentials.accessToken ?? '';
  return { base: graphBase(account.config), phoneNumberId, token };
}

export async function sendCloud(ctx: SendContext, message: OutboundMessage): Promise<SendResult> {
  const { base, phoneNumberId, token } = cloudAccount(ctx.account);
  if (!phoneNumberId || !token) throw new PermanentFailure('the WhatsApp account has no phoneNumberId or accessToken', 'account_incomplete');
  try {
    let mediaId: string | undefined;
    if (message.content.kind === 'media') {
      const file = await attachmentBytes(ctx.db, message.content.attachmentId);
      const type = message.content.mimeType ?? file.type;
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', type);
      form.set('file', new Blob([file.data], { type }), message.content.filename ?? file.name);
      mediaId = (await graphUpload<{ id: string }>(base, `/${phoneNumberId}/media`, { token, form })).id;
      if (!message.content.filename) message = { ...message, content: { ...message.content, filename: file.name } };
    }
    const body = cloudMessageBody(message.to.externalId, message.content, message.replyTo, mediaId);
    const res = await graphCall<{ messages?: { id?: string }[] }>(base, `/${phoneNumberId}/messages`, { token, body });
    const id = res?.messages?.[0]?.id;
    if (!id) throw new Error('the Cloud API answered without a message id');
    return { providerMessageId: id };
  } catch (e) {
    throw cloudSendError(e);
  }
}
