import { z } from 'zod';
import { Id, Language, Role, Timestamp } from './common.js';

export const LoginBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});

export const Me = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  language: Language,
  agentEnabled: z.boolean(),
  privacyOfficer: z.boolean().describe('may read the access records (Acessos a dados, LGPD): admins always'),
  teamIds: z.array(Id).describe('teams the user works in as an agent'),
  supervisedTeamIds: z.array(Id).describe('teams the user supervises'),
});
export type Me = z.infer<typeof Me>;

export const UpdateMeBody = z.strictObject({
  language: Language.optional(),
  name: z.string().trim().min(1).max(120).optional(),
  currentPassword: z.string().max(200).optional(),
  newPassword: z.string().min(8).max(200).optional(),
});

/** One of my open sessions (Meu perfil): where and when it was opened, when last used. */
export const SessionView = z.object({
  id: Id.describe('public id of the session (not its token)'),
  createdAt: Timestamp,
  lastSeenAt: Timestamp.describe('last request, to the minute'),
  expiresAt: Timestamp,
  ip: z.string().nullable().describe('the IP it signed in from'),
  userAgent: z.string().nullable().describe('the browser it signed in with, as it named itself'),
  current: z.boolean().describe('the session of this request'),
});
export type SessionView = z.infer<typeof SessionView>;
export const SessionList = z.object({ items: z.array(SessionView) });
export const EndedSessions = z.object({ ended: z.number().int().describe('how many sessions were ended') });
