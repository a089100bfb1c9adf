import { describe, expect, it } from 'vitest';
import { alertText } from './alert-text';

// the English templates, as i18next would fill them
const t = (key: string, vars: Record<string, unknown>) => `${key}|${Object.entries(vars).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).sort().join(',')}`;

describe('alertText', () => {
  const paused = { rule: 'agent_paused_too_long' as const, message: 'Ana está em pausa (Almoço) há 70 min; o limite é 60 min', payload: { agentName: 'Ana', reason: 'Almoço', minutes: 70, limit: 60 } };

  it('in Portuguese, the server’s sentence', () => {
    expect(alertText(paused, 'pt-BR', t)).toBe(paused.message);
  });

  it('in English, the rule’s sentence with the alert’s figures', () => {
    expect(alertText(paused, 'en', t)).toBe('monitor.alerts.text.agent_paused_too_long|agentName=Ana,limit=60,minutes=70,reason=Almoço');
    const long = { rule: 'long_service' as const, message: 'x', payload: { protocol: '2026', minutes: 40, agentId: 'a', agentName: null } };
    expect(alertText(long, 'en', t)).toContain('agentName=The agent');
  });

  it('in English, the server’s sentence when a figure the rule needs is missing', () => {
    const old = { rule: 'queue_too_long' as const, message: 'Fila de X com 9 atendimentos aguardando (limite 5)', payload: { service: 'X', limit: 5 } };
    expect(alertText(old, 'en', t)).toBe(old.message);
  });

  it('in English, the wallet’s alerts with the amount in its currency and the quality in words', () => {
    const low = { rule: 'wallet_balance_low' as const, message: 'x', payload: { service: 'Vendas', balance: 3.5, currency: 'USD', minimum: 10 } };
    expect(alertText(low, 'en', t)).toBe('monitor.alerts.text.wallet_balance_low|balance=$3.50,minimum=$10.00,service=Vendas');
    const q = { rule: 'number_quality_dropped' as const, message: 'x', payload: { service: 'Vendas', quality: 'RED', previousQuality: 'YELLOW' } };
    expect(alertText(q, 'en', t)).toBe('monitor.alerts.text.number_quality_dropped_from|previous=monitor.wallet.qualities.YELLOW|,quality=monitor.wallet.qualities.RED|,service=Vendas');
  });
});
