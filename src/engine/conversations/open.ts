import type { Channel } from '../../contracts/common.js';
import type { ConversationView } from '../../contracts/conversations.js';
import type { Queryable } from '../../db/database.js';
import { storedFlow } from '../bot/flow.js';
import { hoursNow, type HoursNow } from '../business-hours.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { nextProtocol } from '../protocol.js';
import { getSettings } from '../settings.js';
import { setTimer } from '../timers.js';
import { addMessage, emitConversation } from './lifecycle.js';
import { openConversations } from './transitions.js';
import { capabilitiesOf } from '../../contracts/channel-capabilities.js';

export interface ServiceRow {
  id: string;
  name: string;
  key: string;
  channel: Channel;
  active: boolean;
  email_triage: boolean;
  bot_flow: unknown;
  business_hours: unknown;
  prechat_form: unknown;
  customer_calls?: boolean;
  bot_timeout_seconds: number;
  queue_timeout_seconds: number;
  inactivity_timeout_seconds: number;
}

export async function loadService(tx: Queryable, id: string): Promise<ServiceRow | null> {
  const { rows } = await tx.query<ServiceRow>('SELECT * FROM services WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/**
 * Where a new conversation goes first: the e-mail filter, the service's bot, its queue, or, outside
 * business hours on a service that takes messages then, nowhere (`left_message`: stored and finished).
 */
export type OpenStage = 'triage' | 'bot' | 'queued' | 'left_message';

export interface Opened {
  conversation: ConversationView;
  stage: OpenStage;
  /** what the customer is told, when opened outside business hours */
  closedMessage: string | null;
}

export const LEFT_MESSAGE_TEXT = 'Recebemos sua mensagem e responderemos assim que possível. Seu protocolo é {p}.';

/** Where a conversation opened now on this service goes, and the business hours that decided it. */
export function openingStage(s: ServiceRow, now: Date, timeZone: string): { stage: OpenStage; hours: HoursNow | null; closed: boolean } {
  const caps = capabilitiesOf(s.channel);
  const hours = caps.businessHours ? hoursNow(s.business_hours, now, timeZone) : null;
  const closed = hours !== null && !hours.open;
  const stage: OpenStage = s.email_triage
    ? 'triage'
    : closed && hours.outsideHours === 'leave_message'
      ? 'left_message'
      : caps.botStage && storedFlow(s.bot_flow)
        ? 'bot'
        : 'queued';
  return { stage, hours, closed };
}

/** The first system message of every conversation (SAC decree): its protocol number. */
export const protocolMessage = (protocol: string) => `Seu número de protocolo é ${protocol}.`;

/**
 * Opens a conversation: a protocol number (told to the customer in the first system message, SAC
 * decree), then the stage. Business hours apply to chat and messaging, not to e-mail, which waits by
 * nature. A `left_message` conversation is born finished (`completed` by the system, wrap-up
 * `{leftMessage: true}`): it never was in a queue, so it is neither offered nor abandoned, yet it shows
 * in the reports and can be followed up. Its single conversation.created event is raised by the caller
 * once the customer's message is stored, so the monitor counts it once.
 */
export async function openConversation(engine: Engine, u: UnitOfWork, s: ServiceRow, contactId: string, subject: string | null): Promise<Opened> {
  const settings = await getSettings(u.tx);
  const protocol = await nextProtocol(u.tx, u.now, settings.timezone);
  const { stage, hours, closed } = openingStage(s, u.now, settings.timezone);
  const [c] = await openConversations(u, [{ serviceId: s.id, channel: s.channel, contactId, protocol, stage, subject, outsideHours: closed }]);
  await addMessage(engine, u, c, { authorType: 'system', body: protocolMessage(protocol) });
  // outside hours but queued anyway: the customer hears why the wait may be long
  if (closed && stage !== 'left_message' && hours?.closedMessage) await addMessage(engine, u, c, { authorType: 'system', body: hours.closedMessage });
  if (stage === 'queued') {
    await setTimer(u.tx, 'queue_timeout', { conversationId: c.id }, new Date(u.now.getTime() + s.queue_timeout_seconds * 1000));
    u.requestRouting(s.id);
  }
  return { conversation: c, stage, closedMessage: closed ? (hours?.closedMessage ?? null) : null };
}

/** After the customer's message of a `left_message` conversation: the acknowledgement, then its one event. */
export async function closeLeftMessage(engine: Engine, u: UnitOfWork, c: ConversationView, closedMessage: string | null): Promise<ConversationView> {
  const thanks = LEFT_MESSAGE_TEXT.replace('{p}', c.protocol);
  await addMessage(engine, u, c, { authorType: 'system', body: closedMessage ? `${closedMessage} ${thanks}` : thanks });
  return emitConversation(u, c.id, 'left_message', 'conversation.created');
}
