import { PermanentFailure } from '../../../engine/outbox.js';
import type { OutboundContent, OutboundMessage, SendContext, SendResult } from '../../adapter.js';
import { attachmentBytes, clip, LIMITS } from '../common.js';
import { gupshupAccount, gupshupCall, GupshupError } from './client.js';

// Outbound through Gupshup: session messages `POST /wa/api/v1/msg`, templates
// `POST /wa/api/v1/template/msg` (forms, header `apikey`); an agent's file is first given a media id
// by the Partner API (`POST /partner/app/{appId}/media`, multipart, app token). Gupshup accepts a
// message and answers `submitted`; a failure for the window comes later as a `failed` message-event.

type Obj = Record<string, unknown>;

const MEDIA_TYPE: Record<string, string> = { image: 'image', video: 'video', audio: 'audio', document: 'file', sticker: 'sticker' };

/** The `message` field (a JSON string in the form) of a session message. */
export function gupshupMessage(content: Exclude<OutboundContent, { kind: 'template' }>, messageId: number, mediaId?: string): Obj {
  switch (content.kind) {
    case 'text':
      return { type: 'text', text: content.text };
    case 'media': {
      const m: Obj = { type: MEDIA_TYPE[content.media], id: mediaId };
      if (content.caption && content.media !== 'audio' && content.media !== 'sticker') m.caption = content.caption;
      if (content.media === 'document' && content.filename) m.filename = content.filename;
      return m;
    }
    case 'options': {
      const { options } = content;
      const msgid = `m${messageId}`;
      if (options.length > 0 && options.length <= LIMITS.buttons) {
        return {
          type: 'quick_reply',
          msgid,
          content: { type: 'text', text: clip(content.text || ' ', LIMITS.body) },
          options: options.map((o) => ({ type: 'text', title: clip(o.label, LIMITS.buttonTitle), postbackText: o.id })),
        };
      }
      if (options.length > 0 && options.length <= LIMITS.listRows) {
        return {
          type: 'list',
          msgid,
          body: clip(content.text || ' ', LIMITS.body),
          globalButtons: [{ type: 'text', title: 'Opções' }],
          items: [{
            title: 'Opções',
            options: options.map((o) => ({
              type: 'text',
              title: clip(o.label, LIMITS.rowTitle),
              ...(o.label.length > LIMITS.rowTitle ? { description: clip(o.label, LIMITS.rowDescription) } : {}),
              postbackText: o.id,
            })),
          }],
        };
      }
      return { type: 'text', text: content.text };
    }
  }
}

/** Bad credentials and refused requests are for good; throttling, Gupshup's own failures and the network are retried. */
export function gupshupSendError(e: unknown): unknown {
  if (!(e instanceof GupshupError)) return e;
  if (e.status === 429 || e.status >= 500) return e;
  if (e.status === 401 || e.status === 403) return new PermanentFailure(`Gupshup refused the credentials: ${e.message}`, 'bad_credentials');
  return new PermanentFailure(`Gupshup refused the message: ${e.message}`, 'provider_refused');
}

export async function sendGupshup(ctx: SendContext, message: OutboundMessage): Promise<SendResult> {
  const a = gupshupAccount(ctx.account);
  if (!a.apiKey || !a.source || !a.appName) throw new PermanentFailure('the Gupshup account has no apiKey, sourceNumber or appName', 'account_incomplete');
  const headers = { apikey: a.apiKey, 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams({ channel: 'whatsapp', source: a.source, destination: message.to.externalId, 'src.name': a.appName });
  const { content } = message;
  try {
    let res: { messageId?: unknown };
    if (content.kind === 'template') {
      // Gupshup names a template by its id (the admin keeps it as the template's provider name)
      form.set('template', JSON.stringify({ id: content.name, params: content.parameters }));
      res = await gupshupCall(`${a.api}/wa/api/v1/template/msg`, { headers, body: form });
    } else {
      let mediaId: string | undefined;
      if (content.kind === 'media') mediaId = await uploadMedia(ctx, content.attachmentId, content.mimeType);
      form.set('message', JSON.stringify(gupshupMessage(content, message.messageId, mediaId)));
      res = await gupshupCall(`${a.api}/wa/api/v1/msg`, { headers, body: form });
    }
    if (typeof res.messageId !== 'string') throw new Error('Gupshup answered without a messageId');
    return { providerMessageId: res.messageId };
  } catch (e) {
    throw gupshupSendError(e);
  }
}

async function uploadMedia(ctx: SendContext, attachmentId: string, mimeType?: string): Promise<string> {
  const a = gupshupAccount(ctx.account);
  if (!a.appId || !a.appToken) throw new PermanentFailure('sending a file through Gupshup needs the App Id and App Token', 'account_incomplete');
  const file = await attachmentBytes(ctx.db, attachmentId);
  const type = mimeType ?? file.type;
  const form = new FormData();
  form.set('file_type', type);
  form.set('file', new Blob([file.data], { type }), file.name);
  const res = await gupshupCall<{ mediaId?: unknown }>(`${a.partner}/partner/app/${encodeURIComponent(a.appId)}/media`, { headers: { authorization: a.appToken }, body: form });
  if (typeof res.mediaId !== 'string') throw new Error('Gupshup answered the upload without a mediaId');
  return res.mediaId;
}
