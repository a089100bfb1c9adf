// Alerts of the Carteira WhatsApp (issue 20): judged by each reading of an account's wallet, for each
// service of the account, not by the monitor's 5-second rules (alert-rules.ts). Pure: the reading,
// the previous quality and the threshold come in; the engine records and resolves.

import type { AlertFinding } from './alert-rules.js';

export const WALLET_ALERT_RULES = ['wallet_balance_low', 'number_quality_dropped'] as const;
export type WalletAlertRule = (typeof WALLET_ALERT_RULES)[number];

export type Quality = 'GREEN' | 'YELLOW' | 'RED';
const RANK: Record<Quality, number> = { GREEN: 2, YELLOW: 1, RED: 0 };
/** The number's quality as the inbox says it (Qualidade do número: Alta/Média/Baixa). */
export const QUALITY_PT: Record<Quality, string> = { GREEN: 'Alta', YELLOW: 'Média', RED: 'Baixa' };

export interface WalletAlertInput {
  service: { id: string; name: string; teamIds: readonly string[] };
  /** the wallet's balance (Gupshup); null on Meta, which bills directly, or when not read */
  balance: number | null;
  currency: string | null;
  quality: Quality | null;
  /** the quality of the reading before this one */
  previousQuality: Quality | null;
  /** settings.alerts.walletMinBalance: a balance under it raises an alert; 0 turns the rule off */
  minBalance: number;
}

export type WalletAlertFinding = Omit<AlertFinding, 'rule'> & { rule: WalletAlertRule };

export interface WalletAlertVerdict {
  /** the alerts the reading raises now */
  findings: WalletAlertFinding[];
  /** the rules the reading could judge: an open alert of one of them that is not in `findings` has ended */
  judged: WalletAlertRule[];
  /** the quality fell below the previous reading's: an open quality alert is replaced by this reading's */
  worse: boolean;
}

/** Whether `now` is a lower quality than `before`. */
export const qualityDropped = (before: Quality | null, now: Quality | null) => before !== null && now !== null && RANK[now] < RANK[before];

export function evaluateWalletAlerts(input: WalletAlertInput): WalletAlertVerdict {
  const { service: s, balance, currency, quality, previousQuality, minBalance } = input;
  const findings: WalletAlertFinding[] = [];
  const judged: WalletAlertRule[] = ['wallet_balance_low'];
  const base = { subjectType: 'service' as const, subjectId: s.id, serviceId: s.id, teamIds: [...s.teamIds] };

  if (balance !== null && minBalance > 0 && balance < minBalance) {
    const money = (v: number) => `${currency ?? ''} ${v.toLocaleString('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`.trim();
    findings.push({
      ...base, rule: 'wallet_balance_low', severity: balance <= 0 ? 'critical' : 'warning',
      message: `Saldo da carteira WhatsApp de ${s.name} em ${money(balance)} (mínimo ${money(minBalance)})`,
      payload: { service: s.name, balance, currency, minimum: minBalance },
    });
  }

  // a reading that names no quality says nothing of it: an open alert stays as it is
  const worse = qualityDropped(previousQuality, quality);
  if (quality !== null) {
    judged.push('number_quality_dropped');
    if (quality !== 'GREEN') {
      const from = previousQuality && worse ? ` (era ${QUALITY_PT[previousQuality]})` : '';
      findings.push({
        ...base, rule: 'number_quality_dropped', severity: quality === 'RED' ? 'critical' : 'warning',
        message: `Qualidade do número de ${s.name}: ${QUALITY_PT[quality]}${from}`,
        payload: { service: s.name, quality, previousQuality: worse ? previousQuality : null },
      });
    }
  }
  return { findings, judged, worse };
}
