import { describe, expect, it } from 'vitest';
import { formatMoney, messagingLimit } from './wallet-format';

describe('Carteira WhatsApp figures', () => {
  it('money in the wallet’s currency, in the screen’s language', () => {
    expect(formatMoney(41.938, 'USD', 'pt-BR')).toBe('US$\u00a041,94');
    expect(formatMoney(1234.5, 'BRL', 'pt-BR')).toBe('R$\u00a01.234,50');
    expect(formatMoney(-20, 'USD', 'en')).toBe('-$20.00');
    expect(formatMoney(3.5, null, 'pt-BR')).toBe('3,50');
    expect(formatMoney(3.5, 'créditos', 'pt-BR')).toBe('créditos 3,50');
  });

  it('the messaging limit by either provider’s name', () => {
    expect(messagingLimit('TIER_1K')).toBe(1000);
    expect(messagingLimit('Tier1K')).toBe(1000);
    expect(messagingLimit('TIER_250')).toBe(250);
    expect(messagingLimit('Tier100K')).toBe(100_000);
    expect(messagingLimit('TIER_UNLIMITED')).toBe('unlimited');
    expect(messagingLimit('TierUnlimited')).toBe('unlimited');
    expect(messagingLimit('whatever')).toBeNull();
    expect(messagingLimit(null)).toBeNull();
  });
});
