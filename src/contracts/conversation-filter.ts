import { z } from 'zod';
import { CHANNEL_FAMILIES } from './channel-capabilities.js';
import { Channel, Id } from './common.js';
import { ConversationState } from './conversations.js';

/** The longest period one list or export may cover, in days (from and to both counted). */
export const MAX_PERIOD_DAYS = 366;

/** A list in a query string: repeated (`?states=a&states=b`) or comma-separated (`?states=a,b`). */
export const queryList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).min(1).max(200)).optional();

/**
 * The filter's fields, for a query that adds its own (a list's sort and page): take them with
 * `z.strictObject({ ...conversationFilterFields, … }).superRefine(checkPeriod)`.
 */
export const conversationFilterFields = {
  from: z.iso.date().optional().describe('first day of the period (YYYY-MM-DD, the contact center’s time zone), by the conversation’s start'),
  to: z.iso.date().optional().describe('last day of the period, included; at most 366 days after from'),
  serviceIds: queryList(Id),
  channels: queryList(Channel),
  states: queryList(ConversationState),
  agentIds: queryList(Id).describe('the agent who has, or last had, the conversation'),
  classificationIds: queryList(Id),
  protocol: z.string().trim().min(1).max(40).optional().describe('exactly this protocol'),
  origin: z.string().trim().min(1).max(200).optional().describe('part of the customer’s name, e-mail, phone or channel identity (number, handle)'),
  text: z.string().trim().min(3).max(200).optional().describe('part of a message the customer, an agent or the bot wrote'),
  family: z.enum(CHANNEL_FAMILIES).optional().describe('the channels of one family (the Consultas tabs: chat, email, messaging); absent: every channel'),
};

/** The period's rules: both ends or none, in order, at most 366 days (a 400 naming `to` or `from`). */
export function checkPeriod(f: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (f.from && !f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required with from' });
  if (f.to && !f.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'required with to' });
  if (!f.from || !f.to) return;
  const days = (Date.parse(f.to) - Date.parse(f.from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period spans at most 366 days' });
}

/**
 * The filter of the conversation lists and exports (Consultas, Histórico, Monitorar, reports): every
 * field optional, all of them together (AND), each list any of its values (OR).
 */
export const ConversationFilterQuery = z.strictObject(conversationFilterFields).superRefine(checkPeriod);
export type ConversationFilterQuery = z.infer<typeof ConversationFilterQuery>;

