import { z } from 'zod';

// Carteira WhatsApp (issue 20): GET /api/whatsapp/wallet?serviceId= and the `whatsapp.wallet` event.

export const WalletQuery = z.strictObject({ serviceId: z.string().uuid() });

export const WhatsAppWallet = z.object({
  serviceId: z.string(),
  accountId: z.string(),
  provider: z.enum(['meta', 'gupshup']),
  balance: z.number().nullable().describe('the wallet balance (Gupshup); null on Meta, which bills the business directly'),
  currency: z.string().nullable(),
  overdraftLimit: z.number().nullable(),
  quality: z.enum(['GREEN', 'YELLOW', 'RED']).nullable().describe('the number’s quality rating'),
  messagingLimit: z.string().nullable().describe('the current messaging limit for templates, as the provider names it (Tier1K, TIER_10K…)'),
  readAt: z.string().nullable().describe('when the figures were read from the provider; null before the first reading'),
  error: z.string().nullable().describe('the provider’s answer when the last reading failed (the figures are the previous reading’s)'),
  errorAt: z.string().nullable(),
  consoleUrl: z.string().describe('the provider’s console, where credit is added'),
});
export type WhatsAppWallet = z.infer<typeof WhatsAppWallet>;
