import { z } from 'zod';

export const CHANNELS = ['webchat', 'email', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'api'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const LANGUAGES = ['pt-BR', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const Id = z.uuid();
export const IdParams = z.strictObject({ id: z.uuid() });
export const Timestamp = z.string().describe('ISO 8601 date-time');

/** A short human text: names, titles. */
export const Name = z.string().trim().min(1).max(120);

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    currentState: z.string().optional(),
    /** a command on many ids: the ids at fault (unknown or out of scope for a 404, in another state for a 409) */
    ids: z.array(z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ListQuery = z.strictObject({
  q: z.string().max(120).optional().describe('case-insensitive search on the name'),
  active: z.enum(['true', 'false']).optional(),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
