import { Alert, Badge, Button, Card, Group, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceDesktop, IconLogout } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { call } from '../api';
import { useSession } from '../auth/session';
import { dateFormatter } from '../ui/time';
import { useConfirm } from './bot-flow/confirm';
import { browserName } from './user-agent';

const SESSIONS = '/api/auth/sessions';

/** "Chrome 126 em Linux", from what the browser called itself at sign-in. */
export function describeBrowser(t: TFunction, userAgent: string | null): string {
  const { browser, os } = browserName(userAgent);
  if (browser && os) return t('profile.sessions.on', { browser, os });
  return browser ?? os ?? t('profile.sessions.unknown');
}

/** Meu perfil → Sessões abertas: where my account is signed in, and ending those I do not want. */
export function SessionsCard() {
  const { t, i18n } = useTranslation('admin');
  const { settings } = useSession();
  const qc = useQueryClient();
  const confirm = useConfirm();
  const sessions = useQuery({ queryKey: [SESSIONS], queryFn: () => call('getAuthSessions').then((r) => r.items) });
  const refresh = () => qc.invalidateQueries({ queryKey: [SESSIONS] });
  const failed = (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message });

  const endOne = useMutation({
    mutationFn: (id: string) => call('deleteAuthSessionsById', { params: { id } }),
    onSuccess: () => notifications.show({ color: 'teal', message: t('profile.sessions.ended') }),
    onError: failed,
    onSettled: refresh,
  });
  const endOthers = useMutation({
    mutationFn: () => call('postAuthSessionsEndOthers'),
    onSuccess: (r) => notifications.show({ color: 'teal', message: t('profile.sessions.endedOthers', { count: r.ended }) }),
    onError: failed,
    onSettled: refresh,
  });

  const when = (iso: string) => dateFormatter(i18n.language, settings.timezone, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  const items = sessions.data ?? [];
  const others = items.filter((s) => !s.current).length;

  return (
    <Card withBorder padding="md" data-testid="sessions">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <div>
          <Title order={4}>{t('profile.sessions.title')}</Title>
          <Text size="sm" c="dimmed">{t('profile.sessions.help')}</Text>
        </div>
        <Button
          variant="light"
          color="red"
          leftSection={<IconLogout size={16} />}
          disabled={others === 0}
          loading={endOthers.isPending}
          onClick={() =>
            confirm.ask({
              title: t('profile.sessions.endOthersTitle'),
              message: t('profile.sessions.endOthersConfirm'),
              confirm: t('profile.sessions.endOthers'),
              cancel: t('common.cancel'),
              danger: true,
              onConfirm: () => endOthers.mutate(),
            })
          }
        >
          {t('profile.sessions.endOthers')}
        </Button>
      </Group>
      {sessions.isError && <Alert color="red" role="alert">{sessions.error.message}</Alert>}
      {sessions.isLoading && <Text c="dimmed" size="sm">{t('common.loading')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('profile.sessions.browser')}</Table.Th>
                <Table.Th>{t('profile.sessions.ip')}</Table.Th>
                <Table.Th>{t('profile.sessions.started')}</Table.Th>
                <Table.Th>{t('profile.sessions.lastSeen')}</Table.Th>
                <Table.Th w={120} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => {
                const browser = describeBrowser(t, s.userAgent);
                return (
                  <Table.Tr key={s.id} data-current={s.current || undefined}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <IconDeviceDesktop size={18} stroke={1.6} color="var(--mantine-color-dimmed)" />
                        <Tooltip label={s.userAgent ?? t('profile.sessions.unknown')} multiline maw={420} openDelay={300}>
                          <Text size="sm" fw={500}>{browser}</Text>
                        </Tooltip>
                        {s.current && <Badge variant="light" color="teal" styles={{ root: { textTransform: 'none' } }}>{t('profile.sessions.current')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td><Text size="sm" ff="monospace">{s.ip ?? '—'}</Text></Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{when(s.createdAt)}</Text></Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{when(s.lastSeenAt)}</Text></Table.Td>
                    <Table.Td ta="right">
                      {!s.current && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('profile.sessions.endLabel', { browser })}
                          loading={endOne.isPending && endOne.variables === s.id}
                          onClick={() => endOne.mutate(s.id)}
                        >
                          {t('profile.sessions.end')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {sessions.isSuccess && others === 0 && <Text size="sm" c="dimmed" mt="xs">{t('profile.sessions.onlyThis')}</Text>}
      {confirm.element}
    </Card>
  );
}
