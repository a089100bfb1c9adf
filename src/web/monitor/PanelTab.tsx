import { useMemo, type ReactNode } from 'react';
import { Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { useActions } from './actions';
import { CHANNEL_ORDER, ChannelIcon } from './channels';
import { seconds, useNow } from './format';
import { countAgents, interaction, type Interaction } from './live';
import classes from './monitor.module.css';
import { useLive } from './useLive';

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Group gap={6} mb="xs" wrap="nowrap">
        <Text fw={700} size="sm">{title}</Text>
        {help && (
          <Tooltip label={help} withArrow multiline w={300}>
            <IconInfoCircle size={15} color="var(--mantine-color-gray-6)" aria-label={help} />
          </Tooltip>
        )}
      </Group>
      {children}
    </Card>
  );
}

function Figure({ label, value, color, onClick, testId }: { label: string; value: ReactNode; color?: string; onClick?: () => void; testId: string }) {
  const inner = (
    <>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={28} fw={700} c={color} className={classes.num} lh={1.15} style={{ whiteSpace: 'nowrap' }} data-testid={`${testId}-value`}>{value}</Text>
    </>
  );
  return onClick ? (
    <button type="button" className={classes.countButton} style={{ display: 'block' }} onClick={onClick} data-testid={testId}>{inner}</button>
  ) : (
    <div style={{ padding: '6px 8px' }} data-testid={testId}>{inner}</div>
  );
}

/** Painel: seed 2's Tempo Real and Atendimentos do dia. */
export function PanelTab() {
  const { t } = useTranslation('monitor');
  const live = useLive();
  const actions = useActions();
  const now = useNow(1000);
  const { state, tz, settings, counts, agents } = live;
  const n = settings.noInteractionMinutes;
  const figures = state.figures;
  const inter = useMemo(() => interaction(state.conversations.values(), state.filter, tz, now, n), [state.conversations, state.version, state.filter, tz, now, n]);
  const agentCounts = useMemo(() => countAgents(agents), [agents]);
  const offline = agents.length - agentCounts.total;

  const openList = (key: keyof Interaction, title: string) =>
    actions.openList({
      title,
      variant: 'interaction',
      select: (s, at, serviceId) => {
        const list: ConversationView[] = interaction(s.conversations.values(), s.filter, tz, at, n)[key];
        return serviceId ? list.filter((c) => c.serviceId === serviceId) : list;
      },
    });

  const tma = figures?.panel.tmaSeconds ?? null;
  const goal = figures?.panel.tmaGoalSeconds ?? null;
  const byChannel = figures ? CHANNEL_ORDER.map((c) => ({ c, total: figures.dayByChannel.find((x) => x.channel === c)?.total ?? 0 })).filter((x) => x.total > 0) : [];

  return (
    <Stack gap="lg">
      <div>
        <Title order={3} mb="sm">{t('monitor.panel.realtime')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Section title={t('monitor.panel.waiting')} help={t('monitor.panel.waitingHelp')}>
            <SimpleGrid cols={2} spacing={4}>
              <Figure label={t('monitor.panel.fromCustomers')} value={inter.waitingCustomer.length} testId="panel-waiting-customer"
                onClick={() => openList('waitingCustomer', `${t('monitor.panel.waiting')} · ${t('monitor.panel.fromCustomers')}`)} />
              <Figure label={t('monitor.panel.fromAgents')} value={inter.waitingAgent.length} testId="panel-waiting-agent"
                onClick={() => openList('waitingAgent', `${t('monitor.panel.waiting')} · ${t('monitor.panel.fromAgents')}`)} />
            </SimpleGrid>
          </Section>
          <Section title={t('monitor.panel.silent', { n })} help={t('monitor.panel.silentHelp', { n })}>
            <SimpleGrid cols={2} spacing={4}>
              <Figure label={t('monitor.panel.fromCustomers')} value={inter.silentCustomer.length} color={inter.silentCustomer.length ? 'red.7' : undefined} testId="panel-silent-customer"
                onClick={() => openList('silentCustomer', `${t('monitor.panel.silent', { n })} · ${t('monitor.panel.fromCustomers')}`)} />
              <Figure label={t('monitor.panel.fromAgents')} value={inter.silentAgent.length} color={inter.silentAgent.length ? 'orange.7' : undefined} testId="panel-silent-agent"
                onClick={() => openList('silentAgent', `${t('monitor.panel.silent', { n })} · ${t('monitor.panel.fromAgents')}`)} />
            </SimpleGrid>
          </Section>
          <Section title={t('monitor.panel.agents')}>
            <SimpleGrid cols={3} spacing={4}>
              <Figure label={t('monitor.panel.online')} value={agentCounts.total} color="teal.8" testId="panel-online" />
              <Figure label={t('monitor.panel.offline')} value={offline} color="gray.6" testId="panel-offline" />
              <Figure label={t('monitor.panel.attending')} value={agentCounts.inService} color="blue.7" testId="panel-attending" />
            </SimpleGrid>
          </Section>
          <Section title={t('monitor.panel.handling')} help={t('monitor.panel.tmaHelp')}>
            <SimpleGrid cols={2} spacing={4}>
              <Figure label={t('monitor.panel.tma')} value={figures ? seconds(tma) : '—'} color={tma !== null && goal !== null ? (tma > goal ? 'red.7' : 'teal.8') : undefined} testId="panel-tma" />
              <Figure label={t('monitor.panel.goal')} value={figures ? seconds(goal) : '—'} testId="panel-goal" />
            </SimpleGrid>
          </Section>
        </SimpleGrid>
      </div>
      <div>
        <Title order={3} mb="sm">{t('monitor.panel.day')}</Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Section title={t('monitor.panel.summary')}>
            <SimpleGrid cols={3} spacing={4}>
              <Figure label={t('monitor.panel.inService')} value={counts.totals.inService} color="blue.7" testId="panel-day-inService" />
              <Figure label={t('monitor.panel.queued')} value={counts.totals.queued} color="orange.7" testId="panel-day-queued" />
              <Figure label={t('monitor.panel.completed')} value={figures ? figures.panel.dayCompleted : '—'} color="teal.8" testId="panel-day-completed" />
            </SimpleGrid>
          </Section>
          <Section title={t('monitor.panel.channels')}>
            {!figures ? (
              <Text size="sm" c="dimmed">{t('monitor.figures.waiting')}</Text>
            ) : byChannel.length === 0 ? (
              <Text size="sm" c="dimmed">{t('monitor.panel.noneToday')}</Text>
            ) : (
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                {byChannel.map(({ c, total }) => (
                  <Group key={c} gap="xs" wrap="nowrap" data-testid={`panel-channel-${c}`}>
                    <ChannelIcon channel={c} size={30} />
                    <div>
                      <Text size="xs" c="dimmed">{t(`channels.${c}`)}</Text>
                      <Text fw={700} fz={22} className={classes.num} lh={1.1}>{total}</Text>
                    </div>
                  </Group>
                ))}
              </SimpleGrid>
            )}
          </Section>
        </SimpleGrid>
      </div>
    </Stack>
  );
}
