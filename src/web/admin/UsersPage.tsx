import { Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLogout } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Tag } from './Tag';
import { useTranslation } from 'react-i18next';
import type { User } from '../../contracts/admin';
import { call } from '../api';
import { useSession } from '../auth/session';
import { RowAction } from '../ui/RowAction';
import { ResourcePage } from '../ui/ResourcePage';
import { useConfirm } from './bot-flow/confirm';
import { languageOptions, namesOf, pickOptions, roleOptions, useTeams, withChosen } from './lookups';

const ROLE_COLORS = { admin: 'grape', supervisor: 'blue', agent: 'gray' } as const;

/** Usuários: everyone who signs in. Supervisors see their teams' people, read-only. */
export function UsersPage() {
  const { t } = useTranslation('admin');
  const teams = useTeams();
  const teamOptions = pickOptions(teams.items, (x) => x.name, (x) => x.omniEnabled);
  const { me } = useSession();
  const confirm = useConfirm();
  // a lost laptop, a leaver: every session of the user ends, on every node, and the audit says who did it
  const endSessions = useMutation({
    mutationFn: (u: User) => call('postUsersByIdEndSessions', { params: { id: u.id } }),
    onSuccess: (r, u) => notifications.show({ color: 'teal', message: t('users.sessionsEnded', { count: r.ended, name: u.name }) }),
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });
  const askEndSessions = (u: User) =>
    confirm.ask({
      title: t('users.endSessionsTitle', { name: u.name }),
      message: t('users.endSessionsConfirm', { name: u.name }),
      confirm: t('users.endSessions'),
      cancel: t('common.cancel'),
      danger: true,
      onConfirm: () => endSessions.mutate(u),
    });
  return (
    <>
      <ResourcePage<User>
        resource="Users"
        title={t('users.title')}
        description={t('users.description')}
        formTitles={{ create: t('users.create'), edit: t('users.edit') }}
        columns={[
          { key: 'name', label: t('common.name'), render: (u) => <Text size="sm" fw={500}>{u.name}</Text> },
          { key: 'email', label: t('users.email'), render: (u) => u.email },
          { key: 'role', label: t('users.role'), render: (u) => <Tag color={ROLE_COLORS[u.role]}>{t(`roles.${u.role}`)}</Tag> },
          {
            key: 'teams',
            label: t('users.teams'),
            render: (u) => {
              const own = namesOf(u.teamIds, teams.names);
              const supervised = namesOf(u.supervisedTeamIds, teams.names);
              if (!own.length && !supervised.length) return '—';
              return (
                <Group gap={4}>
                  {own.map((n) => <Tag key={`a${n}`} name variant="outline" color="cyan">{n}</Tag>)}
                  {supervised.map((n) => <Tag key={`s${n}`} name variant="outline" color="blue" title={t('users.supervisedTeamIds')}>{`${n} · ${t('roles.supervisor')}`}</Tag>)}
                </Group>
              );
            },
          },
          { key: 'agent', label: t('users.agentShort'), render: (u) => (u.agentEnabled ? t('common.yes') : t('common.no')) },
        ]}
        fields={[
          { name: 'name', label: t('common.name'), type: 'text', required: true },
          { name: 'email', label: t('users.email'), type: 'email', required: true, autoComplete: 'off' },
          { name: 'role', label: t('users.role'), type: 'select', required: true, options: roleOptions(t) },
          { name: 'language', label: t('users.language'), type: 'select', options: languageOptions(t) },
          { name: 'agentEnabled', label: t('users.agentEnabled'), type: 'boolean', description: t('users.agentEnabledHelp') },
          // admins always hold it: the field is shown for the other roles only
          { name: 'privacyOfficer', label: t('users.privacyOfficer'), type: 'boolean', description: t('users.privacyOfficerHelp'), visible: (form) => form.role !== 'admin' },
          {
            name: 'teamIds',
            label: t('users.teamIds'),
            description: t('users.teamIdsHelp'),
            type: 'multiselect',
            options: (form) => withChosen(teamOptions, form.teamIds as string[], teams.names),
            visible: (form) => Boolean(form.agentEnabled),
          },
          {
            name: 'supervisedTeamIds',
            label: t('users.supervisedTeamIds'),
            description: t('users.supervisedTeamIdsHelp'),
            type: 'multiselect',
            options: (form) => withChosen(teamOptions, form.supervisedTeamIds as string[], teams.names),
            visible: (form) => form.role !== 'agent',
          },
          {
            name: 'password',
            label: t('users.password'),
            type: 'password',
            required: true,
            optionalOnEdit: true,
            description: t('users.passwordHelpCreate'),
            editDescription: t('users.passwordHelpEdit'),
          },
        ]}
        toForm={(u) => ({ ...u, password: '' })}
        toBody={(body, { isNew, form }) => {
          // an agent supervises nothing: the field is hidden, so clear what was there
          if (!isNew && form.role === 'agent') body.supervisedTeamIds = [];
          return body;
        }}
        defaults={{ role: 'agent', language: 'pt-BR', agentEnabled: true, privacyOfficer: false, teamIds: [], supervisedTeamIds: [] }}
        extraActions={me.role === 'admin' ? (u) => u.id !== me.id && u.active && (
          <RowAction label={t('users.endSessions')} ariaLabel={`${t('users.endSessions')}: ${u.name}`} color="orange" icon={<IconLogout size={16} />} onClick={() => askEndSessions(u)} loading={endSessions.isPending && endSessions.variables?.id === u.id} />
        ) : undefined}
      />
      {confirm.element}
    </>
  );
}
