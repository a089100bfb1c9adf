import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Switch, TagsInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CHANNELS } from '../../contracts/common';
import { SCHEDULE_FREQUENCIES, SCHEDULE_PERIODS, type ReportSchedule, type ReportScheduleBody } from '../../contracts/report-schedules';
import { REPORT_FORMATS, REPORT_INTERVALS, type ReportCatalogue } from '../../contracts/reports';
import { call, fieldErrors } from '../api';
import { useAgentOptions } from '../lookback/useLookback';
import { useServices, useTeamNames } from '../monitor/useMonitor';

type Draft = ReportScheduleBody;

const blank = (catalogue: ReportCatalogue): Draft => ({
  reportId: catalogue[0]?.id ?? 'intervals', filters: {}, period: 'yesterday', format: 'xlsx', recipients: [], frequency: 'daily', hour: 7, active: true,
});

/** Creates or edits one schedule: the report and its filters, the relative period, when, the format and who receives it. */
export function ScheduleForm({ catalogue, editing, onClose }: { catalogue: ReportCatalogue; editing: ReportSchedule | 'new'; onClose(): void }) {
  const { t } = useTranslation('reports');
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (editing === 'new' ? blank(catalogue) : {
    reportId: editing.reportId, filters: editing.filters, period: editing.period, format: editing.format, recipients: editing.recipients,
    frequency: editing.frequency, hour: editing.hour, active: editing.active,
  }));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setFilter = (k: keyof Draft['filters'], v: string | null) => setDraft((d) => ({ ...d, filters: { ...d.filters, [k]: v || undefined } }));
  const entry = catalogue.find((r) => r.id === draft.reportId);
  const { services } = useServices();
  const teams = useTeamNames();
  const agents = useAgentOptions();
  const any = t('reports.filters.any');
  const save = useMutation({
    mutationFn: () => {
      // only the filters the report takes
      const filters = Object.fromEntries(Object.entries(draft.filters).filter(([k, v]) => v && (k === 'interval' ? entry?.usesInterval : entry?.filters.includes(k as never))));
      if (editing === 'new') return call('postReportSchedules', { body: { ...draft, filters } });
      const { reportId: _r, ...patch } = draft;
      return call('patchReportSchedulesById', { params: { id: editing.id }, body: { ...patch, filters } });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['report-schedules'] });
      onClose();
    },
  });
  const errors = save.isError ? fieldErrors(save.error) : {};
  const firstError = save.isError && Object.keys(errors).length === 0 ? save.error.message : null;

  return (
    <Modal opened onClose={onClose} title={editing === 'new' ? t('reports.schedules.new') : t('reports.schedules.edit')} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} data-testid="schedule-form">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
          <Select label={t('reports.schedules.report')} data={catalogue.map((r) => ({ value: r.id, label: r.title }))} value={draft.reportId}
            onChange={(v) => v && set({ reportId: v as Draft['reportId'], filters: {} })} disabled={editing !== 'new'} error={errors.reportId} allowDeselect={false} data-testid="schedule-report" />
          <Select label={t('reports.schedules.period')} data={SCHEDULE_PERIODS.map((p) => ({ value: p, label: t(`reports.schedules.periods.${p}`) }))} value={draft.period}
            onChange={(v) => v && set({ period: v as Draft['period'] })} allowDeselect={false} data-testid="schedule-period" />
          <Select label={t('reports.schedules.frequency')} data={SCHEDULE_FREQUENCIES.map((f) => ({ value: f, label: t(`reports.schedules.frequencies.${f}`) }))} value={draft.frequency}
            onChange={(v) => v && set({ frequency: v as Draft['frequency'] })} allowDeselect={false} data-testid="schedule-frequency" />
          <Select label={t('reports.schedules.hour')} data={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }))} value={String(draft.hour)}
            onChange={(v) => v && set({ hour: Number(v) })} allowDeselect={false} data-testid="schedule-hour" />
          <Select label={t('reports.schedules.format')} data={REPORT_FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }))} value={draft.format}
            onChange={(v) => v && set({ format: v as Draft['format'] })} allowDeselect={false} data-testid="schedule-format" />
          {entry?.usesInterval && (
            <Select label={t('reports.filters.interval')} placeholder={t('reports.intervals.day')} data={REPORT_INTERVALS.map((i) => ({ value: i, label: t(`reports.intervals.${i}`) }))}
              value={draft.filters.interval ?? null} onChange={(v) => setFilter('interval', v)} clearable />
          )}
          {entry?.filters.includes('serviceId') && (
            <Select label={t('reports.filters.service')} placeholder={any} data={services.map((s) => ({ value: s.id, label: s.name }))} value={draft.filters.serviceId ?? null} onChange={(v) => setFilter('serviceId', v)} searchable clearable />
          )}
          {entry?.filters.includes('channel') && (
            <Select label={t('reports.filters.channel')} placeholder={any} data={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`, { ns: 'common' }) }))} value={draft.filters.channel ?? null} onChange={(v) => setFilter('channel', v)} clearable />
          )}
          {entry?.filters.includes('teamId') && (
            <Select label={t('reports.filters.team')} placeholder={any} data={[...teams].map(([value, label]) => ({ value, label }))} value={draft.filters.teamId ?? null} onChange={(v) => setFilter('teamId', v)} searchable clearable />
          )}
          {entry?.filters.includes('agentId') && (
            <Select label={t('reports.filters.agent')} placeholder={any} data={agents} value={draft.filters.agentId ?? null} onChange={(v) => setFilter('agentId', v)} searchable clearable />
          )}
        </SimpleGrid>
        <TagsInput mt="xs" label={t('reports.schedules.recipients')} description={t('reports.schedules.recipientsHint')} value={draft.recipients} splitChars={[',', ' ', ';']}
          onChange={(recipients) => set({ recipients })} error={errors.recipients ?? Object.entries(errors).find(([k]) => k.startsWith('recipients.'))?.[1]} data-testid="schedule-recipients" />
        <Switch mt="sm" label={t('reports.schedules.active')} checked={draft.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
        {firstError && <Alert color="red" mt="sm">{t('reports.schedules.failed', { error: firstError })}</Alert>}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>{t('common.cancel', { ns: 'common' })}</Button>
          <Button type="submit" loading={save.isPending} data-testid="schedule-save">{t('common.save', { ns: 'common' })}</Button>
        </Group>
      </form>
    </Modal>
  );
}
