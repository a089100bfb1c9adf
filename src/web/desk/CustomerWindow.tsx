import { Alert, Text } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { useNow } from './format';
import classes from './desk.module.css';

// The customer-service window (WhatsApp 24 h, Messenger/Instagram 7 days for a human agent): the
// server computes when it closes (ConversationView.window); the desk counts down to it and, once
// closed, offers the approved templates instead of free text (the server refuses free text anyway).

/** "3 h 12 min", "45 min", "menos de 1 min". */
function hoursMinutes(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${Math.max(m, 1)} min`;
}

/** Is the conversation's window closed now (re-rendered every 30 s)? null: the channel has none. */
export function useWindow(view: ConversationView): { hours: number; closed: boolean; leftMs: number; never: boolean } | null {
  const now = useNow(30_000);
  const w = view.window;
  if (!w) return null;
  const leftMs = w.closesAt ? new Date(w.closesAt).getTime() - now : 0;
  return { hours: w.hours, closed: leftMs <= 0, leftMs: Math.max(0, leftMs), never: w.closesAt === null };
}

/** The time left, above the composer; once closed, why only a template may go. */
export function WindowNotice({ win, templates }: { win: NonNullable<ReturnType<typeof useWindow>>; templates: boolean }) {
  const { t } = useTranslation('desk');
  if (!win.closed) {
    return (
      <Text className={classes.windowBar} data-testid="window-countdown" role="status">
        <IconClockHour4 size={14} style={{ verticalAlign: '-2px', marginRight: 4 }} aria-hidden />
        {t('desk.composer.window.open', { hours: win.hours, left: hoursMinutes(win.leftMs) })}
      </Text>
    );
  }
  return (
    <Alert color="orange" py={6} mb={6} data-testid="window-closed" role="status">
      <Text size="sm">
        {!templates ? t('desk.composer.window.closedNoTemplates', { hours: win.hours }) : win.never ? t('desk.composer.window.never') : t('desk.composer.window.closed', { hours: win.hours })}
      </Text>
    </Alert>
  );
}
