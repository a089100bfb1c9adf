import { timingSafeEqual } from 'node:crypto';

/** A shared secret a provider sends back (a header, a token in the URL), compared in constant time; false when either is missing. */
export function sameSecret(expected: string | undefined, given: string | string[] | undefined | null): boolean {
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
