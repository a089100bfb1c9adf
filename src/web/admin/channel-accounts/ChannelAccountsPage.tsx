import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconPencil, IconPlayerPause, IconPlayerPlay, IconPlugConnected, IconPlus } from '@tabler/icons-react';
import type { ChannelAccount, SavedChannelAccount } from '../../../contracts/admin';
import { accountForm } from '../../../contracts/channel-account-fields';
import { call } from '../../api';
import { EmptyState } from '../../ui/EmptyState';
import { PageHeader } from '../../ui/PageHeader';
import { RowAction } from '../../ui/RowAction';
import { useList } from '../../ui/ResourcePage';
import { CHANNELS, namesOf, useServices } from '../lookups';
import { Tag } from '../Tag';
import { AccountForm } from './AccountForm';
import { AccountSetup } from './AccountSetup';
import { say } from './account-form-model';

const PATH = '/api/channel-accounts';

/**
 * Administração → Canais: the provider accounts by channel, with the services that use each, a form
 * per provider, and the setup panel (webhook URL, verify token, "Testar conexão").
 */
export function ChannelAccountsPage() {
  const { t, i18n } = useTranslation('admin');
  const qc = useQueryClient();
  const [showInactive, setShowInactive] = useState(false);
  const list = useList<ChannelAccount>('ChannelAccounts', { active: showInactive ? undefined : true });
  const services = useServices();
  const [editing, setEditing] = useState<ChannelAccount | 'new' | null>(null);
  const [setup, setSetup] = useState<{ account: SavedChannelAccount; typed: Record<string, string> } | null>(null);

  const byChannel = useMemo(() => {
    const items = list.data ?? [];
    return CHANNELS.map((channel) => ({ channel, items: items.filter((a) => a.channel === channel) })).filter((g) => g.items.length > 0);
  }, [list.data]);

  const refresh = () => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === PATH });
  const toggle = useMutation({
    mutationFn: (a: ChannelAccount) => (a.active ? call('deleteChannelAccountsById', { params: { id: a.id } }) : call('patchChannelAccountsById', { params: { id: a.id }, body: { active: true } })),
    onSuccess: async (saved: SavedChannelAccount) => {
      await refresh();
      // reactivating sets the account up at the provider again: a failure is shown with the account
      if (saved.warnings?.length) setSetup({ account: saved, typed: {} });
    },
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error', { ns: 'common' }), message: e.message }),
  });

  const providerLabel = (a: ChannelAccount) => {
    const form = accountForm(a.channel, a.provider);
    return form ? say(form.label, i18n.language) : (a.provider ?? t('channelAccounts.noProvider'));
  };

  return (
    <Stack>
      <PageHeader
        title={t('channelAccounts.title')}
        description={t('channelAccounts.description')}
        actions={<Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>{t('channelAccounts.create')}</Button>}
      />
      <Group>
        <Switch label={t('channelAccounts.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
      </Group>
      {list.isLoading && <Text c="dimmed" ta="center" py="md">{t('common.loading', { ns: 'common' })}</Text>}
      {list.isError && <Alert color="red" role="alert">{list.error.message}</Alert>}
      {list.isSuccess && byChannel.length === 0 && (
        <Card withBorder padding="sm">
          <EmptyState why={showInactive ? t('channelAccounts.empty') : t('channelAccounts.emptyInactive')} todo={t('channelAccounts.emptyTodo')} />
        </Card>
      )}
      {byChannel.map(({ channel, items }) => (
        <Card withBorder padding="sm" key={channel} component="section" aria-labelledby={`channel-${channel}`}>
          <Title order={2} size="h4" mb="xs" id={`channel-${channel}`}>{t(`channels.${channel}`, { ns: 'common' })}</Title>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.name', { ns: 'common' })}</Table.Th>
                  <Table.Th>{t('channelAccounts.provider')}</Table.Th>
                  <Table.Th>{t('channelAccounts.services')}</Table.Th>
                  <Table.Th>{t('common.status', { ns: 'common' })}</Table.Th>
                  <Table.Th>{t('common.actions', { ns: 'common' })}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => {
                  const used = namesOf(a.serviceIds, services.names);
                  return (
                    <Table.Tr key={a.id}>
                      <Table.Td><Text size="sm" fw={500}>{a.name}</Text></Table.Td>
                      <Table.Td><Tag name color="gray">{providerLabel(a)}</Tag></Table.Td>
                      <Table.Td><Text size="sm" c={used.length ? undefined : 'dimmed'}>{used.length ? used.join(', ') : t('channelAccounts.noServices')}</Text></Table.Td>
                      <Table.Td>
                        <Badge color={a.active ? 'teal' : 'gray'} variant="light" style={{ minWidth: 'max-content' }}>{a.active ? t('common.active', { ns: 'common' }) : t('common.inactive', { ns: 'common' })}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <RowAction label={t('channelAccounts.setup')} ariaLabel={`${t('channelAccounts.setup')}: ${a.name}`} icon={<IconPlugConnected size={16} />} onClick={() => setSetup({ account: a, typed: {} })} />
                          <RowAction label={t('common.edit', { ns: 'common' })} ariaLabel={`${t('common.edit', { ns: 'common' })}: ${a.name}`} icon={<IconPencil size={16} />} onClick={() => setEditing(a)} />
                          <RowAction
                            label={a.active ? t('common.deactivate', { ns: 'common' }) : t('common.activate', { ns: 'common' })}
                            ariaLabel={`${a.active ? t('common.deactivate', { ns: 'common' }) : t('common.activate', { ns: 'common' })}: ${a.name}`}
                            color={a.active ? 'red' : 'teal'}
                            icon={a.active ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                            onClick={() => toggle.mutate(a)}
                          />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ))}
      {editing && (
        <AccountForm
          account={editing}
          onClose={() => setEditing(null)}
          onSaved={async (saved, typed) => {
            const created = editing === 'new';
            setEditing(null);
            notifications.show({ color: 'teal', message: created ? t('common.created', { ns: 'common' }) : t('common.saved', { ns: 'common' }) });
            await refresh();
            // right after a create (or a warning), the setup panel: what to paste in the provider's console
            if (created || saved.warnings?.length) setSetup({ account: saved, typed });
          }}
        />
      )}
      {setup && <AccountSetup account={setup.account} typed={setup.typed} serviceNames={services.names} onClose={() => setSetup(null)} />}
    </Stack>
  );
}
