import type { AlertView } from '../../contracts/alerts';
import { formatMoney } from './wallet-format';

/** The figures each rule's English sentence needs (monitor.alerts.text.*). */
const NEEDS: Record<AlertView['rule'], string[]> = {
  agent_paused_too_long: ['agentName', 'minutes', 'limit'],
  queue_wait_over_target: ['protocol', 'service', 'seconds', 'target'],
  no_interaction: ['protocol', 'minutes'],
  long_service: ['protocol', 'minutes'],
  queue_too_long: ['service', 'queued', 'limit'],
  service_level_below_target: ['service', 'serviceLevel', 'target'],
  wallet_balance_low: ['service', 'balance', 'minimum'],
  number_quality_dropped: ['service', 'quality'],
};

/**
 * An alert's sentence in the screen's language. The server writes it in Portuguese; in English it is
 * built from the alert's figures, or left as the server wrote it when a figure is missing (an alert
 * stored before that figure was kept).
 */
export function alertText(alert: Pick<AlertView, 'rule' | 'message' | 'payload'>, lang: string, t: (key: string, vars: Record<string, unknown>) => string): string {
  if (lang !== 'en') return alert.message;
  const p = alert.payload;
  if (!NEEDS[alert.rule] || NEEDS[alert.rule].some((k) => p[k] === undefined || p[k] === null)) return alert.message;
  if (alert.rule === 'wallet_balance_low') {
    const currency = typeof p.currency === 'string' ? p.currency : null;
    return t('monitor.alerts.text.wallet_balance_low', { service: p.service, balance: formatMoney(Number(p.balance), currency, lang), minimum: formatMoney(Number(p.minimum), currency, lang) });
  }
  if (alert.rule === 'number_quality_dropped') {
    const word = (q: unknown) => t(`monitor.wallet.qualities.${String(q)}`, {});
    return p.previousQuality
      ? t('monitor.alerts.text.number_quality_dropped_from', { service: p.service, quality: word(p.quality), previous: word(p.previousQuality) })
      : t('monitor.alerts.text.number_quality_dropped', { service: p.service, quality: word(p.quality) });
  }
  return t(`monitor.alerts.text.${alert.rule}`, { ...p, reason: p.reason ?? 'pause', agentName: p.agentName ?? 'The agent', customer: p.customer ?? p.protocol });
}
