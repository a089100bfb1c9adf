import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import type { ChannelAdapter } from '../adapter.js';
import { webchatOutboundHook } from './outbound.js';

// WebChat behind the adapter interface. It is not a webhook channel: the widget speaks its own
// protocol (contracts/webchat.ts) over /webchat/ws and /webchat/* (server/routes/webchat.ts,
// server/realtime/widget-gateway.ts), so it has no `webhook` and no `send`; its outbound hook leaves
// messages for the visitor's socket (outbound.ts).
export const webchatAdapter: ChannelAdapter = {
  channel: 'webchat',
  capabilities: CHANNEL_CAPABILITIES.webchat,
  outbound: () => ({ hook: webchatOutboundHook }),
};
