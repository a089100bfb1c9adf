import { useRef } from 'react';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMonitorStore, useMonitorView } from '../monitor/useMonitor';
import type { MonitorState } from '../monitor/store';

function countTriage(s: MonitorState): number {
  let n = 0;
  for (const c of s.conversations.values()) if (c.state === 'triage') n++;
  return n;
}

/**
 * The side menu's count of e-mails waiting in the filter for the supervisor's services (seed: "o ícone
 * … apresentará a quantidade de e-mails pendentes"): read from the monitor stream, so it changes live.
 */
export function EmailTriageBadge() {
  const { t } = useTranslation();
  const store = useMonitorStore();
  // counted once per repaint of the live data, not on every read of the store
  const cache = useRef({ version: -1, ready: false, n: 0 });
  const { n } = useMonitorView(store, (s) => {
    if (cache.current.version !== s.version || cache.current.ready !== s.ready) cache.current = { version: s.version, ready: s.ready, n: countTriage(s) };
    return { n: cache.current.n };
  });
  if (!n) return null;
  return (
    <Badge size="sm" color="red" variant="filled" circle={n < 10} title={t('nav.filterEmailPending', { count: n })} data-testid="email-triage-badge" data-count={n}>
      {n > 99 ? '99+' : n}
    </Badge>
  );
}
