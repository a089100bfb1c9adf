import type { Channel } from './common.js';

// What each channel can do. The engine (and the web app) ask these, never a channel's name: a new
// channel is one entry here plus its adapter (src/channels/<name>/). The table holds every channel of
// the model, built or not, because services and accounts exist for all of them; an adapter declares
// `capabilities: CHANNEL_CAPABILITIES.<name>` so the two cannot disagree.

/** The families of the looking-back screens (the seed's Consultas tabs). */
export const CHANNEL_FAMILIES = ['chat', 'email', 'messaging'] as const;
export type ChannelFamily = (typeof CHANNEL_FAMILIES)[number];

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'location' | 'contacts';

export interface ChannelCapabilities {
  /**
   * Which per-agent limit of a team a conversation takes (`teams.max_chat` or `max_email`), and so
   * which default service level a new service gets: live chat, or mail that waits by nature.
   */
  workload: 'chat' | 'email';
  /**
   * Which family of the looking-back screens lists it (the seed's Consultas tabs): live chat
   * (WebChat, the API channel), e-mail, or messaging apps (WhatsApp, Instagram, Messenger, Telegram, SMS).
   */
  family: ChannelFamily;
  /** a new conversation may start in the service's bot flow */
  botStage: boolean;
  /** the service's business hours apply (closed message, leave a message) */
  businessHours: boolean;
  /** the service may hold new conversations in the filter (Filtro de E-mail) before the queue */
  triage: boolean;
  /**
   * Conversations are threads with a subject and references (e-mail): a reply finds its
   * conversation by them, and opening one takes the full inbound command.
   */
  threading: boolean;
  /** media the customer can send and receive; [] for text only */
  media: readonly MediaKind[];
  /** longest text of one outbound message; null: no limit worth enforcing */
  maxTextLength: number | null;
  /**
   * Menus drawn with the channel's own widgets: up to `buttons` reply buttons, up to `listRows` rows
   * in a list (0: no lists); null: the options go as numbered text and the customer answers by number.
   */
  interactive: { buttons: number; listRows: number } | null;
  /** approved templates (the only way to write first, or after the window closed) */
  templates: boolean;
  /**
   * The company may write first (an outbound conversation, Mensagens ativas): to an address it knows
   * (a number, an e-mail, a Telegram chat), with a template where the channel wants one. Not WebChat
   * (nobody is on the page) nor Messenger/Instagram (only within the window the customer opened).
   */
  writeFirst: boolean;
  /** the customer-service window: free text only within `hours` of the customer's last message */
  window: { hours: number; humanAgentHours?: number } | null;
  /** what the provider reports about an outbound message */
  receipts: readonly ('sent' | 'delivered' | 'read' | 'failed')[];
}

const chatDefaults = {
  workload: 'chat',
  family: 'chat',
  botStage: true,
  businessHours: true,
  triage: false,
  threading: false,
  templates: false,
  window: null,
  writeFirst: false,
} as const;

export const CHANNEL_CAPABILITIES: Readonly<Record<Channel, ChannelCapabilities>> = {
  webchat: {
    ...chatDefaults,
    media: ['image', 'document'],
    maxTextLength: 4000,
    // the widget draws every option as a button
    interactive: { buttons: 20, listRows: 0 },
    receipts: ['delivered'],
  },
  api: {
    ...chatDefaults,
    media: [],
    maxTextLength: null,
    interactive: null,
    receipts: ['sent', 'failed'],
    writeFirst: true,
  },
  email: {
    workload: 'email',
    family: 'email',
    botStage: false,
    businessHours: false,
    triage: true,
    threading: true,
    media: ['image', 'audio', 'video', 'document'],
    maxTextLength: null,
    interactive: null,
    templates: false,
    window: null,
    receipts: ['sent', 'failed'],
    writeFirst: true,
  },
  whatsapp: {
    ...chatDefaults,
    family: 'messaging',
    media: ['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts'],
    maxTextLength: 4096,
    interactive: { buttons: 3, listRows: 10 },
    templates: true,
    window: { hours: 24 },
    receipts: ['sent', 'delivered', 'read', 'failed'],
    writeFirst: true,
  },
  facebook: {
    ...chatDefaults,
    family: 'messaging',
    media: ['image', 'audio', 'video', 'document'],
    maxTextLength: 2000,
    interactive: { buttons: 13, listRows: 0 },
    window: { hours: 24, humanAgentHours: 7 * 24 },
    receipts: ['delivered', 'read'],
  },
  instagram: {
    ...chatDefaults,
    family: 'messaging',
    media: ['image', 'audio', 'video'],
    maxTextLength: 1000,
    interactive: { buttons: 13, listRows: 0 },
    window: { hours: 24, humanAgentHours: 7 * 24 },
    receipts: ['read'],
  },
  telegram: {
    ...chatDefaults,
    family: 'messaging',
    media: ['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts'],
    maxTextLength: 4096,
    interactive: { buttons: 100, listRows: 0 },
    receipts: [],
    writeFirst: true,
  },
  sms: {
    ...chatDefaults,
    family: 'messaging',
    media: ['image'],
    maxTextLength: 1600,
    interactive: null,
    receipts: ['sent', 'delivered', 'failed'],
    writeFirst: true,
  },
};

/** The capabilities of a channel; an unknown name (a row from before a channel was removed) gets chat's text-only ones. */
export function capabilitiesOf(channel: string): ChannelCapabilities {
  return CHANNEL_CAPABILITIES[channel as Channel] ?? CHANNEL_CAPABILITIES.api;
}

/** The channels of one family, in the model's order (the SQL list of a Consultas tab). */
export function channelsOfFamily(family: ChannelCapabilities['family']): Channel[] {
  return (Object.keys(CHANNEL_CAPABILITIES) as Channel[]).filter((c) => CHANNEL_CAPABILITIES[c].family === family);
}

/**
 * The customer-service window as it binds an agent: on a channel with a window, free text (and files)
 * may go until `hours` after the customer's last message, `humanAgentHours` where the channel lets a
 * human agent write longer (Messenger's HUMAN_AGENT tag). `closesAt` null: the customer never wrote,
 * so only a template may go. null for a channel without a window.
 */
export function agentWindowOf(channel: string, lastCustomerMessageAt: string | null): { hours: number; closesAt: string | null } | null {
  const w = capabilitiesOf(channel).window;
  if (!w) return null;
  const hours = w.humanAgentHours ?? w.hours;
  const closesAt = lastCustomerMessageAt ? new Date(new Date(lastCustomerMessageAt).getTime() + hours * 3_600_000).toISOString() : null;
  return { hours, closesAt };
}

/** Is the window (agentWindowOf) closed at `now`? A channel without one never closes. */
export function windowClosed(window: { closesAt: string | null } | null | undefined, now: Date): boolean {
  if (!window) return false;
  return window.closesAt === null || new Date(window.closesAt).getTime() <= now.getTime();
}

/** Is a conversation's window closed at `now` (its view's `window`, else computed from its channel and the customer's last message)? */
export function conversationWindowClosed(c: { channel: string; lastCustomerMessageAt: string | null; window?: { closesAt: string | null } | null }, now: Date): boolean {
  return windowClosed(c.window ?? agentWindowOf(c.channel, c.lastCustomerMessageAt), now);
}
