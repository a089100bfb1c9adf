import { Alert, Grid, Loader, NavLink, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconCalendarTime, IconReportAnalytics } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { call } from '../api';
import { EmptyState } from '../ui/EmptyState';
import { ReportView } from './ReportView';
import { SchedulesPanel } from './SchedulesPanel';
import { useReportFilters } from './useReportFilters';

// Relatórios (seed: OmniMonitor → Relatórios, "detalhe e resumo dos atendimentos de todos os
// canais"): the catalogue on the left, the chosen report on the right, drawn from the columns the
// server describes (any report of the catalogue, none known here); Agendamentos beside it.

export function ReportsPage() {
  const { t, i18n } = useTranslation('reports');
  const { filters, apply } = useReportFilters();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'schedules' ? 'schedules' : 'reports';
  const catalogue = useQuery({ queryKey: ['reports', 'catalogue', i18n.language], queryFn: () => call('getReports'), staleTime: 5 * 60_000 });
  const list = catalogue.data ?? [];
  const entry = list.find((r) => r.id === filters.report) ?? null;
  // the report runs once its period is in the URL (Gerar puts it there; a shared link has it)
  const generated = params.has('from');

  return (
    <Stack gap="sm" data-testid="reports-page">
      <div>
        <Title order={1} size="h2">{t('reports.title')}</Title>
        <Text size="sm" c="dimmed">{t('reports.subtitle')}</Text>
      </div>
      <Tabs value={tab} onChange={(v) => setParams((p) => { const o = new URLSearchParams(p); if (v === 'schedules') o.set('tab', 'schedules'); else o.delete('tab'); return o; })} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="reports" leftSection={<IconReportAnalytics size={16} />}>{t('reports.title')}</Tabs.Tab>
          <Tabs.Tab value="schedules" leftSection={<IconCalendarTime size={16} />} data-testid="reports-tab-schedules">{t('reports.schedules.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="reports">
          {catalogue.isPending && <Loader size="sm" />}
          {catalogue.isError && <Alert color="red">{catalogue.error.message}</Alert>}
          {catalogue.isSuccess && list.length === 0 && <EmptyState why={t('reports.catalogueEmpty')} testId="reports-catalogue-empty" />}
          {list.length > 0 && (
            <Grid>
              <Grid.Col span={{ base: 12, md: 3 }}>
                <Paper withBorder radius="md" p={4} data-testid="reports-catalogue" aria-label={t('reports.catalogue')}>
                  {list.map((r) => (
                    <NavLink
                      key={r.id} active={r.id === entry?.id} label={r.title} description={r.description}
                      onClick={() => apply({ report: r.id })} data-testid="reports-catalogue-entry" data-report={r.id}
                      styles={{ description: { whiteSpace: 'normal' } }}
                    />
                  ))}
                </Paper>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 9 }}>
                {entry ? (
                  <ReportView key={entry.id} entry={entry} filters={filters} generated={generated} onApply={apply} />
                ) : (
                  <EmptyState why={t('reports.pick')} testId="reports-pick" />
                )}
              </Grid.Col>
            </Grid>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="schedules">
          <SchedulesPanel catalogue={list} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
