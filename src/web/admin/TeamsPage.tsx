import { useMemo, useState } from 'react';
import { Alert, Autocomplete, Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconLink, IconLinkOff } from '@tabler/icons-react';
import type { Team } from '../../contracts/admin';
import { call } from '../api';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage } from '../ui/ResourcePage';
import { namesOf, pickOptions, useTeams, useUsers, withChosen } from './lookups';

const refreshApi = (qc: ReturnType<typeof useQueryClient>) =>
  qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/') });

/** "Vincular": pick a team that is not omnichannel yet (or name a new one), set the limits, ATIVAR DEPARTAMENTO. */
function LinkTeamModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const teams = useTeams();
  const [name, setName] = useState('');
  const [maxChat, setMaxChat] = useState<number | string>(3);
  const [maxEmail, setMaxEmail] = useState<number | string>(5);
  const [error, setError] = useState<string | null>(null);
  const candidates = useMemo(() => teams.items.filter((x) => !x.omniEnabled || !x.active), [teams.items]);
  const typed = name.trim();
  const match = teams.items.find((x) => x.name.toLowerCase() === typed.toLowerCase());
  const alreadyOmni = !!match && match.omniEnabled && match.active;

  const close = () => {
    setName('');
    setMaxChat(3);
    setMaxEmail(5);
    setError(null);
    onClose();
  };
  const activate = useMutation({
    mutationFn: () => {
      const limits = { maxChat: Number(maxChat), maxEmail: Number(maxEmail) };
      return match
        ? call('patchTeamsById', { params: { id: match.id }, body: { omniEnabled: true, active: true, ...limits } })
        : call('postTeams', { body: { name: typed, omniEnabled: true, ...limits } });
    },
    onSuccess: async (team) => {
      notifications.show({ color: 'teal', message: t('teams.activated', { name: team.name }) });
      await refreshApi(qc);
      close();
    },
    onError: (e: Error) => setError(e.message),
  });

  return (
    <Modal opened={opened} onClose={close} title={t('teams.modalTitle')} size="md">
      <form onSubmit={(e) => { e.preventDefault(); if (typed && !alreadyOmni) activate.mutate(); }}>
        <Stack>
          <Text size="sm" c="dimmed">{t('teams.modalHelp')}</Text>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <Autocomplete
            label={t('teams.team')}
            placeholder={t('teams.teamPlaceholder')}
            data={[...new Set(candidates.map((x) => x.name))]}
            value={name}
            onChange={setName}
            required
            data-autofocus
            error={alreadyOmni ? t('teams.alreadyOmni') : undefined}
            description={typed && !alreadyOmni ? (match ? t('teams.existingTeam') : t('teams.newTeam', { name: typed })) : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          <div>
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <NumberInput label={t('teams.maxChatShort')} min={1} max={100} allowDecimal={false} value={maxChat} onChange={setMaxChat} required />
              <NumberInput label={t('teams.maxEmailShort')} min={1} max={100} allowDecimal={false} value={maxEmail} onChange={setMaxEmail} required />
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt={4}>{t('teams.maxHelp')}</Text>
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
            <Button type="submit" disabled={!typed || alreadyOmni} loading={activate.isPending}>{t('teams.activate')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Departamentos (seed 2): the teams linked as omnichannel departments, with the capacity per agent. */
export function TeamsPage() {
  const { t } = useTranslation('admin');
  const { me } = useSession();
  const qc = useQueryClient();
  const users = useUsers();
  const [linking, setLinking] = useState(false);
  const isAdmin = me.role === 'admin';
  const agentOptions = pickOptions(users.items, (u) => `${u.name} (${u.email})`, (u) => u.agentEnabled);
  const supervisorOptions = pickOptions(users.items, (u) => `${u.name} (${u.email})`, (u) => u.role !== 'agent');
  const unlink = useMutation({
    mutationFn: (team: Team) => call('patchTeamsById', { params: { id: team.id }, body: { omniEnabled: false } }),
    onSuccess: async (team) => {
      notifications.show({ color: 'teal', message: t('teams.unlinked', { name: team.name }) });
      await refreshApi(qc);
    },
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });
  return (
    <>
      <ResourcePage<Team>
        resource="Teams"
        title={t('teams.title')}
        description={t('teams.description')}
        formTitles={{ create: t('teams.modalTitle'), edit: t('teams.edit') }}
        filter={(x) => x.omniEnabled}
        allow={{ create: false, toggleActive: false }}
        columns={[
          { key: 'name', label: t('common.name'), render: (x) => <Text size="sm" fw={500}>{x.name}</Text> },
          { key: 'maxChat', label: t('teams.maxChatShort'), render: (x) => x.maxChat },
          { key: 'maxEmail', label: t('teams.maxEmailShort'), render: (x) => x.maxEmail },
          { key: 'agents', label: t('teams.agents'), render: (x) => x.agentIds.length },
          { key: 'supervisors', label: t('teams.supervisors'), render: (x) => namesOf(x.supervisorIds, users.names).join(', ') || '—' },
        ]}
        fields={[
          { name: 'name', label: t('common.name'), type: 'text', required: true },
          { name: 'maxChat', label: t('teams.maxChat'), type: 'number', required: true, min: 1, max: 100, description: t('teams.maxHelp') },
          { name: 'maxEmail', label: t('teams.maxEmail'), type: 'number', required: true, min: 1, max: 100 },
          {
            name: 'agentIds',
            label: t('teams.agents'),
            description: t('teams.agentsHelp'),
            type: 'multiselect',
            options: (form) => withChosen(agentOptions, form.agentIds as string[], users.names),
          },
          {
            name: 'supervisorIds',
            label: t('teams.supervisors'),
            description: t('teams.supervisorsHelp'),
            type: 'multiselect',
            options: (form) => withChosen(supervisorOptions, form.supervisorIds as string[], users.names),
          },
        ]}
        headerExtra={isAdmin && <Button leftSection={<IconLink size={16} />} onClick={() => setLinking(true)}>{t('teams.link')}</Button>}
        extraActions={isAdmin ? (x) => (
          <RowAction label={t('teams.unlink')} ariaLabel={`${t('teams.unlink')} ${x.name}`} color="red" icon={<IconLinkOff size={16} />} onClick={() => unlink.mutate(x)} loading={unlink.isPending && unlink.variables?.id === x.id} />
        ) : undefined}
      />
      {isAdmin && <LinkTeamModal opened={linking} onClose={() => setLinking(false)} />}
    </>
  );
}
