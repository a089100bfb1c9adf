import type { Runtime } from '../engine/runtime.js';
import type { SecretKey } from '../engine/secrets.js';
import { apiOutboundHook, apiWebhookSender } from './api/api-channel.js';
import { webchatOutboundHook } from './webchat/outbound.js';

/** Each channel plugs its outbound hook into the engine and its sender into the outbox. */
export function registerChannels(runtime: Runtime, key: SecretKey): void {
  runtime.engine.registerOutbound('api', apiOutboundHook);
  runtime.engine.registerOutbound('webchat', webchatOutboundHook);
  runtime.outbox.register('api_webhook', apiWebhookSender(runtime.engine.db, key));
}
