import { Tooltip } from '@mantine/core';
import { IconAlertCircleFilled, IconCheck, IconChecks, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../contracts/conversations';
import classes from './desk.module.css';

/** What the customer's side did with the agent's message, as its label says it ("Entregue", "Falhou: …"). */
export function deliveryLabel(t: (key: string, o?: Record<string, unknown>) => string, m: MessageView): string | null {
  if (!m.deliveryStatus) return null;
  if (m.deliveryStatus !== 'failed') return t(`desk.conversation.delivery.${m.deliveryStatus}`);
  // a reason Mirante knows is said in the screen's language, followed by the provider's own words
  const code = m.deliveryError?.code;
  const provider = m.deliveryError?.message?.trim() || null;
  const words = code ? knownReason(t, code) : null;
  const reason = words && provider ? `${words} (${provider})` : (words ?? provider);
  return reason ? t('desk.conversation.delivery.failed', { reason }) : t('desk.conversation.delivery.failedNoReason');
}

/** Words for a failure code: Mirante's own (window_closed…), or a provider's (a receipt's bare 131047 is Graph's, 30003 Twilio's). */
function knownReason(t: (key: string) => string, code: string): string | null {
  const keys = [code, ...(/^\d+$/.test(code) ? [`graph_${code}`, `twilio_${code}`] : [])].map((c) => `desk.conversation.delivery.reasons.${c}`);
  for (const k of keys) if (t(k) !== k) return t(k);
  return null;
}

const ICONS = { pending: IconClock, sent: IconCheck, delivered: IconChecks, read: IconChecks } as const;

/**
 * The delivery state of one of the agent's own messages, beside its time: a clock while it waits,
 * one tick sent, two ticks delivered, two blue ticks read.
 */
export function DeliveryTicks({ m }: { m: MessageView }) {
  const { t } = useTranslation('desk');
  const label = deliveryLabel(t, m);
  if (!label || !m.deliveryStatus) return null;
  if (m.deliveryStatus === 'failed') {
    return (
      <Tooltip label={label} withArrow multiline maw={320}>
        <span className={classes.deliveryMark} data-status="failed" data-testid="delivery-mark" role="img" aria-label={label}>
          <IconAlertCircleFilled size={14} color="var(--mantine-color-red-7)" aria-hidden />
        </span>
      </Tooltip>
    );
  }
  const Icon = ICONS[m.deliveryStatus];
  return (
    <Tooltip label={label} withArrow>
      <span
        className={`${classes.deliveryMark} ${m.deliveryStatus === 'read' ? classes.deliveryRead : ''}`}
        data-status={m.deliveryStatus}
        data-testid="delivery-mark"
        role="img"
        aria-label={label}
      >
        <Icon size={14} stroke={2} aria-hidden />
      </span>
    </Tooltip>
  );
}

/** A failed message says why, in words, under its bubble's time. */
export function DeliveryFailure({ m }: { m: MessageView }) {
  const { t } = useTranslation('desk');
  if (m.deliveryStatus !== 'failed') return null;
  return (
    <span className={classes.deliveryFailed} data-testid="delivery-failure">
      {deliveryLabel(t, m)}
    </span>
  );
}
