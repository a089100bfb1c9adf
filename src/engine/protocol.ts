import type { Queryable } from '../db/database.js';

/** The calendar day (YYYY-MM-DD) of `at` in the contact center's time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * SAC decree protocol numbers: YYYYMMDD of the contact center's day + a daily sequence of 6 digits.
 * The upsert takes a row lock on the day, so numbers are unique across nodes; `count` numbers are
 * drawn in one statement (a batch of new conversations moves the day's sequence once).
 */
export async function nextProtocols(tx: Queryable, at: Date, timeZone: string, count: number): Promise<string[]> {
  const day = localDay(at, timeZone);
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO protocol_sequences (day, last) VALUES ($1, $2)
     ON CONFLICT (day) DO UPDATE SET last = protocol_sequences.last + $2 RETURNING last`,
    [day, count],
  );
  const first = rows[0].last - count + 1;
  return Array.from({ length: count }, (_, n) => `${day.replaceAll('-', '')}${String(first + n).padStart(6, '0')}`);
}

export async function nextProtocol(tx: Queryable, at: Date, timeZone: string): Promise<string> {
  return (await nextProtocols(tx, at, timeZone, 1))[0];
}
