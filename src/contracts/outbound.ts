import { z } from 'zod';
import { Id } from './common.js';
import { ConversationView } from './conversations.js';

// Outbound conversations from the desk and protocol updates (issue 17).

/** When the customer answers an agent's outbound conversation: it stays with that agent, or goes to the service's queue. */
export const OUTBOUND_REPLY = ['agent', 'queue'] as const;
export type OutboundReply = (typeof OUTBOUND_REPLY)[number];

/**
 * The state changes a protocol update may be sent on (core/conversation-state.ts): finished by the
 * agent (completed, cancelled), closed by the platform (inactive_in_service, customer_gave_up), and
 * moved to another service or agent (transferred).
 */
export const PROTOCOL_UPDATE_TRANSITIONS = ['completed', 'cancelled', 'inactive_in_service', 'customer_gave_up', 'transferred'] as const;
export type ProtocolUpdateTransition = (typeof PROTOCOL_UPDATE_TRANSITIONS)[number];

/** The most parameters a protocol-update template takes, filled in this order: protocol, service, new state. */
export const PROTOCOL_UPDATE_PARAMETERS = 3;

export const StartOutbound = z
  .strictObject({
    contactId: Id.optional().describe('a contact found by the search (GET /api/agent/contacts)'),
    phone: z.string().trim().min(8).max(24).optional().describe('or a new number (WhatsApp, SMS): +5511988887777'),
    serviceId: Id.describe('one of the agent\'s services: its channel and account send the template'),
    templateId: Id.describe('WhatsApp: an APPROVED template; elsewhere any active template, sent as plain text'),
    parameters: z.array(z.string().trim().min(1).max(1000)).max(100).describe('{{1}}, {{2}}… in order'),
  })
  .refine((b) => (b.contactId === undefined) !== (b.phone === undefined), { path: ['contactId'], message: 'give a contactId or a phone, not both' });
export type StartOutbound = z.infer<typeof StartOutbound>;

export const StartedOutbound = z.object({ conversation: ConversationView, messageId: z.number().int() });
export type StartedOutbound = z.infer<typeof StartedOutbound>;
