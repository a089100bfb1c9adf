import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type {
  AccountContext,
  ConnectionCheck,
  FetchedMedia,
  InboundMediaRef,
  OutboundMessage,
  ParsedWebhook,
  SendContext,
  SendResult,
  WebhookReply,
  WebhookRequest,
} from '../adapter.js';

/** One WhatsApp provider (Meta's Cloud API, Gupshup) behind the channel's one adapter (index.ts). */
export interface WhatsAppProvider {
  challenge?(account: LoadedChannelAccount, req: WebhookRequest): WebhookReply | null;
  verify(account: LoadedChannelAccount, req: WebhookRequest): boolean;
  parse(account: LoadedChannelAccount, req: WebhookRequest): ParsedWebhook;
  send(ctx: SendContext, message: OutboundMessage): Promise<SendResult>;
  fetchMedia(ctx: AccountContext, ref: InboundMediaRef): Promise<FetchedMedia>;
  testConnection(ctx: AccountContext): Promise<ConnectionCheck>;
  accountSaved?(ctx: AccountContext): Promise<void>;
}
