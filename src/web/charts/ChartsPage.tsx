import { useMemo, useState } from 'react';
import { Card, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../contracts/common';
import type { ReportInterval } from '../../contracts/reports';
import { useSession } from '../auth/session';
import { CHANNEL_ORDER } from '../monitor/channels';
import { dayKey } from '../monitor/format';
import { useServices } from '../monitor/useMonitor';
import { DateField } from '../ui/DateField';
import { PageHeader } from '../ui/PageHeader';
import { ChannelsPanel, DetailedMetricsPanel, MetricsPanel, type ChartFilters } from './ChartPanels';

// Análise da Operação → Gráficos (seed: Dashboard Omnichannel → Gráficos): three charts over one
// Período, Serviço and Canal; the two Métricas charts each pick their agents. Each chart saves its
// data as CSV and refreshes on its own (Atualizar).

type Preset = 'today' | 'yesterday' | 'last7' | 'month' | 'last30' | 'custom';
const PRESETS: Preset[] = ['today', 'yesterday', 'last7', 'month', 'last30', 'custom'];
const INTERVALS: ReportInterval[] = ['15m', '30m', 'hour', 'day', 'week', 'month'];

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A preset's days, from today in the contact center's time zone. */
function presetDays(p: Preset, today: string): { from: string; to: string } | null {
  switch (p) {
    case 'today': return { from: today, to: today };
    case 'yesterday': return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7': return { from: addDays(today, -6), to: today };
    case 'month': return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last30': return { from: addDays(today, -29), to: today };
    default: return null;
  }
}

export function ChartsPage() {
  const { t } = useTranslation('charts');
  const { settings } = useSession();
  const today = useMemo(() => dayKey(Date.now(), settings.timezone), [settings.timezone]);
  const [preset, setPreset] = useState<Preset>('today');
  const [period, setPeriod] = useState({ from: today, to: today });
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [channel, setChannel] = useState<Channel | null>(null);
  const [interval, setInterval] = useState<ReportInterval | null>(null);
  const { services } = useServices();
  const channels = useMemo(() => CHANNEL_ORDER.filter((c) => services.some((s) => s.channel === c)), [services]);

  const pick = (p: Preset) => {
    setPreset(p);
    const days = presetDays(p, today);
    if (days) setPeriod(days);
  };
  const filters: ChartFilters = {
    from: period.from, to: period.to, serviceId: serviceId ?? undefined, channel: channel ?? undefined, interval: interval ?? undefined,
  };
  const ready = !!period.from && !!period.to && period.from <= period.to;

  return (
    <Stack gap="md" data-testid="charts-page">
      <PageHeader title={t('charts.title')} description={t('charts.subtitle', { tz: settings.timezone })} />
      <Card withBorder padding="sm">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('charts.period')} value={preset} onChange={(v) => pick((v as Preset) ?? 'today')} allowDeselect={false} w={170}
            data={PRESETS.map((p) => ({ value: p, label: t(`charts.presets.${p}`) }))} data-testid="charts-preset"
          />
          <DateField label={t('charts.from')} value={period.from} max={period.to || undefined} w={150} data-testid="charts-from"
            onChange={(from) => { setPreset('custom'); setPeriod((d) => ({ ...d, from })); }} />
          <DateField label={t('charts.to')} value={period.to} min={period.from || undefined} w={150} data-testid="charts-to"
            onChange={(to) => { setPreset('custom'); setPeriod((d) => ({ ...d, to })); }} />
          <Select
            label={t('charts.service')} placeholder={t('charts.allServices')} value={serviceId} onChange={setServiceId} clearable searchable w={240}
            data={services.map((s) => ({ value: s.id, label: s.name }))} data-testid="charts-service"
          />
          <Select
            label={t('charts.channel')} placeholder={t('charts.allChannels')} value={channel} onChange={(v) => setChannel(v as Channel | null)} clearable w={180}
            data={channels.map((c) => ({ value: c, label: t(`channels.${c}`) }))} data-testid="charts-channel"
          />
          <Select
            label={t('charts.interval')} placeholder={t('charts.intervals.auto')} value={interval} onChange={(v) => setInterval(v as ReportInterval | null)} clearable w={150}
            data={INTERVALS.map((i) => ({ value: i, label: t(`charts.intervals.${i}`) }))} data-testid="charts-interval"
          />
        </Group>
      </Card>
      {!ready && <Text c="red" size="sm">{t('charts.empty')}</Text>}
      {ready && (
        <>
          <ChannelsPanel filters={filters} />
          <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
            <MetricsPanel filters={filters} />
            <DetailedMetricsPanel filters={filters} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
