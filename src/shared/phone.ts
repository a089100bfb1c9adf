import { parsePhone } from './fields.js';

// A customer's number as a provider sends it (WhatsApp's wa_id "551188887777", Twilio's
// "+5511988887777", a Telegram contact's "5511988887777"), made the one E.164 form contacts are
// matched by: the same person on WhatsApp and SMS is one contact. Brazilian mobiles gained a ninth
// digit (2012–2016) and WhatsApp still names many accounts without it, so a Brazilian mobile of 8
// digits after the area code (first digit 6–9) gets the 9 back.

/** E.164 (`+5511988887777`), or null for what is not a phone number. */
export function canonicalPhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  if (!/^\+?[\d\s().-]{7,24}$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return null;
  const brazil = text.startsWith('+') ? digits.startsWith('55') : digits.startsWith('55') && (digits.length === 12 || digits.length === 13);
  if (brazil) {
    let national = digits.slice(2);
    if (national.length === 10 && national[2] >= '6') national = `${national.slice(0, 2)}9${national.slice(2)}`;
    const parsed = parsePhone(`+55${national}`);
    return parsed.ok ? parsed.value : null;
  }
  // a number without +55 and not 12–13 digits starting 55: another country's, already international
  return `+${digits}`;
}

/** Both forms a Brazilian mobile may be known by (with and without the ninth digit), for a provider that wants its own. */
export function brazilianMobileWithoutNinth(e164: string): string | null {
  const m = /^\+55(\d{2})9(\d{8})$/.exec(e164);
  return m && m[2][0] >= '6' ? `+55${m[1]}${m[2]}` : null;
}
