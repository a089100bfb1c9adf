import type { Role } from '../contracts/common.js';

/** Who is acting: the signed-in user (or the system), carried into every command for audit and scope. */
export interface Actor {
  id: string | null;
  name: string;
  role: Role | 'system';
  teamIds: string[];
  supervisedTeamIds: string[];
  ip?: string;
  /** the browser, for the access records (Acessos a dados) */
  userAgent?: string;
  /** Encarregado de dados (DPO): may read who accessed a contact's data; admins always */
  privacyOfficer?: boolean;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', role: 'system', teamIds: [], supervisedTeamIds: [] };
