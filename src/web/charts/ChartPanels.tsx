import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Group, MultiSelect, SegmentedControl, Text, Title, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../contracts/admin';
import type { Channel } from '../../contracts/common';
import type { ReportInterval } from '../../contracts/reports';
import { call, searchOf } from '../api';
import { ExportButtons } from '../lookback/ExportButtons';
import { CHANNEL_LOOK } from '../monitor/channels';
import { LazyChart } from '../monitor/LazyChart';
import { useList } from '../ui/ResourcePage';
import { channelsOption, detailedOption, metricsOption, METRIC_KEYS, num, type MetricKey } from './chart-options';

// Gráficos' three panels: each reads its route with the page's filters (and its own agents), draws
// its chart, saves its data as CSV (the same route with format=csv) and refreshes on "Atualizar".

export interface ChartFilters {
  from: string;
  to: string;
  serviceId?: string;
  channel?: Channel;
  interval?: ReportInterval;
}

function Panel({ id, title, help, query, path, refresh, fetching, children, tools }: {
  id: string; title: string; help: string; query: URLSearchParams; path: string; refresh(): void; fetching: boolean; children: ReactNode; tools?: ReactNode;
}) {
  const { t } = useTranslation('charts');
  return (
    <Card withBorder radius="md" padding="sm" data-testid={`charts-panel-${id}`}>
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <Group gap={6}>
          <Title order={2} size="h4">{title}</Title>
          <Tooltip label={help} withArrow multiline w={300}>
            <IconInfoCircle size={16} color="var(--mantine-color-gray-6)" aria-label={help} />
          </Tooltip>
        </Group>
        <Group gap="xs" wrap="wrap">
          <ExportButtons query={query} path={path} formats={['csv']} labels={{ csv: t('charts.saveCsv') }} />
          <Button size="xs" variant="light" leftSection={<IconRefresh size={16} />} loading={fetching} onClick={refresh} data-testid="charts-refresh">
            {t('charts.refresh')}
          </Button>
        </Group>
      </Group>
      {tools}
      {children}
    </Card>
  );
}

/** The agents the caller may pick (their scope: a supervisor's teams' agents). */
function AgentPicker({ value, onChange, testId }: { value: string[]; onChange(v: string[]): void; testId: string }) {
  const { t } = useTranslation('charts');
  const users = useList<User>('Users', { active: true });
  const data = useMemo(() => (users.data ?? []).filter((u) => u.agentEnabled).map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'pt-BR')), [users.data]);
  return (
    <MultiSelect
      label={t('charts.agents')} placeholder={value.length ? undefined : t('charts.allAgents')} data={data} value={value} onChange={onChange}
      searchable clearable maxValues={9} w={{ base: '100%', sm: 420 }} mb="xs" comboboxProps={{ withinPortal: true }} data-testid={testId}
    />
  );
}

const Failed = ({ error }: { error: Error }) => {
  const { t } = useTranslation('charts');
  return <Alert color="red">{t('charts.failed', { error: error.message })}</Alert>;
};

export function ChannelsPanel({ filters }: { filters: ChartFilters }) {
  const { t, i18n } = useTranslation('charts');
  const q = useQuery({ queryKey: ['charts', 'channels', filters], queryFn: () => call('getChartsChannels', { query: filters }), placeholderData: keepPreviousData, retry: false });
  const option = useMemo(() => (q.data ? channelsOption(t, q.data, i18n.language) : null), [q.data, t, i18n.language]);
  const totals = useMemo(() => (q.data?.channels ?? []).map((c) => ({ c, n: q.data!.rows.filter((r) => r.channel === c).reduce((a, r) => a + r.received, 0) })), [q.data]);
  return (
    <Panel id="channels" title={t('charts.channelsChart.title')} help={t('charts.channelsChart.help')} query={searchOf(filters)} path="/api/charts/channels"
      refresh={() => void q.refetch()} fetching={q.isFetching}>
      {q.isError && <Failed error={q.error} />}
      {option && <LazyChart option={option} height={320} label={t('charts.channelsChart.help')} testId="chart-channels" />}
      {totals.length > 0 && (
        <Group gap="md" mt={4} justify="center" aria-label={t('charts.channelsChart.legend')} data-testid="charts-channel-legend">
          {totals.map(({ c, n }) => (
            <Group key={c} gap={6} wrap="nowrap" data-testid="charts-legend-item" data-channel={c}>
              <span style={{ width: 12, height: 12, borderRadius: 3, background: CHANNEL_LOOK[c].hex, display: 'inline-block' }} />
              <Text size="sm">{t(`channels.${c}`)}</Text>
              <Text size="sm" c="dimmed">{t('charts.channelsChart.received')}: {num(n, i18n.language, 0)}</Text>
            </Group>
          ))}
        </Group>
      )}
    </Panel>
  );
}

export function MetricsPanel({ filters }: { filters: ChartFilters }) {
  const { t, i18n } = useTranslation('charts');
  const [agentId, setAgentId] = useState<string[]>([]);
  const { interval: _i, ...rest } = filters;
  const query = { ...rest, agentId: agentId.length ? agentId : undefined };
  const q = useQuery({ queryKey: ['charts', 'metrics', query], queryFn: () => call('getChartsMetrics', { query }), placeholderData: keepPreviousData, retry: false });
  const option = useMemo(() => (q.data ? metricsOption(t, q.data, i18n.language) : null), [q.data, t, i18n.language]);
  return (
    <Panel id="metrics" title={t('charts.metricsChart.title')} help={t('charts.metricsChart.help')} query={searchOf(query)} path="/api/charts/metrics"
      refresh={() => void q.refetch()} fetching={q.isFetching} tools={<AgentPicker value={agentId} onChange={setAgentId} testId="charts-metrics-agents" />}>
      {q.isError && <Failed error={q.error} />}
      {option && <LazyChart option={option} height={340} label={t('charts.metricsChart.help')} testId="chart-metrics" />}
    </Panel>
  );
}

export function DetailedMetricsPanel({ filters }: { filters: ChartFilters }) {
  const { t, i18n } = useTranslation('charts');
  const [agentId, setAgentId] = useState<string[]>([]);
  const [metric, setMetric] = useState<MetricKey>('answered');
  const query = { ...filters, agentId: agentId.length ? agentId : undefined };
  const q = useQuery({ queryKey: ['charts', 'detailed', query], queryFn: () => call('getChartsMetricsDetailed', { query }), placeholderData: keepPreviousData, retry: false });
  const option = useMemo(() => (q.data ? detailedOption(t, q.data, metric, i18n.language) : null), [q.data, metric, t, i18n.language]);
  const tools = (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <AgentPicker value={agentId} onChange={setAgentId} testId="charts-detailed-agents" />
      <div>
        <Text size="sm" fw={500} mb={2}>{t('charts.detailedChart.metric')}</Text>
        <SegmentedControl
          size="xs" mb="xs" value={metric} onChange={(v) => setMetric(v as MetricKey)} data-testid="charts-detailed-metric"
          data={METRIC_KEYS.map((k) => ({ value: k, label: <Tooltip label={t(`charts.figureHelp.${k}`)} withArrow multiline w={260}><span>{t(`charts.figures.${k}`)}</span></Tooltip> }))}
        />
      </div>
    </Group>
  );
  return (
    <Panel id="metrics-detailed" title={t('charts.detailedChart.title')} help={t('charts.detailedChart.help')} query={searchOf(query)} path="/api/charts/metrics/detailed"
      refresh={() => void q.refetch()} fetching={q.isFetching} tools={tools}>
      {q.isError && <Failed error={q.error} />}
      {option && <LazyChart option={option} height={340} label={t('charts.detailedChart.help')} testId="chart-metrics-detailed" />}
    </Panel>
  );
}
