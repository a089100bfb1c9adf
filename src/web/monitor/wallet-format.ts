// Carteira WhatsApp: the wallet's figures in words for Início (and the alerts' English sentences).

/** An amount in the wallet's currency (an ISO code from the provider), in the screen's language; a code Intl does not know is written before the number. */
export function formatMoney(value: number, currency: string | null, lang: string): string {
  if (currency && /^[A-Za-z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency: currency.toUpperCase() }).format(value);
    } catch {
      // not a currency Intl knows: fall through to the plain number
    }
  }
  const n = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return currency ? `${currency} ${n}` : n;
}

/**
 * The messaging limit for templates as the provider names it (Meta: TIER_250, TIER_1K, TIER_UNLIMITED;
 * Gupshup: Tier1K, Tier10K…): the number of business-initiated conversations per 24 h, or 'unlimited';
 * null when the name is not one of these.
 */
export function messagingLimit(name: string | null): number | 'unlimited' | null {
  if (!name) return null;
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (key === 'TIERUNLIMITED' || key === 'UNLIMITED') return 'unlimited';
  const m = /^TIER(\d+)(K?)$/.exec(key);
  if (!m) return null;
  return Number(m[1]) * (m[2] ? 1000 : 1);
}
