import { z } from 'zod';
import { Id, Language, Role } from './common.js';

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
