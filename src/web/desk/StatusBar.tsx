import { useState } from 'react';
import { Alert, Badge, Box, Button, Group, Loader, Menu, Paper, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconChevronDown, IconLogin, IconLogout, IconMessagePlus, IconPlayerPause, IconPlayerPlay, IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../contracts/conversations';
import type { ConnectionStatus } from '../realtime/client';
import { errorText, formatElapsed, since, useNow } from './format';
import { deskAlerts } from './alerts';
import type { DeskStore } from './store';
import { usePauseReasons } from './useDesk';

const STATE_COLOR: Record<AgentView['state'], string> = { offline: 'gray', available: 'green', paused: 'yellow', in_service: 'blue' };

/**
 * "Ativar notificações de chamada": while the browser has not been asked (or the question was
 * dismissed), a click asks it (browsers ask only from a click); the browser remembers the answer.
 */
function CallNotificationsSwitch() {
  const { t } = useTranslation('desk');
  const [, setAnswer] = useState<string | null>(null);
  if (!deskAlerts.notificationsAskable) return null;
  return (
    <Tooltip label={t('desk.call.notifyHelp')} multiline w={260} withArrow>
      <Button variant="subtle" size="sm" leftSection={<IconBell size={16} />} onClick={() => void deskAlerts.askNotifications().then((p) => setAnswer(p))} data-testid="call-notify-enable">
        {t('desk.call.notifyEnable')}
      </Button>
    </Tooltip>
  );
}

/** The agent's state with its time, the presence buttons, and the connection. */
export function StatusBar({ store, agent, status, openCount, onNewOutbound }: { store: DeskStore; agent: AgentView | null; status: ConnectionStatus; openCount: number; onNewOutbound?: () => void }) {
  const { t } = useTranslation('desk');
  const now = useNow(1000);
  const reasons = usePauseReasons();
  const [busy, setBusy] = useState<string | null>(null);
  const reasonName = (id: string | null) => reasons.data?.find((r) => r.id === id)?.name ?? '…';
  const state = agent?.state ?? 'offline';
  const paused = agent?.presence === 'paused';
  const pending = agent?.pendingPauseReasonId ?? null;

  async function run(key: string, action: () => Promise<AgentView>, done: (a: AgentView) => string) {
    setBusy(key);
    try {
      const a = await action();
      notifications.show({ message: done(a), color: 'green', autoClose: 2500 });
    } catch (err) {
      notifications.show({ title: t('common.error'), message: errorText(t, err), color: 'red', autoClose: 8000 });
    } finally {
      setBusy(null);
    }
  }

  const active = (reasons.data ?? []).filter((r) => r.active);
  const offline = state === 'offline';

  return (
    <Paper withBorder p="xs" radius="md" component="section" aria-label={t('desk.status.label')}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Badge size="lg" variant="dot" color={STATE_COLOR[state]} data-testid="agent-state" styles={{ root: { textTransform: 'none' } }} role="status">
            <VisuallyHidden>{t('desk.status.label')}: </VisuallyHidden>
            {t(`desk.agentState.${state}`)}
            {state === 'paused' && agent?.pauseReasonId ? ` · ${reasonName(agent.pauseReasonId)}` : ''}
          </Badge>
          {!offline && agent && (
            <Text size="sm" c="dimmed" ff="monospace" title={t('desk.status.since', { time: formatElapsed(since(agent.stateSince, now)) })}>
              {formatElapsed(since(agent.stateSince, now))}
            </Text>
          )}
          {pending && (
            <Tooltip label={t('desk.status.pendingPauseHelp')} multiline w={260} withArrow>
              <Badge color="orange" variant="light" styles={{ root: { textTransform: 'none' } }} tabIndex={0}>
                {t('desk.status.pendingPause', { reason: reasonName(pending) })}
              </Badge>
            </Tooltip>
          )}
          {state === 'in_service' && paused && !pending && (
            <Badge color="yellow" variant="light" styles={{ root: { textTransform: 'none' } }}>
              {t('desk.status.pausedWithConversations', { reason: reasonName(agent?.pauseReasonId ?? null) })}
            </Badge>
          )}
          {!offline && openCount > 0 && <Text size="sm" c="dimmed" visibleFrom="sm">{t('desk.status.open', { count: openCount })}</Text>}
          <ConnectionBadge status={status} />
        </Group>

        <Group gap="xs" wrap="wrap">
          {offline ? (
            <Tooltip label={t('desk.status.loginHelp')} withArrow>
              <Button leftSection={<IconLogin size={16} />} color="green" loading={busy === 'login'} onClick={() => run('login', store.login, () => t('desk.status.loggedIn'))}>
                {t('desk.status.login')}
              </Button>
            </Tooltip>
          ) : (
            <>
              <CallNotificationsSwitch />
              {onNewOutbound && (
                <Button variant="light" leftSection={<IconMessagePlus size={16} />} onClick={onNewOutbound} data-testid="outbound-open">
                  {t('desk.outbound.button')}
                </Button>
              )}
              {paused || pending ? (
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  color="green"
                  variant={pending ? 'light' : 'filled'}
                  loading={busy === 'resume'}
                  onClick={() => run('resume', store.resume, () => t('desk.status.resumed'))}
                >
                  {pending ? t('desk.status.cancelPending') : t('desk.status.resume')}
                </Button>
              ) : (
                <Menu position="bottom-end" withinPortal shadow="md">
                  <Menu.Target>
                    <Button variant="light" color="yellow" c="dark" leftSection={<IconPlayerPause size={16} />} rightSection={<IconChevronDown size={14} />} loading={busy === 'pause'}>
                      {t('desk.status.pause')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>{t('desk.status.pauseReasons')}</Menu.Label>
                    {active.length === 0 && <Menu.Item disabled>{t('desk.status.noReasons')}</Menu.Item>}
                    {active.map((r) => (
                      <Menu.Item
                        key={r.id}
                        onClick={() =>
                          run('pause', () => store.pause(r.id), (a) => (a.pendingPauseReasonId ? t('desk.status.pausePending') : t('desk.status.paused', { reason: r.name })))
                        }
                      >
                        {r.name}
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
              )}
              <Tooltip label={t('desk.status.logoutLabel')} withArrow>
                <Button variant="default" leftSection={<IconLogout size={16} />} loading={busy === 'logout'} aria-label={t('desk.status.logoutLabel')} onClick={() => run('logout', store.logout, () => t('desk.status.loggedOut'))}>
                  {t('desk.status.logout')}
                </Button>
              </Tooltip>
            </>
          )}
        </Group>
      </Group>
      {(status === 'reconnecting' || status === 'unauthorized') && <ConnectionAlert status={status} />}
    </Paper>
  );
}

function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const { t } = useTranslation('desk');
  if (status === 'connected') {
    return (
      <Badge variant="dot" color="green" styles={{ root: { textTransform: 'none' } }} data-testid="connection">
        {t('desk.connection.connected')}
      </Badge>
    );
  }
  if (status === 'unauthorized') return null;
  return (
    <Badge color="orange" variant="filled" leftSection={<Loader size={10} color="white" />} styles={{ root: { textTransform: 'none' } }} data-testid="connection">
      {status === 'reconnecting' ? t('desk.connection.reconnecting') : t('desk.connection.connecting')}
    </Badge>
  );
}

function ConnectionAlert({ status }: { status: ConnectionStatus }) {
  const { t } = useTranslation('desk');
  return (
    <Box mt="xs">
      <Alert color={status === 'unauthorized' ? 'red' : 'orange'} icon={<IconWifiOff size={18} />} role="alert" py={6}>
        <Group justify="space-between" gap="xs">
          <Text size="sm">{status === 'unauthorized' ? t('desk.connection.unauthorized') : t('desk.connection.reconnectingHelp')}</Text>
          {status === 'unauthorized' && (
            <Button size="xs" variant="white" onClick={() => location.reload()}>
              {t('desk.connection.signInAgain')}
            </Button>
          )}
        </Group>
      </Alert>
    </Box>
  );
}
