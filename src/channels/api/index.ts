import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import type { z } from 'zod';
import type { InboundApiMessage } from '../../contracts/conversations.js';
import type { ChannelAdapter, ParsedMessage } from '../adapter.js';
import { apiOutboundHook, apiWebhookSender } from './api-channel.js';

// The generic API channel behind the adapter interface. Its inbound is not a provider webhook: an
// integration posts to POST /api/channels/api/{serviceId}/messages with the service's Bearer token
// (server/routes/channels-api.ts), and the body, validated there, is parsed here and goes through
// the same ingest path as every webhook. Its outbound keeps its own signed webhook (docs/WEBHOOKS.md).

/** The API channel's message as a channel message. */
export const parseApiMessage = (body: z.infer<typeof InboundApiMessage>): ParsedMessage => ({
  contact: { externalId: body.contact.externalId, name: body.contact.name },
  externalId: body.externalId,
  text: body.text,
});

export const apiAdapter: ChannelAdapter = {
  channel: 'api',
  capabilities: CHANNEL_CAPABILITIES.api,
  outbound: ({ db, secretKey }) => ({ hook: apiOutboundHook, senders: { api_webhook: apiWebhookSender(db, secretKey) } }),
};
