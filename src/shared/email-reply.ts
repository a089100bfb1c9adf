
// Who an agent's e-mail goes to and its subject, from the e-mail it answers: the desk shows these
// in the composer and the server fills in what the agent left empty, by the same rules.

export type EmailMode = 'reply' | 'replyAll' | 'forward';

export interface EmailAddress {
  address: string;
  name: string | null;
}

export interface ParentEmail {
  from: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string | null;
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** Is this an address a reply can go to (name@domain.tld)? */
export const isEmailAddress = (v: string) => EMAIL.test(v.trim()) && v.trim().length <= 320;

/** The default To and Cc of a reply: the sender (its Reply-To when it set one); reply-all adds everyone else but us. */
export function defaultRecipients(parent: ParentEmail | null, mode: EmailMode, ownAddress: string | null, customerAddress: string | null): { to: string[]; cc: string[] } {
  if (mode === 'forward') return { to: [], cc: [] };
  const own = ownAddress?.toLowerCase() ?? null;
  const sender = parent?.replyTo.length ? parent.replyTo.map((a) => a.address) : parent?.from ? [parent.from.address] : customerAddress ? [customerAddress] : [];
  const to = unique(sender).filter((a) => a !== own && isEmailAddress(a));
  if (mode === 'reply') return { to, cc: [] };
  const others = unique([...(parent?.to ?? []), ...(parent?.cc ?? [])].map((a) => a.address)).filter((a) => a !== own && !to.includes(a) && isEmailAddress(a));
  return { to, cc: others };
}

const unique = (xs: string[]) => [...new Set(xs.map((x) => x.trim().toLowerCase()).filter(Boolean))];

/** "[#PROTOCOLO] Re: subject": one protocol tag, one Re:/Fwd: (earlier ones and tags dropped). */
export function emailSubject(protocol: string, subject: string | null, mode: EmailMode): string {
  const base = (subject ?? '').replace(/\[#\d{14}\]\s*/g, '').trim();
  const stripped = base.replace(/^((re|res|fw|fwd|enc|rv|aw|wg|tr)\s*:\s*)+/i, '').trim();
  return `[#${protocol}] ${mode === 'forward' ? 'Fwd' : 'Re'}: ${stripped || '(sem assunto)'}`;
}
