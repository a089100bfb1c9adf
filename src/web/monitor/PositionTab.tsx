import { useMemo } from 'react';
import { useMediaQuery } from '@mantine/hooks';
import { Card, Center, Grid, Group, SimpleGrid, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconInfoCircle, IconStack2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Channel } from '../../contracts/common';
import type { EChartsCoreOption } from 'echarts/core';
import type { MonitorSnapshot } from '../../contracts/monitor';
import { EmptyState } from '../ui/EmptyState';
import { useSession } from '../auth/session';
import { useActions, type ListSpec } from './actions';
import { CHANNEL_LOOK, CHANNEL_ORDER, ChannelIcon } from './channels';
import { LazyChart } from './LazyChart';
import { conversationsIn, countAgents, type Bucket, type Counts } from './live';
import classes from './monitor.module.css';
import { useLive } from './useLive';

/** The list behind a count of Posição Geral (channel null: every channel). */
export function positionList(t: TFunction, tz: string, bucket: Bucket | null, channel: Channel | null): ListSpec {
  const label = bucket ? t(`monitor.states.${bucket}`) : t('monitor.states.total');
  return {
    title: t('monitor.list.title', { label, scope: channel ? t(`channels.${channel}`) : t('monitor.position.allChannels') }),
    variant: 'position',
    select: (s, _now, serviceId) => conversationsIn(s.conversations.values(), s.filter, tz, { bucket, channel, serviceId }),
  };
}

function CountLine({ label, value, onClick, testId }: { label: string; value: number; onClick(): void; testId: string }) {
  const { t } = useTranslation('monitor');
  return (
    <button type="button" className={classes.countButton} onClick={onClick} title={t('monitor.position.open', { label })} data-testid={testId}>
      <Text size="sm" c="dimmed">{label}</Text>
      <span className={classes.countValue} data-testid={`${testId}-value`}>{value}</span>
    </button>
  );
}

function ChannelCard({ channel, counts, showTriage }: { channel: Channel | null; counts: Counts; showTriage: boolean }) {
  const { t } = useTranslation('monitor');
  const tz = useSession().settings.timezone;
  const actions = useActions();
  const key = channel ?? 'all';
  const open = (b: Bucket | null) => actions.openList(positionList(t, tz, b, channel));
  return (
    <Card withBorder radius="md" padding="sm" data-testid={`position-${key}`} style={channel ? { borderTop: `4px solid ${CHANNEL_LOOK[channel].hex}` } : { borderTop: '4px solid var(--mantine-color-dark-6)' }}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          {channel ? <ChannelIcon channel={channel} /> : <ThemeIcon variant="filled" color="dark" radius="xl" size={28}><IconStack2 size={17} /></ThemeIcon>}
          <Text fw={700}>{channel ? t(`channels.${channel}`) : t('monitor.position.allChannels')}</Text>
        </Group>
        <button type="button" className={classes.cellButton} onClick={() => open(null)} title={t('monitor.position.open', { label: t('monitor.states.total') })} data-testid={`position-${key}-total`}>
          <Text span size="sm" c="dimmed" fw={400}>{t('monitor.states.total')} </Text>
          <Text span fw={700} data-testid={`position-${key}-total-value`}>{counts.total}</Text>
        </button>
      </Group>
      <Stack gap={0}>
        <CountLine label={t('monitor.states.queued')} value={counts.queued} onClick={() => open('queued')} testId={`position-${key}-queued`} />
        <CountLine label={t('monitor.states.bot')} value={counts.bot} onClick={() => open('bot')} testId={`position-${key}-bot`} />
        <CountLine label={t('monitor.states.inService')} value={counts.inService} onClick={() => open('inService')} testId={`position-${key}-inService`} />
        {showTriage && <CountLine label={t('monitor.states.triage')} value={counts.triage} onClick={() => open('triage')} testId={`position-${key}-triage`} />}
      </Stack>
    </Card>
  );
}

const ZERO: Counts = { queued: 0, bot: 0, inService: 0, triage: 0, total: 0 };

/** On a phone the channel cards become one compact table: a row per channel, the total last. */
function PositionTable({ channels, byChannel, totals }: { channels: Channel[]; byChannel: Map<Channel, Counts>; totals: Counts }) {
  const { t } = useTranslation('monitor');
  const tz = useSession().settings.timezone;
  const actions = useActions();
  const buckets: (Bucket | null)[] = ['queued', 'bot', 'inService', null];
  const row = (channel: Channel | null, c: Counts) => (
    <Table.Tr key={channel ?? 'all'} fw={channel ? undefined : 700} data-testid={`position-row-${channel ?? 'all'}`}>
      <Table.Td>
        {channel ? (
          <Group gap={6} wrap="nowrap">
            <ChannelIcon channel={channel} size={22} />
            <Text size="sm">{t(`channels.${channel}`)}</Text>
          </Group>
        ) : t('monitor.position.allChannels')}
      </Table.Td>
      {buckets.map((b) => {
        const v = b ? c[b] : c.total;
        return (
          <Table.Td key={b ?? 'total'} ta="right">
            <button type="button" className={classes.cellButton} data-zero={v === 0 || undefined} onClick={() => actions.openList(positionList(t, tz, b, channel))}>{v}</button>
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
  return (
    <Card withBorder radius="md" padding={0}>
      <Table verticalSpacing={6} horizontalSpacing={6} fz="sm" data-testid="position-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th ta="right">{t('monitor.position.short.queued')}</Table.Th>
            <Table.Th ta="right">{t('monitor.position.short.bot')}</Table.Th>
            <Table.Th ta="right">{t('monitor.position.short.inService')}</Table.Th>
            <Table.Th ta="right">{t('monitor.states.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {channels.map((ch) => row(ch, byChannel.get(ch) ?? ZERO))}
          {row(null, totals)}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** Finished conversations per hour, one stacked colour per channel, legend below (Monitoramento do Dia). */
export function hourlyOption(t: TFunction, figures: MonitorSnapshot): EChartsCoreOption {
  const channels = CHANNEL_ORDER.filter((c) => figures.hourly.some((h) => h.channel === c && h.finished > 0));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return {
    title: channels.length
      ? []
      : [{ text: t('monitor.position.noFinished'), left: 'center', top: 'middle', textStyle: { color: '#868e96', fontSize: 14, fontWeight: 'normal' } }],
    grid: { left: 36, right: 12, top: 16, bottom: 56 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, type: 'scroll' },
    xAxis: { type: 'category', data: hours.map((h) => t('monitor.position.hour', { hour: String(h).padStart(2, '0') })) },
    yAxis: { type: 'value', minInterval: 1 },
    series: channels.map((c) => ({
      id: c,
      name: t(`channels.${c}`),
      type: 'bar',
      stack: 'finished',
      itemStyle: { color: CHANNEL_LOOK[c].hex },
      emphasis: { focus: 'series' },
      data: hours.map((h) => figures.hourly.find((x) => x.hour === h && x.channel === c)?.finished ?? 0),
    })),
  };
}

export function FiguresPending({ height }: { height: number }) {
  const { t } = useTranslation('monitor');
  return (
    <Center h={height}>
      <Text size="sm" c="dimmed" ta="center" maw={360}>{t('monitor.figures.waiting')}</Text>
    </Center>
  );
}

/** Posição Geral: the channels' cards, Monitoramento do Dia and the agents table (seed 1). */
export function PositionTab() {
  const { t } = useTranslation('monitor');
  const live = useLive();
  const { me } = useSession();
  const phone = useMediaQuery('(max-width: 36em)');
  const { counts, channels, state, allAgents, agents, teams } = live;
  const figures = state.figures;
  const general = useMemo(() => countAgents(allAgents), [allAgents]);
  const filtered = useMemo(() => (teams ? countAgents(agents) : general), [teams, agents, general]);
  const option = useMemo(() => (figures ? hourlyOption(t, figures) : null), [figures, t]);
  const rows: { key: keyof typeof general; label: string }[] = [
    { key: 'available', label: t('monitor.position.free') },
    { key: 'paused', label: t('monitor.position.paused') },
    { key: 'inService', label: t('monitor.position.inService') },
    { key: 'total', label: t('monitor.position.total') },
  ];

  return (
    <Stack gap="md">
      {channels.length === 0 && live.servicesLoaded && (
        <EmptyState
          why={t('monitor.position.noChannels')}
          todo={me.role === 'admin' ? t('monitor.position.noChannelsAdmin') : t('monitor.position.noChannelsSupervisor')}
          link={me.role === 'admin' ? { to: '/admin/services', label: t('monitor.position.openServices') } : undefined}
        />
      )}
      {phone ? (
        <PositionTable channels={channels} byChannel={counts.byChannel} totals={counts.totals} />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }} spacing="sm">
          <ChannelCard channel={null} counts={counts.totals} showTriage={counts.totals.triage > 0 || channels.includes('email')} />
          {channels.map((ch) => (
            <ChannelCard key={ch} channel={ch} counts={counts.byChannel.get(ch) ?? ZERO} showTriage={ch === 'email'} />
          ))}
        </SimpleGrid>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder radius="md" padding="sm" h="100%">
            <Group gap={6} mb="xs">
              <Title order={4}>{t('monitor.position.dayChart')}</Title>
              <Tooltip label={t('monitor.position.dayChartHelp')} withArrow multiline w={260}>
                <IconInfoCircle size={16} color="var(--mantine-color-gray-6)" aria-label={t('monitor.position.dayChartHelp')} />
              </Tooltip>
            </Group>
            {option ? <LazyChart option={option} height={300} label={t('monitor.position.dayChartHelp')} testId="hourly-chart" /> : <FiguresPending height={300} />}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder radius="md" padding="sm" h="100%">
            <Title order={4} mb="xs">{t('monitor.position.agentsTable')}</Title>
            <Table verticalSpacing={8} fz="md" data-testid="agents-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th ta="right">
                    <Tooltip label={t('monitor.position.generalHelp')} withArrow multiline w={240}><span>{t('monitor.position.general')}</span></Tooltip>
                  </Table.Th>
                  <Table.Th ta="right">
                    <Tooltip label={t('monitor.position.serviceFilterHelp')} withArrow multiline w={260}><span>{t('monitor.position.serviceFilter')}</span></Tooltip>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.key} fw={r.key === 'total' ? 700 : undefined} data-testid={`agents-${r.key}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.label}</Table.Td>
                    <Table.Td ta="right" className={classes.num} data-testid={`agents-${r.key}-general`}>{general[r.key]}</Table.Td>
                    <Table.Td ta="right" className={classes.num} data-testid={`agents-${r.key}-filtered`}>{filtered[r.key]}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
