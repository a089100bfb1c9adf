import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, SegmentedControl, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '../../contracts/common';
import { call } from '../api';
import { useSession } from '../auth/session';
import type { Language } from '../i18n';
import { Logo } from './Logo';
import { HeaderAlerts } from '../monitor/AlertsInbox';
import { formatDate } from './time';

export interface NavItem {
  to: string;
  label: string;
  roles: Role[];
  icon?: ReactNode;
  /** a live count beside the label (the e-mails waiting in the filter) */
  badge?: ReactNode;
}

export interface NavSection {
  label?: string;
  items: NavItem[];
}

function Clock() {
  const { settings } = useSession();
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(id);
  }, []);
  return <Text size="sm" c="dimmed" visibleFrom="sm">{formatDate(now, settings.timezone, i18n.language)}</Text>;
}

/** The frame of every screen: version, date and Sair on top (as in seed 1), the menu on the side. */
export function AppLayout({ sections }: { sections: NavSection[] }) {
  const { t, i18n } = useTranslation();
  const { me, logout, changeLanguage } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const version = useQuery({ queryKey: ['version'], queryFn: () => call('getVersion') });
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Logo />
            <Text fw={700} size="lg">{t('app.name')}</Text>
            {version.data && <Text size="xs" c="dimmed" visibleFrom="sm">{t('app.version', { version: version.data.version })}</Text>}
          </Group>
          <Group gap="md" wrap="nowrap">
            <Clock />
            {(me.role === 'admin' || me.role === 'supervisor') && <HeaderAlerts />}
            <SegmentedControl
              size="xs"
              value={i18n.language}
              onChange={(v) => void changeLanguage(v as Language)}
              data={[{ value: 'pt-BR', label: 'PT' }, { value: 'en', label: 'EN' }]}
              aria-label={t('common.language')}
            />
            <Tooltip label={`${t('nav.profile')} · ${t(`roles.${me.role}`)}`}>
              <Anchor component={RouterLink} to="/profile" size="sm" fw={500} c="dark" visibleFrom="sm" data-testid="current-user">{me.name}</Anchor>
            </Tooltip>
            <Button size="xs" variant="light" color="gray" onClick={() => void logout()}>{t('common.logout')}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {sections.map((s, i) => {
            const items = s.items.filter((it) => it.roles.includes(me.role));
            if (!items.length) return null;
            return (
              <div key={i}>
                {s.label && <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>{s.label}</Text>}
                {items.map((it) => (
                  <NavLink key={it.to} component={RouterLink} to={it.to} label={it.label} leftSection={it.icon} rightSection={it.badge} active={location.pathname === it.to || location.pathname.startsWith(`${it.to}/`)} />
                ))}
              </div>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
