import { useMemo } from 'react';
import { Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { EChartsCoreOption } from 'echarts/core';
import type { MonitorSnapshot, ServiceFigures } from '../../contracts/monitor';
import { useActions } from './actions';
import { CHANNEL_LOOK, CHANNEL_ORDER, ChannelLabel } from './channels';
import { clock, percent, seconds, useNow } from './format';
import { LazyChart } from './LazyChart';
import { conversationsIn, longestWaits, type Bucket, type Counts } from './live';
import classes from './monitor.module.css';
import { FiguresPending } from './PositionTab';
import { useLive } from './useLive';

const ZERO: Counts = { queued: 0, bot: 0, inService: 0, triage: 0, total: 0 };

/** A column title with its definition (metrics.md) in a tooltip. */
export function HelpTh({ label, help, right = true }: { label: string; help: string; right?: boolean }) {
  return (
    <Table.Th ta={right ? 'right' : undefined}>
      <Tooltip label={help} withArrow multiline w={300}>
        <Group gap={3} wrap="nowrap" justify={right ? 'flex-end' : undefined} style={{ cursor: 'help' }}>
          <span>{label}</span>
          <IconInfoCircle size={13} color="var(--mantine-color-gray-5)" aria-hidden />
        </Group>
      </Tooltip>
    </Table.Th>
  );
}

/** ok / warn / bad against a target: service level (higher is better). */
export function nsLevel(ns: number | null, target: number): 'ok' | 'warn' | 'bad' | undefined {
  if (ns === null) return undefined;
  return ns >= target ? 'ok' : ns >= target - 10 ? 'warn' : 'bad';
}

const LEVEL_COLOR = { ok: 'teal.8', warn: 'yellow.8', bad: 'red.7' } as const;

export function pieOption(t: TFunction, figures: MonitorSnapshot): EChartsCoreOption {
  const data = CHANNEL_ORDER.map((c) => ({ c, total: figures.dayByChannel.find((x) => x.channel === c)?.total ?? 0 })).filter((x) => x.total > 0);
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        id: 'day',
        type: 'pie',
        radius: ['38%', '70%'],
        center: ['50%', '45%'],
        label: { formatter: '{c}' },
        data: data.map((x) => ({ name: t(`channels.${x.c}`), value: x.total, itemStyle: { color: CHANNEL_LOOK[x.c].hex } })),
      },
    ],
  };
}

/** Serviços: per service, the live counts (seed 1) and the day's NS, TME, Maior espera, abandono and TMA vs Meta. */
export function ServicesTab() {
  const { t, i18n } = useTranslation('monitor');
  const live = useLive();
  const actions = useActions();
  const now = useNow(1000);
  const { counts, servicesInView, state, tz, settings } = live;
  const figures = state.figures;
  const figuresBy = useMemo(() => new Map<string, ServiceFigures>((figures?.services ?? []).map((s) => [s.serviceId, s])), [figures]);
  const oldest = useMemo(() => longestWaits(state.conversations.values(), state.filter, tz), [state.conversations, state.version, state.filter, tz]);
  const pie = useMemo(() => (figures ? pieOption(t, figures) : null), [figures, t]);
  const target = settings.serviceLevel.targetPercent;
  const lang = i18n.language;

  const open = (bucket: Bucket | null, serviceId: string, name: string) =>
    actions.openList({
      title: t('monitor.list.title', { label: bucket ? t(`monitor.services.${bucket === 'inService' ? 'inService' : bucket}`) : t('monitor.services.total'), scope: name }),
      variant: 'services',
      serviceId,
      select: (s, _now, chosen) => conversationsIn(s.conversations.values(), s.filter, tz, { bucket, serviceId: chosen }),
    });

  const cell = (value: number, bucket: Bucket | null, serviceId: string, name: string, testId: string) => (
    <Table.Td ta="right">
      <button type="button" className={classes.cellButton} data-zero={value === 0 || undefined} onClick={() => open(bucket, serviceId, name)} data-testid={testId}>
        {value}
      </button>
    </Table.Td>
  );

  const totals = servicesInView.reduce(
    (acc, s) => {
      const c = counts.byService.get(s.id) ?? ZERO;
      return { bot: acc.bot + c.bot, queued: acc.queued + c.queued, inService: acc.inService + c.inService, total: acc.total + c.total };
    },
    { bot: 0, queued: 0, inService: 0, total: 0 },
  );

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding={0}>
        <Table.ScrollContainer minWidth={960} type="native">
          <Table striped highlightOnHover verticalSpacing={8} horizontalSpacing="xs" fz="sm" data-testid="services-table">
            <Table.Thead style={{ fontSize: 'var(--mantine-font-size-xs)' }}>
              <Table.Tr>
                <Table.Th>{t('monitor.services.channel')}</Table.Th>
                <Table.Th>{t('monitor.services.service')}</Table.Th>
                <HelpTh label={t('monitor.services.bot')} help={t('monitor.services.help.bot')} />
                <HelpTh label={t('monitor.services.queued')} help={t('monitor.services.help.queued')} />
                <HelpTh label={t('monitor.services.inService')} help={t('monitor.services.help.inService')} />
                <HelpTh label={t('monitor.services.total')} help={t('monitor.services.help.total')} />
                <HelpTh label={`${t('monitor.services.ns')} (${t('monitor.services.target', { value: `${target}%` })})`} help={t('monitor.services.help.ns')} />
                <HelpTh label={t('monitor.services.tme')} help={t('monitor.services.help.tme')} />
                <HelpTh label={t('monitor.services.longest')} help={t('monitor.services.help.longest')} />
                <HelpTh label={t('monitor.services.abandonment')} help={t('monitor.services.help.abandonment')} />
                <HelpTh label={`${t('monitor.services.tma')} / ${t('monitor.services.goal')}`} help={t('monitor.services.help.tma')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {servicesInView.map((s) => {
                const c = counts.byService.get(s.id) ?? ZERO;
                const f = figuresBy.get(s.id);
                const since = oldest.get(s.id);
                const wait = since === undefined ? null : now - since;
                const ns = f?.serviceLevel ?? null;
                const level = nsLevel(ns, target);
                const tma = f?.tmaSeconds ?? null;
                const goal = f?.tmaGoalSeconds ?? s.tmaGoalSeconds;
                return (
                  <Table.Tr key={s.id} data-testid="service-row" data-service={s.name}>
                    <Table.Td><ChannelLabel channel={s.channel} /></Table.Td>
                    <Table.Td fw={500}>{s.name}</Table.Td>
                    {cell(c.bot, 'bot', s.id, s.name, 'service-bot')}
                    {cell(c.queued, 'queued', s.id, s.name, 'service-queued')}
                    {cell(c.inService, 'inService', s.id, s.name, 'service-inService')}
                    {cell(c.total, null, s.id, s.name, 'service-total')}
                    <Table.Td ta="right">
                      <Text size="sm" fw={600} c={level ? LEVEL_COLOR[level] : 'dimmed'} className={classes.num}>{percent(ns, lang)}</Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>≤ {seconds(f?.serviceLevelTargetSeconds ?? s.serviceLevelSeconds)}</Text>
                    </Table.Td>
                    <Table.Td ta="right" className={classes.num} style={{ whiteSpace: 'nowrap' }}>{seconds(f?.tmeSeconds)}</Table.Td>
                    <Table.Td ta="right" className={classes.num}>
                      <Text size="sm" ff="monospace" c={wait === null ? 'dimmed' : wait > s.serviceLevelSeconds * 1000 ? 'red.7' : undefined} fw={wait !== null && wait > s.serviceLevelSeconds * 1000 ? 700 : undefined} data-testid="service-longest">
                        {wait === null ? '—' : clock(wait)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" className={classes.num}>{percent(f?.abandonmentRate, lang)}</Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" className={classes.num} fw={600} c={tma === null ? 'dimmed' : tma > goal ? 'red.7' : 'teal.8'} style={{ whiteSpace: 'nowrap' }}>{seconds(tma)}</Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{t('monitor.services.goal')} {seconds(goal)}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              {servicesInView.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={11}><Text c="dimmed" ta="center" py="md">{t('monitor.services.empty')}</Text></Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
            {servicesInView.length > 1 && (
              <Table.Tfoot>
                <Table.Tr fw={700} data-testid="services-total">
                  <Table.Td colSpan={2}>{t('monitor.services.total')}</Table.Td>
                  <Table.Td ta="right" className={classes.num}>{totals.bot}</Table.Td>
                  <Table.Td ta="right" className={classes.num}>{totals.queued}</Table.Td>
                  <Table.Td ta="right" className={classes.num}>{totals.inService}</Table.Td>
                  <Table.Td ta="right" className={classes.num}>{totals.total}</Table.Td>
                  <Table.Td colSpan={5} />
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder radius="md" padding="sm" maw={640}>
        <Group gap={6} mb="xs">
          <Title order={4}>{t('monitor.services.pie')}</Title>
          <Tooltip label={t('monitor.services.pieHelp')} withArrow>
            <IconInfoCircle size={16} color="var(--mantine-color-gray-6)" aria-label={t('monitor.services.pieHelp')} />
          </Tooltip>
        </Group>
        {!pie ? (
          <FiguresPending height={300} />
        ) : figures?.dayByChannel.some((x) => x.total > 0) ? (
          <LazyChart option={pie} height={300} label={t('monitor.services.pieHelp')} testId="day-pie" />
        ) : (
          <Text c="dimmed" ta="center" py="xl" data-testid="day-pie-empty">{t('monitor.panel.noneToday')}</Text>
        )}
      </Card>
    </Stack>
  );
}
