import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brazilianMobileWithoutNinth, canonicalPhone } from './phone.js';

describe('canonicalPhone: one E.164 form for every way a provider writes a number', () => {
  it.each([
    ['551188887777', '+5511988887777'], // WhatsApp wa_id without the ninth digit
    ['5511988887777', '+5511988887777'],
    ['+5511988887777', '+5511988887777'],
    ['+55 (21) 98888-7777', '+5521988887777'],
    ['+552188887777', '+5521988887777'],
    ['551133334444', '+551133334444'], // a landline keeps its 8 digits
    ['+14155552671', '+14155552671'],
    ['447911123456', '+447911123456'],
  ])('%s → %s', (raw, e164) => expect(canonicalPhone(raw)).toBe(e164));

  it.each([['', null], ['abc', null], ['123', null], ['+5500988887777', null], [null, null], ['telegram:12345', null]])('%s → null', (raw, e164) =>
    expect(canonicalPhone(raw as string | null)).toBe(e164),
  );

  it('a Brazilian mobile with and without its ninth digit is the same number, whatever the punctuation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 6, max: 9 }), fc.integer({ min: 0, max: 9_999_999 }), (ddd, first, rest) => {
        const eight = `${first}${String(rest).padStart(7, '0')}`;
        const a = canonicalPhone(`55${ddd}${eight}`);
        const b = canonicalPhone(`+55 (${ddd}) 9${eight.slice(0, 4)}-${eight.slice(4)}`);
        expect(a).toBe(b);
        if (a) expect(brazilianMobileWithoutNinth(a)).toBe(`+55${ddd}${eight}`);
      }),
    );
  });
});
