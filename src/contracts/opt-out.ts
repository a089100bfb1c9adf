import { z } from 'zod';

// Opt-out (issue 17): whether a contact asked not to receive active messages, and who marked it.

export const ContactOptOut = z.object({
  contactId: z.uuid(),
  optedOut: z.boolean(),
  optedOutAt: z.string().nullable(),
  reason: z.string().nullable().describe('"customer: SAIR" when the customer wrote the word; the agent\'s reason otherwise'),
  byUserId: z.uuid().nullable().describe('the agent who marked it; null when the customer asked'),
  byUserName: z.string().nullable(),
});
export type ContactOptOut = z.infer<typeof ContactOptOut>;

export const SetOptOut = z.strictObject({
  optedOut: z.boolean(),
  reason: z.string().trim().min(1).max(200).nullable().optional(),
});
