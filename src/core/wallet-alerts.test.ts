import { describe, expect, it } from 'vitest';
import { evaluateWalletAlerts, qualityDropped, type WalletAlertInput } from './wallet-alerts.js';

const base = (over: Partial<WalletAlertInput> = {}): WalletAlertInput => ({
  service: { id: 's1', name: 'Vendas', teamIds: ['t1'] },
  balance: 50, currency: 'USD', quality: 'GREEN', previousQuality: 'GREEN', minBalance: 10, ...over,
});
const rules = (input: WalletAlertInput) => evaluateWalletAlerts(input).findings.map((f) => `${f.rule}:${f.severity}`);

describe('wallet alerts', () => {
  it('balance: under the minimum a warning, at zero or below critical; 0 as the minimum turns it off; no balance (Meta) says nothing', () => {
    expect(rules(base())).toEqual([]);
    expect(rules(base({ balance: 10 }))).toEqual([]);
    expect(rules(base({ balance: 9.99 }))).toEqual(['wallet_balance_low:warning']);
    expect(rules(base({ balance: 0 }))).toEqual(['wallet_balance_low:critical']);
    expect(rules(base({ balance: -5, minBalance: 0 }))).toEqual([]);
    expect(rules(base({ balance: null }))).toEqual([]);
    const f = evaluateWalletAlerts(base({ balance: 3.5 })).findings[0];
    expect(f).toMatchObject({ subjectType: 'service', subjectId: 's1', serviceId: 's1', teamIds: ['t1'], payload: { balance: 3.5, currency: 'USD', minimum: 10 } });
    expect(f.message).toBe('Saldo da carteira WhatsApp de Vendas em USD 3,50 (mínimo USD 10,00)');
  });

  it('quality: Média a warning, Baixa critical, a fall below the previous reading marked worse; no quality judges nothing', () => {
    expect(rules(base({ quality: 'YELLOW' }))).toEqual(['number_quality_dropped:warning']);
    expect(rules(base({ quality: 'RED', previousQuality: 'YELLOW' }))).toEqual(['number_quality_dropped:critical']);
    expect(evaluateWalletAlerts(base({ quality: 'RED', previousQuality: 'YELLOW' })).worse).toBe(true);
    expect(evaluateWalletAlerts(base({ quality: 'YELLOW', previousQuality: 'RED' })).worse).toBe(false);
    expect(evaluateWalletAlerts(base({ quality: 'YELLOW', previousQuality: 'RED' })).findings[0].message).toBe('Qualidade do número de Vendas: Média');
    expect(evaluateWalletAlerts(base({ quality: 'YELLOW' })).findings[0].message).toBe('Qualidade do número de Vendas: Média (era Alta)');
    expect(evaluateWalletAlerts(base({ quality: null })).judged).toEqual(['wallet_balance_low']);
    expect(evaluateWalletAlerts(base()).judged).toEqual(['wallet_balance_low', 'number_quality_dropped']);
    expect(qualityDropped(null, 'RED')).toBe(false);
    expect(qualityDropped('GREEN', 'GREEN')).toBe(false);
  });
});
