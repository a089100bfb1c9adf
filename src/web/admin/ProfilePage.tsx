import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Group, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../contracts/common';
import { call, fieldErrors } from '../api';
import { useSession } from '../auth/session';
import { languageOptions, namesOf, useTeams } from './lookups';
import { SessionsCard } from './SessionsCard';
import { Tag } from './Tag';

function Info({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <div>{children}</div>
    </div>
  );
}

function TeamBadges({ names }: { names: string[] }) {
  const { t } = useTranslation('admin');
  if (!names.length) return <Text size="sm" c="dimmed">{t('profile.none')}</Text>;
  return <Group gap={4} mt={2}>{names.map((n) => <Tag key={n} name variant="outline" color="cyan">{n}</Tag>)}</Group>;
}

/** Meu perfil, for every role: who I am, my departments, my language, my password and my open sessions. */
export function ProfilePage() {
  const { t } = useTranslation('admin');
  const { me, changeLanguage } = useSession();
  const qc = useQueryClient();
  const teams = useTeams();
  const [name, setName] = useState(me.name);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pwError, setPwError] = useState<{ current?: string; next?: string; confirm?: string; general?: string }>({});

  const saveName = useMutation({
    mutationFn: () => call('patchAuthMe', { body: { name: name.trim() } }),
    onSuccess: (updated) => {
      qc.setQueryData(['me'], updated);
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });

  const language = useMutation({
    mutationFn: (lang: Language) => changeLanguage(lang),
    onSuccess: () => notifications.show({ color: 'teal', message: t('profile.languageSaved') }),
    onError: (e: Error) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });

  const password = useMutation({
    mutationFn: () => call('patchAuthMe', { body: { currentPassword: current, newPassword: next } }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      setPwError({});
      notifications.show({ color: 'teal', message: t('profile.passwordChanged') });
      // the other sessions ended with the old password
      void qc.invalidateQueries({ queryKey: ['/api/auth/sessions'] });
    },
    onError: (e: Error) => {
      const on = fieldErrors(e);
      if (on.currentPassword) setPwError({ current: t('profile.wrongPassword') });
      else if (on.newPassword) setPwError({ next: on.newPassword });
      else setPwError({ general: e.message });
    },
  });
  const submitPassword = () => {
    if (next.length < 8) return setPwError({ next: t('profile.tooShort') });
    if (next !== confirm) return setPwError({ confirm: t('profile.mismatch') });
    setPwError({});
    password.mutate();
  };

  const toggle = { 'aria-label': t('common.toggleVisibility') };
  const own = namesOf(me.teamIds, teams.names);
  const supervised = namesOf(me.supervisedTeamIds, teams.names);

  return (
    <Stack maw={960}>
      <div>
        <Title order={1} size="h2">{t('profile.title')}</Title>
        <Text c="dimmed" size="sm">{t('profile.description')}</Text>
      </div>
      <Card withBorder padding="md">
        <Title order={4} mb="sm">{t('profile.data')}</Title>
        <Stack>
          <form onSubmit={(e) => { e.preventDefault(); if (name.trim() && name.trim() !== me.name) saveName.mutate(); }}>
            <Group align="flex-end" wrap="wrap">
              <TextInput label={t('profile.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={120} style={{ flex: '1 1 240px' }} />
              <Button type="submit" variant="light" disabled={!name.trim() || name.trim() === me.name} loading={saveName.isPending}>{t('profile.saveName')}</Button>
            </Group>
          </form>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Info label={t('profile.email')}><Text size="sm">{me.email}</Text></Info>
            <Info label={t('profile.role')}><Text size="sm">{t(`roles.${me.role}`)}{me.agentEnabled && me.role !== 'agent' ? ` · ${t('profile.agent')}` : ''}</Text></Info>
            {(me.agentEnabled || own.length > 0) && <Info label={t('profile.teams')}><TeamBadges names={own} /></Info>}
            {(me.role === 'supervisor' || supervised.length > 0) && <Info label={t('profile.supervisedTeams')}><TeamBadges names={supervised} /></Info>}
          </SimpleGrid>
        </Stack>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} style={{ alignItems: 'start' }}>
        <Card withBorder padding="md">
          <Title order={4} mb="sm">{t('profile.preferences')}</Title>
          <Select
            label={t('profile.language')}
            description={t('profile.languageHelp')}
            data={languageOptions(t)}
            value={me.language}
            onChange={(v) => v && v !== me.language && language.mutate(v as Language)}
            allowDeselect={false}
          />
        </Card>
        <Card withBorder padding="md">
          <Title order={4} mb="sm">{t('profile.password')}</Title>
          <form onSubmit={(e) => { e.preventDefault(); submitPassword(); }}>
            <Stack gap="sm">
              {pwError.general && <Alert color="red" role="alert">{pwError.general}</Alert>}
              <PasswordInput visibilityToggleButtonProps={toggle} label={t('profile.currentPassword')} value={current} onChange={(e) => setCurrent(e.currentTarget.value)} required autoComplete="current-password" error={pwError.current} />
              <PasswordInput visibilityToggleButtonProps={toggle} label={t('profile.newPassword')} description={t('profile.newPasswordHelp')} value={next} onChange={(e) => setNext(e.currentTarget.value)} required autoComplete="new-password" error={pwError.next} />
              <PasswordInput visibilityToggleButtonProps={toggle} label={t('profile.confirmPassword')} value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} required autoComplete="new-password" error={pwError.confirm} />
              <Group justify="flex-end">
                <Button type="submit" loading={password.isPending} disabled={!current || !next || !confirm}>{t('profile.changePassword')}</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      </SimpleGrid>
      <SessionsCard />
    </Stack>
  );
}
