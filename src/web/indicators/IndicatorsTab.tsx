import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { IndicatorTable } from '../../contracts/indicators';
import { call, fieldErrors, searchOf } from '../api';
import { useSession } from '../auth/session';
import { ExportButtons } from '../lookback/ExportButtons';
import type { LiveFilter } from '../monitor/live';
import { DateField } from '../ui/DateField';
import { EmptyState } from '../ui/EmptyState';
import { OmniConversations } from './OmniConversations';
import { DaySummaryTable, StatusTable, SummaryTable } from './SummaryTables';

// Início → Indicadores (seed: OmniMonitor → Aba Indicadores): the seed's six tables over the
// conversations that ended in a period. Serviço and Canal are the page's filters (the seed applies
// them to every tab of Início); the period starts at the page's Período and may span days.

/** A table with its title and its CSV / XLSX downloads. */
function Section({ title, table, query, children }: { title: string; table: IndicatorTable | 'conversations'; query: URLSearchParams; children: ReactNode }) {
  const download = new URLSearchParams(query);
  if (table !== 'conversations') download.set('table', table);
  return (
    <Card withBorder padding="sm" data-testid={`indicators-section-${table}`}>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">{title}</Title>
        <ExportButtons query={download} path={table === 'conversations' ? '/api/indicators/conversations' : '/api/indicators'} />
      </Group>
      {children}
    </Card>
  );
}

export function IndicatorsTab({ filter }: { filter: LiveFilter }) {
  const { t } = useTranslation('indicators');
  const { settings } = useSession();
  const [draft, setDraft] = useState({ from: filter.date, to: filter.date });
  const [period, setPeriod] = useState(draft);
  // a new Período on top of the page starts the tab's period over
  const [seenDate, setSeenDate] = useState(filter.date);
  if (seenDate !== filter.date) {
    setSeenDate(filter.date);
    setDraft({ from: filter.date, to: filter.date });
    setPeriod({ from: filter.date, to: filter.date });
  }
  const params = { from: period.from, to: period.to, serviceId: filter.serviceId ?? undefined, channel: filter.channel ?? undefined };
  const query = searchOf(params);
  const report = useQuery({
    queryKey: ['indicators', query.toString()],
    queryFn: () => call('getIndicators', { query: params }),
    retry: false,
  });
  const errors = report.isError ? fieldErrors(report.error) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from === period.from && draft.to === period.to) void report.refetch();
    else setPeriod(draft);
  };
  const r = report.data;

  return (
    <Stack gap="sm" data-testid="indicators-tab">
      <Card withBorder padding="sm" component="form" onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <DateField label={t('indicators.from')} value={draft.from} max={draft.to || undefined} onChange={(from) => setDraft((d) => ({ ...d, from }))} error={errors.from} w={170} data-testid="indicators-from" />
          <DateField label={t('indicators.to')} value={draft.to} min={draft.from || undefined} onChange={(to) => setDraft((d) => ({ ...d, to }))} error={errors.to} w={170} data-testid="indicators-to" />
          <Button type="submit" variant="light" leftSection={<IconRefresh size={16} />} loading={report.isFetching} data-testid="indicators-apply">{t('indicators.apply')}</Button>
        </Group>
        <Text size="xs" c="dimmed" mt={6}>{t('indicators.scope', { tz: settings.timezone })}</Text>
      </Card>
      {report.isPending && <Loader size="sm" />}
      {report.isError && <Alert color="red">{t('indicators.failed', { error: report.error.message })}</Alert>}
      {r && r.byStatus.total === 0 && <EmptyState why={t('indicators.empty')} todo={t('indicators.emptyTodo')} testId="indicators-empty" />}
      {r && r.byStatus.total > 0 && (
        <>
          <Section title={t('indicators.tables.byService')} table="byService" query={query}>
            <SummaryTable table={r.byService} kind="service" testId="indicators-byService" label={t('indicators.tables.byService')} />
          </Section>
          <Section title={t('indicators.tables.byChannel')} table="byChannel" query={query}>
            <SummaryTable table={r.byChannel} kind="channel" testId="indicators-byChannel" label={t('indicators.tables.byChannel')} />
          </Section>
          <Section title={t('indicators.tables.byAgent')} table="byAgent" query={query}>
            <SummaryTable table={r.byAgent} kind="agent" testId="indicators-byAgent" label={t('indicators.tables.byAgent')} />
          </Section>
          <Section title={t('indicators.tables.byStatus')} table="byStatus" query={query}>
            <StatusTable status={r.byStatus} label={t('indicators.tables.byStatus')} />
          </Section>
          <Section title={t('indicators.tables.conversations')} table="conversations" query={query}>
            <OmniConversations query={params} timeZone={r.timezone} label={t('indicators.tables.conversations')} />
          </Section>
          <Section title={t('indicators.tables.daySummary')} table="daySummary" query={query}>
            <DaySummaryTable rows={r.daySummary} timeZone={r.timezone} label={t('indicators.tables.daySummary')} />
          </Section>
        </>
      )}
    </Stack>
  );
}
