import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, MultiSelect, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconLink, IconLinkOff, IconSearch } from '@tabler/icons-react';
import type { User } from '../../contracts/admin';
import { call, type Body } from '../api';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage, useList } from '../ui/ResourcePage';
import { namesOf, pickOptions, useTeams } from './lookups';
import { Tag } from './Tag';

const refreshApi = (qc: ReturnType<typeof useQueryClient>) =>
  qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/') });

const normalize = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** "Vincular": tick collaborators (active users not yet agents) and ATIVAR AGENTES. */
function LinkAgentsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const users = useList<User>('Users', { active: true });
  const teams = useTeams();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const candidates = useMemo(() => (users.data ?? []).filter((u) => !u.agentEnabled), [users.data]);
  const shown = useMemo(() => {
    const n = normalize(q.trim());
    return n ? candidates.filter((u) => normalize(`${u.name} ${u.email}`).includes(n)) : candidates;
  }, [candidates, q]);

  const close = () => {
    setQ('');
    setSelected([]);
    setTeamIds([]);
    setError(null);
    onClose();
  };
  const activate = useMutation({
    mutationFn: async () => {
      for (const id of selected) {
        const u = candidates.find((c) => c.id === id)!;
        const body: Body<'patchUsersById'> = { agentEnabled: true };
        if (teamIds.length) body.teamIds = [...new Set([...u.teamIds, ...teamIds])];
        await call('patchUsersById', { params: { id }, body });
      }
    },
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('agents.activated', { count: selected.length }) });
      await refreshApi(qc);
      close();
    },
    onError: async (e: Error) => {
      setError(e.message);
      await refreshApi(qc);
    },
  });

  return (
    <Modal opened={opened} onClose={close} title={t('agents.modalTitle')} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">{t('agents.modalHelp')}</Text>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <TextInput
          label={t('agents.searchCollaborators')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-autofocus
        />
        <ScrollArea.Autosize mah={320} type="auto">
          <Stack gap={6} data-testid="collaborators">
            {shown.map((u) => (
              <Checkbox
                key={u.id}
                checked={selected.includes(u.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setSelected((s) => (on ? [...s, u.id] : s.filter((x) => x !== u.id)));
                }}
                label={<Text size="sm" span>{u.name} <Text span c="dimmed" size="xs">{u.email}</Text></Text>}
                aria-label={u.name}
              />
            ))}
            {users.isSuccess && !candidates.length && <Text c="dimmed" size="sm">{t('agents.none')}</Text>}
            {users.isSuccess && candidates.length > 0 && !shown.length && <Text c="dimmed" size="sm">{t('agents.noMatch')}</Text>}
          </Stack>
        </ScrollArea.Autosize>
        <MultiSelect
          label={t('agents.teams')}
          description={t('agents.teamsHelp')}
          data={pickOptions(teams.items, (x) => x.name, (x) => x.omniEnabled)}
          value={teamIds}
          onChange={setTeamIds}
          searchable
          clearable
        />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{t('agents.selected', { count: selected.length })}</Text>
          <Group>
            <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
            <Button onClick={() => activate.mutate()} disabled={!selected.length} loading={activate.isPending}>{t('agents.activate')}</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Agentes (seed 2): the users linked as omnichannel agents; Vincular adds, Desvincular removes. */
export function AgentsPage() {
  const { t } = useTranslation('admin');
  const { me } = useSession();
  const qc = useQueryClient();
  const teams = useTeams();
  const [linking, setLinking] = useState(false);
  const isAdmin = me.role === 'admin';
  const unlink = useMutation({
    mutationFn: (u: User) => call('patchUsersById', { params: { id: u.id }, body: { agentEnabled: false } }),
    onSuccess: async (u) => {
      notifications.show({ color: 'teal', message: t('agents.unlinked', { name: u.name }) });
      await refreshApi(qc);
    },
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });
  return (
    <>
      <ResourcePage<User>
        resource="Users"
        title={t('agents.title')}
        description={t('agents.description')}
        filter={(u) => u.agentEnabled}
        allow={{ create: false, edit: false, toggleActive: false }}
        columns={[
          { key: 'name', label: t('common.name'), render: (u) => <Text size="sm" fw={500}>{u.name}</Text> },
          { key: 'email', label: t('users.email'), render: (u) => u.email },
          {
            key: 'teams',
            label: t('users.teams'),
            render: (u) => {
              const names = namesOf(u.teamIds, teams.names);
              return names.length ? <Group gap={4}>{names.map((n) => <Tag key={n} name variant="outline" color="cyan">{n}</Tag>)}</Group> : '—';
            },
          },
        ]}
        headerExtra={isAdmin && <Button leftSection={<IconLink size={16} />} onClick={() => setLinking(true)}>{t('agents.link')}</Button>}
        extraActions={isAdmin ? (u) => (
          <RowAction label={t('agents.unlink')} ariaLabel={`${t('agents.unlink')} ${u.name}`} color="red" icon={<IconLinkOff size={16} />} onClick={() => unlink.mutate(u)} loading={unlink.isPending && unlink.variables?.id === u.id} />
        ) : undefined}
      />
      {isAdmin && <LinkAgentsModal opened={linking} onClose={() => setLinking(false)} />}
    </>
  );
}
