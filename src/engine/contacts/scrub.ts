import type { Queryable } from '../../db/database.js';

// What anonymisation puts where a personal value was, and how it finds one inside free JSON (event
// payloads, outbox jobs, audit entries): by the key that holds it, or by containing one of the
// person's own values (the "needles": name, e-mail, phone, CPF, channel handles).

export const ERASED = '[anonimizado]';

/** Keys whose value is the person's or their words, in the records of their conversations. */
const PERSONAL_KEYS = new Set([
  'contactName', 'contact', 'name', 'displayName', 'email', 'phone', 'cpf', 'externalId', 'subject', 'body', 'text', 'caption', 'notes',
  'wrapup', 'fields', 'payload', 'attachments', 'botState', 'from', 'to', 'cc', 'bcc', 'replyTo', 'html', 'references', 'inReplyTo', 'messageId',
  'address', 'sender', 'profile', 'emailOut', 'answers', 'data',
]);

/** The spellings of a person's values worth searching for (at least 3 characters), lower-cased. */
export function needlesOf(values: readonly (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    const s = v.trim().toLowerCase();
    if (s.length >= 3) out.add(s);
    const digits = s.replace(/\D/g, '');
    // a phone in E.164, without the plus, without the country code; a CPF with its punctuation
    if (/^\+?\d{10,13}$/.test(s)) {
      out.add(digits);
      if (digits.startsWith('55') && digits.length >= 12) out.add(digits.slice(2));
    }
    if (/^\d{11}$/.test(s)) out.add(`${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`);
  }
  return [...out];
}

export const likePatterns = (needles: readonly string[]) => needles.map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matchers = new Map<string, RegExp>();

/**
 * Whether `s` names the person: one of their values as a whole word (not "Ana" inside "Mariana"), so
 * that other people's records that merely contain the letters keep their words.
 */
function mentions(s: string, needles: readonly string[]): boolean {
  if (!needles.length) return false;
  const key = needles.join('\u0000');
  let re = matchers.get(key);
  if (!re) {
    re = new RegExp(`(^|[^\\p{L}\\p{N}])(${needles.map(escapeRegex).join('|')})($|[^\\p{L}\\p{N}])`, 'iu');
    if (matchers.size > 100) matchers.clear();
    matchers.set(key, re);
  }
  return re.test(s);
}

/** The same whole-word test for PostgreSQL (`column ~* ANY($n)`). */
export const wordPatterns = (needles: readonly string[]) => needles.map((n) => `(^|[^[:alnum:]])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^[:alnum:]])`);

/** A string with the person's values taken out (the whole string goes: a value may be spelled inside words). */
export const scrubText = (s: string, needles: readonly string[]) => (mentions(s, needles) ? ERASED : s);

/**
 * JSON without the person: `byKey` (a record of their conversation) also drops every value under a
 * personal key, strings becoming ERASED and objects null.
 */
export function scrubJson(value: unknown, needles: readonly string[], byKey: boolean): unknown {
  if (typeof value === 'string') return scrubText(value, needles);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, needles, byKey));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => {
      if (byKey && PERSONAL_KEYS.has(k) && v !== null && v !== undefined) return [k, typeof v === 'string' ? (v === '' ? '' : ERASED) : typeof v === 'object' ? null : v];
      return [k, scrubJson(v, needles, byKey)];
    }),
  );
}

/**
 * Rewrites a jsonb column of the rows `where` selects, a thousand at a time by `key` (a unique bigint
 * or uuid... compared as text), each value through scrubJson. `where` numbers its parameters from $2.
 */
export async function scrubJsonColumns(
  tx: Queryable, table: string, key: string, columns: readonly string[], where: string, params: unknown[], needles: readonly string[], byKey: (row: Record<string, unknown>) => boolean,
): Promise<number> {
  let last: string | null = null;
  let changed = 0;
  for (;;) {
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT ${key}::text AS k, ${columns.join(', ')}, * FROM ${table} WHERE (${where}) AND ($1::text IS NULL OR ${key}::text > $1) ORDER BY ${key}::text LIMIT 1000`,
      [last, ...params],
    );
    if (!rows.length) return changed;
    for (const r of rows) {
      const next = columns.map((c) => (r[c] === null ? null : scrubJson(r[c], needles, byKey(r))));
      if (next.every((v, i) => JSON.stringify(v) === JSON.stringify(r[columns[i]]))) continue;
      await tx.query(`UPDATE ${table} SET ${columns.map((c, i) => `${c} = $${i + 2}::jsonb`).join(', ')} WHERE ${key}::text = $1`, [r.k, ...next.map((v) => (v === null ? null : JSON.stringify(v)))]);
      changed++;
    }
    last = rows[rows.length - 1].k as string;
  }
}
