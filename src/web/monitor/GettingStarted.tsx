import { Anchor, Card, Code, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';

/**
 * Início with no service to watch: a fresh installation (an admin's first visit) or a supervisor of
 * no team. Says what to do next, with links, instead of a monitor of zeros.
 */
export function GettingStarted() {
  const { t } = useTranslation('monitor');
  const { me } = useSession();
  if (me.role !== 'admin') {
    return (
      <Card withBorder padding="lg" data-testid="getting-started">
        <Title order={2} size="h4">{t('monitor.start.noServicesTitle')}</Title>
        <Text c="dimmed" mt="xs">{t('monitor.start.supervisor')}</Text>
      </Card>
    );
  }
  return (
    <Card withBorder padding="lg" data-testid="getting-started">
      <Stack gap="sm">
        <Title order={2} size="h4">{t('monitor.start.title')}</Title>
        <Text>{t('monitor.start.intro')}</Text>
        <List type="ordered" spacing="xs">
          <List.Item>
            <Anchor component={Link} to="/admin/teams" fw={600}>{t('monitor.start.teams')}</Anchor> — {t('monitor.start.teamsHelp')}
          </List.Item>
          <List.Item>
            <Anchor component={Link} to="/admin/users" fw={600}>{t('monitor.start.users')}</Anchor> — {t('monitor.start.usersHelp')}
          </List.Item>
          <List.Item>
            <Anchor component={Link} to="/admin/services" fw={600}>{t('monitor.start.services')}</Anchor> — {t('monitor.start.servicesHelp')}
          </List.Item>
        </List>
        <Text c="dimmed" size="sm">
          {t('monitor.start.demo')} <Code>npm run demo</Code>
        </Text>
      </Stack>
    </Card>
  );
}
