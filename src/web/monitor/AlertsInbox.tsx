import { useEffect, useState, useSyncExternalStore } from 'react';
import { ActionIcon, Alert, Badge, Button, Drawer, Group, Indicator, Paper, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconCheck, IconBell, IconChecks, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth/session';
import { useActions, useStore } from './actions';
import { useMonitorStore } from './useMonitor';
import type { AlertView } from './alerts';
import { alertText } from './alert-text';
import { timeOfDay } from './format';
import type { MonitorStore } from './store';

const SEVERITY = {
  info: { color: 'blue', icon: IconInfoCircle },
  warning: { color: 'orange', icon: IconAlertTriangle },
  critical: { color: 'red', icon: IconAlertOctagon },
} as const;

/** Scrolls an agent's tile into view and makes it blink once (the Agentes tab must be showing). */
function highlightAgent(id: string, tries = 10): void {
  const el = document.querySelector<HTMLElement>(`[data-agent-id="${CSS.escape(id)}"]`);
  if (!el) {
    if (tries > 0) setTimeout(() => highlightAgent(id, tries - 1), 100);
    return;
  }
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.animate([{ outline: '4px solid var(--mantine-color-orange-5)' }, { outline: '4px solid transparent' }], { duration: 700, iterations: 3 });
}

function AlertItem({ alert, onRead, onOpen }: { alert: AlertView; onRead(): void; onOpen(): void }) {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const look = SEVERITY[alert.severity] ?? SEVERITY.warning;
  const I = look.icon;
  const subject = alert.subjectType === 'agent' ? 'showAgent' : alert.subjectType === 'conversation' ? 'showConversation' : 'showService';
  return (
    <Paper withBorder p="sm" radius="md" bg={alert.read ? undefined : `${look.color}.0`} data-testid="alert-item" data-read={alert.read}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <I size={20} color={`var(--mantine-color-${look.color}-7)`} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} justify="space-between" wrap="nowrap">
            <Text size="xs" fw={700} c={`${look.color}.8`} tt="uppercase">{t(`monitor.alerts.kinds.${alert.rule}`, { defaultValue: alert.rule })}</Text>
            <Text size="xs" c="dimmed">{timeOfDay(alert.createdAt, settings.timezone, i18n.language)}</Text>
          </Group>
          <Text size="sm" fw={alert.read ? 400 : 600}>{alertText(alert, i18n.language, t)}</Text>
          <Group gap={6} justify="space-between">
            <Badge size="xs" variant="light" color={alert.resolvedAt ? 'gray' : look.color}>
              {alert.resolvedAt ? t('monitor.alerts.resolved', { time: timeOfDay(alert.resolvedAt, settings.timezone, i18n.language) }) : t('monitor.alerts.active')}
            </Badge>
            <Group gap={4}>
              <Button size="compact-xs" variant="subtle" onClick={onOpen} data-testid="alert-open">{t(`monitor.alerts.${subject}`)}</Button>
              {!alert.read && (
                <Tooltip label={t('monitor.alerts.markRead')} withArrow>
                  <ActionIcon size="sm" variant="subtle" color="gray" onClick={onRead} aria-label={t('monitor.alerts.markRead')} data-testid="alert-read">
                    <IconCheck size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}

/**
 * Início opens what an alert is about from its address, so the bell works from any screen:
 * `?conversation=<id>` opens the conversation, `?agent=<id>` the agent (in service) or their tile.
 */
export function OpenAlertSubject() {
  const actions = useActions();
  const store = useStore();
  const [params, setParams] = useSearchParams();
  const conversation = params.get('conversation');
  const agent = params.get('agent');
  useEffect(() => {
    if (!conversation && !agent) return;
    if (conversation) actions.openConversation(conversation);
    if (agent) {
      if (store.getState().agents.get(agent)?.state === 'in_service') actions.openAgent(agent);
      else highlightAgent(agent);
    }
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete('conversation');
      next.delete('agent');
      return next;
    }, { replace: true });
  }, [conversation, agent, actions, store, setParams]);
  return null;
}

/** The alerts bell in the app's header on every supervisor screen: the unread count and the drawer of the day's alerts (seed 1, Alertas). */
export function HeaderAlerts() {
  const store = useMonitorStore();
  return <AlertsButton store={store} />;
}

function AlertsButton({ store }: { store: MonitorStore }) {
  const { t } = useTranslation('monitor');
  const inbox = store.alerts;
  const state = useSyncExternalStore(inbox.subscribe, inbox.getState);
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);

  const openSubject = (a: AlertView) => {
    void inbox.markRead(a.id);
    setOpened(false);
    const wallet = a.rule === 'wallet_balance_low' || a.rule === 'number_quality_dropped';
    const to = a.subjectType === 'conversation' ? `?conversation=${a.subjectId}` : a.subjectType === 'agent' ? `?tab=agents&agent=${a.subjectId}`
      : wallet ? `?tab=wallet&service=${a.subjectId}` : '?tab=services';
    navigate(`/monitor${to}`);
  };
  const name = state.unread ? `${t('monitor.alerts.title')}: ${t('monitor.alerts.unread', { count: state.unread })}` : t('monitor.alerts.title');

  return (
    <>
      <Tooltip label={name} withArrow>
        <Indicator label={state.unread > 99 ? '99+' : state.unread} size={18} color="red" disabled={state.unread === 0} offset={4} data-testid="alerts-indicator">
          <ActionIcon variant="default" size="lg" onClick={() => setOpened(true)} aria-label={name} data-testid="alerts-button" data-unread={state.unread}>
            <IconBell size={20} />
          </ActionIcon>
        </Indicator>
      </Tooltip>
      <Drawer
        opened={opened}
        onClose={() => setOpened(false)}
        closeButtonProps={{ 'aria-label': t('monitor.alerts.close') }}
        position="right"
        size="md"
        title={<Text fw={700}>{t('monitor.alerts.title')}</Text>}
        scrollAreaComponent={ScrollArea.Autosize}
        data-testid="alerts-drawer"
      >
        <Stack gap="sm">
          {state.unread > 0 && (
            <Button variant="light" size="xs" leftSection={<IconChecks size={16} />} onClick={() => void inbox.markAllRead()} data-testid="alerts-read-all">
              {t('monitor.alerts.markAllRead')}
            </Button>
          )}
          {state.status === 'unavailable' && <Alert color="gray" variant="light">{t('monitor.alerts.unavailable')}</Alert>}
          {state.status === 'error' && <Alert color="red" variant="light">{t('monitor.alerts.loadFailed')}</Alert>}
          {state.items.length === 0 && state.status === 'loaded' && <Text c="dimmed" ta="center" py="md">{t('monitor.alerts.empty')}</Text>}
          {state.items.map((a) => (
            <AlertItem key={a.id} alert={a} onRead={() => void inbox.markRead(a.id)} onOpen={() => openSubject(a)} />
          ))}
        </Stack>
      </Drawer>
    </>
  );
}
