import type { Database } from '../../db/database.js';
import { PermanentFailure } from '../../engine/outbox.js';
import type { TemplateStatus } from '../../contracts/admin.js';
import type { ParsedMessage } from '../adapter.js';

// What WhatsApp's two providers (Meta's Cloud API, Gupshup) share: the words stored for what Mirante
// cannot show, the widgets' limits, the window's error codes and the bytes of an agent's file.

/** The desk's text for a kind Mirante cannot draw: stored, never dropped. */
export const unsupportedText = (kind: string) => `tipo de mensagem não suportado: ${kind}`;

export function unsupported(base: Omit<ParsedMessage, 'text' | 'contentType'>, kind: string): ParsedMessage {
  return { ...base, text: unsupportedText(kind), contentType: 'unsupported', payload: { ...(base.payload ?? {}), kind } };
}

/**
 * The customer-service window is closed: Cloud API 131047 ("Re-engagement message"); Gupshup
 * forwards Meta's code, and its on-premises numbers answered 470 for the same rule.
 */
export const WINDOW_CODES = new Set([131047, 470]);
export const WINDOW_CLOSED = 'window_closed';

/** WhatsApp's reply buttons: at most 3, titles of 20 characters; list rows: 10, titles of 24, descriptions of 72. */
export const LIMITS = { buttons: 3, buttonTitle: 20, listRows: 10, rowTitle: 24, rowDescription: 72, listButton: 20, body: 1024 } as const;

export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** An agent's file, from the attachments table (uploaded through the desk). */
export async function attachmentBytes(db: Database, id: string): Promise<{ name: string; type: string; data: Uint8Array<ArrayBuffer> }> {
  const { rows } = await db.query<{ name: string; content_type: string; data: Buffer }>('SELECT name, content_type, data FROM attachments WHERE id = $1', [id]);
  if (!rows[0]) throw new PermanentFailure(`attachment ${id} does not exist`, 'attachment_missing');
  return { name: rows[0].name, type: rows[0].content_type, data: new Uint8Array(rows[0].data) };
}

/** A provider's epoch (seconds as text, or milliseconds) as a Date; now when absent or unreadable. */
export function epoch(value: unknown, now = new Date()): Date {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return now;
  return new Date(n < 1e12 ? n * 1000 : n);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

const STATUSES = new Set<TemplateStatus>(['PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED']);
/** A provider's word for a template's state as Mirante keeps it; Meta's IN_APPEAL/PENDING_DELETION stay PENDING/DISABLED. */
export function templateStatusOf(v: unknown): TemplateStatus | null {
  if (typeof v !== 'string') return null;
  const s = v.toUpperCase();
  if (STATUSES.has(s as TemplateStatus)) return s as TemplateStatus;
  if (s === 'IN_APPEAL' || s === 'SUBMITTED') return 'PENDING';
  if (s === 'FAILED') return 'REJECTED';
  if (s === 'PENDING_DELETION' || s === 'DELETED' || s === 'LIMIT_EXCEEDED') return 'DISABLED';
  return null;
}
/** Meta says reason "NONE" when there is none. */
export const reasonOf = (v: unknown) => (typeof v === 'string' && v && v.toUpperCase() !== 'NONE' ? v : null);

