import { PermanentFailure } from '../../../engine/outbox.js';
import type { Database } from '../../../db/database.js';
import type { LoadedChannelAccount } from '../../../engine/channel-accounts.js';
import type { OutboundMessage, SendResult } from '../../adapter.js';
import { twilioBase, twilioCall, twilioOutboxError } from './api.js';

// Mirante's messages as Twilio's Messages resource: From (the account's number), To, Body, and a
// StatusCallback to Mirante's webhook for the receipts. Bot menus arrive rendered as numbered text
// (SMS has no widgets: capabilities.interactive is null) and the customer answers by number. A file
// goes as MMS: Twilio fetches it from `MediaUrl`, a signed link to Mirante that expires in hours
// (GET /media/…, engine/media-links.ts), with the caption as Body. Without PUBLIC_URL there is no
// such link: the file goes as a text naming it. SMS has no reply context: a reply goes as plain text.

export const statusCallbackUrl = (publicUrl: string, accountId: string) => `${publicUrl.replace(/\/+$/, '')}/webhooks/sms/${accountId}`;

async function fileLine(db: Database, attachmentId: string, filename: string | undefined): Promise<string> {
  if (filename) return filename;
  const { rows } = await db.query<{ name: string }>('SELECT name FROM attachments WHERE id = $1', [attachmentId]);
  if (!rows[0]) throw new PermanentFailure(`attachment ${attachmentId} does not exist`, 'attachment_missing');
  return rows[0].name;
}

export async function sendTwilio(
  account: LoadedChannelAccount,
  db: Database,
  m: OutboundMessage,
  publicUrl: string | undefined,
  mediaUrl?: (attachmentId: string) => string,
): Promise<SendResult> {
  const sid = typeof account.config.accountSid === 'string' ? account.config.accountSid : '';
  const from = typeof account.config.fromNumber === 'string' ? account.config.fromNumber : '';
  const token = account.credentials.authToken;
  if (!sid || !token || !from) throw new PermanentFailure('the SMS account needs accountSid, fromNumber and authToken', 'bad_credentials');
  const c = m.content;
  let body: string;
  let media: string | null = null;
  switch (c.kind) {
    case 'text':
    case 'options':
      body = c.text;
      break;
    case 'media': {
      if (mediaUrl) {
        media = mediaUrl(c.attachmentId);
        body = c.caption ?? '';
        break;
      }
      const name = await fileLine(db, c.attachmentId, c.filename);
      body = [c.caption, `[arquivo: ${name}]`].filter(Boolean).join('\n');
      break;
    }
    case 'template':
      throw new PermanentFailure('SMS has no message templates', 'templates_unsupported');
  }
  const form: [string, string][] = [
    ['To', m.to.externalId],
    ['From', from],
  ];
  // an MMS without a caption needs no Body (Twilio takes Body or MediaUrl)
  if (body || !media) form.push(['Body', body]);
  if (media) form.push(['MediaUrl', media]);
  if (publicUrl) form.push(['StatusCallback', statusCallbackUrl(publicUrl, account.id)]);
  try {
    const r = await twilioCall<{ sid: string }>(twilioBase(account.config), sid, token, `/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, form);
    return { providerMessageId: r.sid };
  } catch (err) {
    throw twilioOutboxError(err);
  }
}
