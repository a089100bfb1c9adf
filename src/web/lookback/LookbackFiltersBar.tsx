import { useState, type FormEvent } from 'react';
import { Button, Group, MultiSelect, Paper, SimpleGrid, Text, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LookbackView } from '../../contracts/lookback';
import { FINISHED_STATES, OPEN_STATES, type ConversationState } from '../../shared/states';
import { DateField } from '../ui/DateField';
import { useClassificationsById, useServices } from '../monitor/useMonitor';
import { useAgentOptions, type LookbackFilters } from './useLookback';

/** The seed's statuses of each tab (Consultas → Status); Histórico takes them all. */
const STATES_OF: Record<LookbackView, readonly ConversationState[]> = {
  chat: ['bot', 'in_service', 'queued', 'completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service'],
  messaging: ['bot', 'in_service', 'queued', 'completed', 'cancelled', 'customer_gave_up', 'connection_lost', 'inactive_in_service'],
  email: ['triage', 'in_service', 'queued', 'completed', 'cancelled', 'connection_lost', 'discarded'],
  all: [...OPEN_STATES, ...FINISHED_STATES],
};

/**
 * Período, Protocolo, Status and the "Opções de filtro" (Serviço, Nome ou Número de Origem,
 * Classificação, Responsável). Edited here, applied to the URL by Consultar.
 */
export function LookbackFiltersBar({ view, filters, onApply, serviceChannels }: {
  view: LookbackView;
  filters: LookbackFilters;
  onApply(next: Partial<LookbackFilters>): void;
  /** the channels whose services the Serviço list offers */
  serviceChannels: readonly string[] | null;
}) {
  const { t } = useTranslation('lookback');
  const [draft, setDraft] = useState(filters);
  const [appliedFrom, setAppliedFrom] = useState(filters);
  // a new URL (a pasted link, a tab change, back) replaces what was being edited
  if (appliedFrom !== filters) {
    setAppliedFrom(filters);
    setDraft(filters);
  }
  const { services } = useServices();
  const classifications = useClassificationsById();
  const agents = useAgentOptions();
  const set = (patch: Partial<LookbackFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const states = STATES_OF[view];
  const statusData = [
    { group: t('lookback.filters.open'), items: states.filter((s) => (OPEN_STATES as readonly string[]).includes(s)).map((s) => ({ value: s, label: t(`lookback.states.${s}`) })) },
    { group: t('lookback.filters.finished'), items: states.filter((s) => (FINISHED_STATES as readonly string[]).includes(s)).map((s) => ({ value: s, label: t(`lookback.states.${s}`) })) },
  ];
  const serviceData = services.filter((s) => !serviceChannels || serviceChannels.includes(s.channel)).map((s) => ({ value: s.id, label: s.name }));
  const classificationData = [...classifications.values()].map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ ...draft, states: draft.states.filter((s) => states.includes(s)) });
  };
  const clear = () => onApply({ protocol: '', origin: '', states: [], serviceIds: [], classificationIds: [], agentIds: [] });

  return (
    <Paper withBorder radius="md" p="sm" mb="sm" component="form" onSubmit={submit} data-testid="lookback-filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
        <DateField label={t('lookback.filters.from')} value={draft.from} onChange={(from) => set({ from })} max={draft.to || undefined} data-testid="filter-from" />
        <DateField label={t('lookback.filters.to')} value={draft.to} onChange={(to) => set({ to })} min={draft.from || undefined} data-testid="filter-to" />
        <TextInput label={t('lookback.filters.protocol')} placeholder={t('lookback.filters.protocolHint')} value={draft.protocol} onChange={(e) => set({ protocol: e.currentTarget.value })} data-testid="filter-protocol" />
        <MultiSelect label={t('lookback.filters.status')} placeholder={draft.states.length ? undefined : t('lookback.filters.statusHint')} data={statusData} value={draft.states} onChange={(v) => set({ states: v as ConversationState[] })} clearable comboboxProps={{ zIndex: 400 }} data-testid="filter-status" />
      </SimpleGrid>
      <Text size="xs" fw={600} c="dimmed" mt="sm" mb={4}>{t('lookback.filters.more')}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
        <MultiSelect label={t('lookback.filters.service')} placeholder={draft.serviceIds.length ? undefined : t('lookback.filters.any')} data={serviceData} value={draft.serviceIds} onChange={(serviceIds) => set({ serviceIds })} searchable clearable comboboxProps={{ zIndex: 400 }} data-testid="filter-service" />
        <TextInput label={t('lookback.filters.origin')} placeholder={t('lookback.filters.originHint')} value={draft.origin} onChange={(e) => set({ origin: e.currentTarget.value })} data-testid="filter-origin" />
        <MultiSelect label={t('lookback.filters.classification')} placeholder={draft.classificationIds.length ? undefined : t('lookback.filters.any')} data={classificationData} value={draft.classificationIds} onChange={(classificationIds) => set({ classificationIds })} searchable clearable comboboxProps={{ zIndex: 400 }} data-testid="filter-classification" />
        <MultiSelect label={t('lookback.filters.agent')} placeholder={draft.agentIds.length ? undefined : t('lookback.filters.any')} data={agents} value={draft.agentIds} onChange={(agentIds) => set({ agentIds })} searchable clearable comboboxProps={{ zIndex: 400 }} data-testid="filter-agent" />
      </SimpleGrid>
      <Group justify="flex-end" mt="sm" gap="xs">
        <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clear}>{t('lookback.filters.clear')}</Button>
        <Button type="submit" leftSection={<IconSearch size={16} />} data-testid="filter-apply">{t('lookback.filters.search')}</Button>
      </Group>
    </Paper>
  );
}
