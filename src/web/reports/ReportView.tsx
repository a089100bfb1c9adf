import { useCallback, useMemo } from 'react';
import { Alert, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ReportCatalogue } from '../../contracts/reports';
import { CHANNELS } from '../../contracts/common';
import { call, searchOf } from '../api';
import { ExportButtons } from '../lookback/ExportButtons';
import { LazyChart } from '../monitor/LazyChart';
import { EmptyState } from '../ui/EmptyState';
import { chartOption } from './chart-option';
import { formatLocalTime } from './format';
import { ReportFiltersBar } from './ReportFiltersBar';
import { ReportTable } from './ReportTable';
import type { ReportFilters } from './useReportFilters';

/** One report of the catalogue: its filters, then (once generated) the chart, the table, the notes and the downloads. */
export function ReportView({ entry, filters, generated, onApply }: {
  entry: ReportCatalogue[number]; filters: ReportFilters; generated: boolean; onApply(next: Partial<ReportFilters>): void;
}) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const query = {
    from: filters.from, to: filters.to,
    interval: entry.usesInterval && filters.interval ? filters.interval : undefined,
    serviceId: entry.filters.includes('serviceId') && filters.serviceId ? filters.serviceId : undefined,
    channel: entry.filters.includes('channel') && filters.channel ? filters.channel : undefined,
    teamId: entry.filters.includes('teamId') && filters.teamId ? filters.teamId : undefined,
    agentId: entry.filters.includes('agentId') && filters.agentId ? filters.agentId : undefined,
  };
  const search = searchOf(query);
  const report = useQuery({
    queryKey: ['reports', entry.id, search.toString(), lang],
    queryFn: () => call('getReportsById', { params: { id: entry.id }, query }),
    enabled: generated,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const r = report.data?.report === entry.id ? report.data : undefined;
  // channel codes in text columns read as the channel's name
  const cellText = useCallback((key: string, v: string) => (key === 'channel' && (CHANNELS as readonly string[]).includes(v) ? t(`channels.${v}`, { ns: 'common' }) : v), [t]);
  // the same options object while the result stands: the chart redraws only on a new result
  const option = useMemo(() => (r ? chartOption(r, lang, cellText) : null), [r, lang, cellText]);
  const apply = (next: Partial<ReportFilters>) => {
    // the same filters again: generate anew (Atualizar)
    const same = generated && Object.entries(next).every(([k, v]) => filters[k as keyof ReportFilters] === v);
    if (same) void report.refetch();
    else onApply(next);
  };
  const day = (d: string) => formatLocalTime(d, lang, 'day');

  return (
    <Stack gap="sm" data-testid="report-view" data-report={entry.id}>
      <div>
        <Title order={2} size="h3">{entry.title}</Title>
        <Text size="sm" c="dimmed">{entry.description}</Text>
      </div>
      <ReportFiltersBar entry={entry} filters={filters} onApply={apply} fetching={report.isFetching} generated={generated} />
      {!generated && <Text size="sm" c="dimmed">{t('reports.pick')}</Text>}
      {generated && report.isPending && <Loader size="sm" data-testid="report-loading" />}
      {report.isError && <Alert color="red" data-testid="report-error">{t('reports.result.failed', { error: report.error.message })}</Alert>}
      {r && (
        <Card withBorder padding="sm" data-testid="report-result" style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }}>
          <Group justify="space-between" mb="xs" wrap="wrap">
            <div>
              <Text fw={600}>{r.from === r.to ? t('reports.result.periodDay', { from: day(r.from) }) : t('reports.result.period', { from: day(r.from), to: day(r.to) })}
                {r.interval ? ` · ${t(`reports.intervals.${r.interval}`)}` : ''}</Text>
              <Text size="xs" c="dimmed">{t('reports.result.rows', { count: r.rowCount })} · {t('reports.result.generatedAt', { at: new Date(r.generatedAt).toLocaleString(lang, { timeZone: r.timezone }) })}</Text>
            </div>
            <ExportButtons query={search} path={`/api/reports/${entry.id}`} disabled={r.rows.length === 0} formats={['csv', 'xlsx', 'pdf']} />
          </Group>
          {r.rows.length === 0 ? (
            <EmptyState why={t('reports.result.empty')} todo={t('reports.result.emptyTodo')} testId="report-empty" />
          ) : (
            <Stack gap="sm">
              {option && <LazyChart option={option} height={300} label={t('reports.result.chart', { title: r.title })} testId="report-chart" />}
              <ReportTable result={r} cellText={cellText} />
            </Stack>
          )}
          {r.notes.length > 0 && (
            <List size="xs" c="dimmed" mt="sm" icon={<IconInfoCircle size={14} />} data-testid="report-notes">
              {r.notes.map((n) => <List.Item key={n}>{n}</List.Item>)}
            </List>
          )}
        </Card>
      )}
    </Stack>
  );
}
