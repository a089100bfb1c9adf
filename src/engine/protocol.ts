import type { Queryable } from '../db/database.js';

/** The calendar day (YYYY-MM-DD) of `at` in the contact center's time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * SAC decree protocol number: YYYYMMDD of the contact center's day + a daily sequence of 6 digits.
 * The upsert takes a row lock on the day, so numbers are unique across nodes.
 */
export async function nextProtocol(tx: Queryable, at: Date, timeZone: string): Promise<string> {
  const day = localDay(at, timeZone);
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO protocol_sequences (day, last) VALUES ($1, 1)
     ON CONFLICT (day) DO UPDATE SET last = protocol_sequences.last + 1 RETURNING last`,
    [day],
  );
  return `${day.replaceAll('-', '')}${String(rows[0].last).padStart(6, '0')}`;
}
