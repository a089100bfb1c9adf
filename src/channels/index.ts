import type { Runtime } from '../engine/runtime.js';
import type { SecretKey } from '../engine/secrets.js';
import { channelRegistry } from './adapter.js';
import { apiAdapter } from './api/index.js';
import { emailAdapter } from './email/index.js';
import { facebookAdapter } from './facebook/index.js';
import { instagramAdapter } from './instagram/index.js';
import { CHANNEL_MEDIA, mediaFetcher } from './media.js';
import { CHANNEL_SEND, channelSendHook, channelSender } from './outbound.js';
import { smsAdapter } from './sms/index.js';
import { telegramAdapter } from './telegram/index.js';
import { webchatAdapter } from './webchat/index.js';
import { whatsappAdapter } from './whatsapp/index.js';

export { channelRegistry } from './adapter.js';

// The channels of this build. A new channel: its folder with an index.ts exporting its adapter, and
// one line here.
channelRegistry.register(apiAdapter);
channelRegistry.register(webchatAdapter);
channelRegistry.register(facebookAdapter);
channelRegistry.register(instagramAdapter);
channelRegistry.register(telegramAdapter);
channelRegistry.register(smsAdapter);
channelRegistry.register(whatsappAdapter);
channelRegistry.register(emailAdapter);

/** Each channel plugs its outbound hook into the engine and its senders into the outbox. */
export function registerChannels(runtime: Runtime, key: SecretKey, publicUrl?: string): void {
  const deps = { db: runtime.engine.db, secretKey: key };
  runtime.outbox.register(CHANNEL_SEND, channelSender(deps.db, key, (c) => channelRegistry.get(c), publicUrl, () => runtime.engine.clock.now()));
  runtime.outbox.register(CHANNEL_MEDIA, mediaFetcher(runtime.engine, key, (c) => channelRegistry.get(c), publicUrl));
  for (const adapter of channelRegistry.all()) {
    const own = adapter.outbound?.(deps);
    if (own) {
      runtime.engine.registerOutbound(adapter.channel, own.hook);
      for (const [kind, sender] of Object.entries(own.senders ?? {})) runtime.outbox.register(kind, sender);
    } else if (adapter.send) {
      runtime.engine.registerOutbound(adapter.channel, channelSendHook);
    }
  }
}
