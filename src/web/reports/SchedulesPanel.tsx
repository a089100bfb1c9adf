import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconPlayerPause, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ReportSchedule } from '../../contracts/report-schedules';
import type { ReportCatalogue } from '../../contracts/reports';
import { call } from '../api';
import { useSession } from '../auth/session';
import { dateTime } from '../monitor/format';
import { EmptyState } from '../ui/EmptyState';
import { RowAction } from '../ui/RowAction';
import { ScheduleForm } from './ScheduleForm';

/** Agendamentos: the reports e-mailed on a schedule (mine; an admin sees everyone's), to create, edit, pause and delete. */
export function SchedulesPanel({ catalogue }: { catalogue: ReportCatalogue }) {
  const { t, i18n } = useTranslation('reports');
  const { settings, me } = useSession();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const list = useQuery({ queryKey: ['report-schedules'], queryFn: () => call('getReportSchedules') });
  const done = () => qc.invalidateQueries({ queryKey: ['report-schedules'] });
  const toggle = useMutation({ mutationFn: (s: ReportSchedule) => call('patchReportSchedulesById', { params: { id: s.id }, body: { active: !s.active } }), onSuccess: done });
  const remove = useMutation({ mutationFn: (s: ReportSchedule) => call('deleteReportSchedulesById', { params: { id: s.id } }), onSuccess: done });
  const titleOf = (id: string) => catalogue.find((r) => r.id === id)?.title ?? id;
  const when = (iso: string | null) => (iso ? dateTime(iso, settings.timezone, i18n.language) : t('reports.schedules.never'));
  const failure = toggle.error ?? remove.error;

  return (
    <Stack gap="sm" data-testid="schedules-panel">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">{t('reports.schedules.intro')}</Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} disabled={catalogue.length === 0} data-testid="schedule-create">{t('reports.schedules.create')}</Button>
      </Group>
      {list.data && !list.data.mailConfigured && <Alert color="yellow" data-testid="schedules-smtp-missing">{t('reports.schedules.smtpMissing')}</Alert>}
      {failure && <Alert color="red">{t('reports.schedules.failed', { error: failure.message })}</Alert>}
      {list.isPending && <Loader size="sm" />}
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.data && list.data.items.length === 0 && <EmptyState why={t('reports.schedules.empty')} todo={t('reports.schedules.emptyTodo')} testId="schedules-empty" />}
      {list.data && list.data.items.length > 0 && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover fz="sm" verticalSpacing={6} data-testid="schedules-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.schedules.report')}</Table.Th>
                  <Table.Th>{t('reports.schedules.frequency')}</Table.Th>
                  <Table.Th>{t('reports.schedules.period')}</Table.Th>
                  <Table.Th>{t('reports.schedules.format')}</Table.Th>
                  <Table.Th>{t('reports.schedules.recipients')}</Table.Th>
                  {me.role === 'admin' && <Table.Th>{t('reports.schedules.owner')}</Table.Th>}
                  <Table.Th>{t('reports.schedules.nextRun')}</Table.Th>
                  <Table.Th>{t('reports.schedules.lastRun')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((s) => (
                  <Table.Tr key={s.id} data-testid="schedule-row" data-id={s.id}>
                    <Table.Td fw={500}>{titleOf(s.reportId)}</Table.Td>
                    <Table.Td>{t(`reports.schedules.frequencies.${s.frequency}`)} · {String(s.hour).padStart(2, '0')}:00</Table.Td>
                    <Table.Td>{t(`reports.schedules.periods.${s.period}`)}</Table.Td>
                    <Table.Td>{s.format.toUpperCase()}</Table.Td>
                    <Table.Td style={{ maxWidth: 260 }}><Text size="sm" truncate="end" title={s.recipients.join(', ')}>{s.recipients.join(', ')}</Text></Table.Td>
                    {me.role === 'admin' && <Table.Td>{s.ownerName}</Table.Td>}
                    <Table.Td>{s.active ? when(s.nextRunAt) : <Badge color="gray" variant="light">{t('reports.schedules.paused')}</Badge>}</Table.Td>
                    <Table.Td>{when(s.lastRunAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <RowAction label={t('common.edit', { ns: 'common' })} ariaLabel={`${t('reports.schedules.edit')}: ${titleOf(s.reportId)}`} icon={<IconPencil size={16} />} onClick={() => setEditing(s)} testId="schedule-edit" />
                        <RowAction label={s.active ? t('reports.schedules.pause') : t('reports.schedules.resume')} icon={s.active ? <IconPlayerPause size={16} /> : <IconPlayerPlay size={16} />}
                          onClick={() => toggle.mutate(s)} loading={toggle.isPending && toggle.variables?.id === s.id} testId="schedule-toggle" />
                        <RowAction label={t('reports.schedules.delete')} color="red" icon={<IconTrash size={16} />} testId="schedule-delete"
                          onClick={() => { if (window.confirm(t('reports.schedules.deleteConfirm', { report: titleOf(s.reportId) }))) remove.mutate(s); }} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {editing && <ScheduleForm catalogue={catalogue} editing={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
