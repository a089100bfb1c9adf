import { useState, type FormEvent } from 'react';
import { Button, Group, Paper, Select, Text } from '@mantine/core';
import { IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, type Channel } from '../../contracts/common';
import { REPORT_INTERVALS, type ReportCatalogue } from '../../contracts/reports';
import { useSession } from '../auth/session';
import { useAgentOptions } from '../lookback/useLookback';
import { useServices, useTeamNames } from '../monitor/useMonitor';
import { DateField } from '../ui/DateField';
import { PRESETS, presetPeriod } from './period';
import { useToday, type ReportFilters } from './useReportFilters';

type Entry = ReportCatalogue[number];

/**
 * Período (with presets), Intervalo (reports by interval only) and the filters the report lists
 * (Serviço, Canal, Departamento, Agente). Edited here; "Gerar" puts them in the URL.
 */
export function ReportFiltersBar({ entry, filters, onApply, fetching, generated }: {
  entry: Entry; filters: ReportFilters; onApply(next: Partial<ReportFilters>): void; fetching: boolean; generated: boolean;
}) {
  const { t } = useTranslation('reports');
  const { settings } = useSession();
  const today = useToday();
  const [draft, setDraft] = useState(filters);
  const [seen, setSeen] = useState(filters);
  // a new URL (a pasted link, back, another report) replaces what was being edited
  if (seen !== filters) {
    setSeen(filters);
    setDraft(filters);
  }
  const set = (patch: Partial<ReportFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const { services } = useServices();
  const teams = useTeamNames();
  const agents = useAgentOptions();
  const has = (f: Entry['filters'][number]) => entry.filters.includes(f);
  const any = t('reports.filters.any');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const activePreset = PRESETS.find((p) => {
    const r = presetPeriod(p, today);
    return r.from === draft.from && r.to === draft.to;
  });

  return (
    <Paper withBorder radius="md" p="sm" component="form" onSubmit={submit} data-testid="report-filters">
      <Group gap={6} mb="xs" wrap="wrap">
        <Text size="sm" fw={600} mr={4}>{t('reports.filters.period')}</Text>
        {PRESETS.map((p) => (
          <Button key={p} size="compact-xs" radius="xl" variant={activePreset === p ? 'filled' : 'light'} aria-pressed={activePreset === p}
            onClick={() => set(presetPeriod(p, today))} data-testid={`report-preset-${p}`}>
            {t(`reports.presets.${p}`)}
          </Button>
        ))}
      </Group>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <DateField label={t('reports.filters.from')} value={draft.from} max={draft.to || undefined} onChange={(from) => set({ from })} w={150} data-testid="report-from" />
        <DateField label={t('reports.filters.to')} value={draft.to} min={draft.from || undefined} onChange={(to) => set({ to })} w={150} data-testid="report-to" />
        {entry.usesInterval && (
          <Select
            label={t('reports.filters.interval')} w={130} placeholder={t(`reports.intervals.${draft.from === draft.to ? 'hour' : 'day'}`)}
            data={REPORT_INTERVALS.map((i) => ({ value: i, label: t(`reports.intervals.${i}`) }))}
            value={draft.interval || null} onChange={(v) => set({ interval: (v ?? '') as ReportFilters['interval'] })} clearable data-testid="report-interval"
          />
        )}
        {has('serviceId') && (
          <Select label={t('reports.filters.service')} w={200} placeholder={any} data={services.map((s) => ({ value: s.id, label: s.name }))}
            value={draft.serviceId || null} onChange={(v) => set({ serviceId: v ?? '' })} searchable clearable data-testid="report-service" />
        )}
        {has('channel') && (
          <Select label={t('reports.filters.channel')} w={170} placeholder={any} data={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`, { ns: 'common' }) }))}
            value={draft.channel || null} onChange={(v) => set({ channel: (v ?? '') as Channel | '' })} clearable data-testid="report-channel" />
        )}
        {has('teamId') && (
          <Select label={t('reports.filters.team')} w={190} placeholder={any} data={[...teams].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label))}
            value={draft.teamId || null} onChange={(v) => set({ teamId: v ?? '' })} searchable clearable data-testid="report-team" />
        )}
        {has('agentId') && (
          <Select label={t('reports.filters.agent')} w={200} placeholder={any} data={agents}
            value={draft.agentId || null} onChange={(v) => set({ agentId: v ?? '' })} searchable clearable data-testid="report-agent" />
        )}
        <Button type="submit" leftSection={generated ? <IconRefresh size={16} /> : <IconPlayerPlay size={16} />} loading={fetching} data-testid="report-generate">
          {generated ? t('reports.filters.refresh') : t('reports.filters.generate')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={6}>{t('reports.filters.timezone', { tz: settings.timezone })}</Text>
    </Paper>
  );
}
