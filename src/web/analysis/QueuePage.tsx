import { ExportButtons } from '../lookback/ExportButtons';
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconAlertCircle, IconInfoCircle, IconRefresh, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { queueReasonText } from '../../shared/queue-reason-text';
import type { QueueDepartment, QueueReason } from '../../contracts/analysis';
import { call } from '../api';
import { useSession } from '../auth/session';
import { ChannelLabel } from '../monitor/channels';
import { clock, timeOfDay, useNow } from '../monitor/format';
import { ConversationActions, ConversationActionsFrame } from './ConversationActions';
import { HelpTh, ServiceFilter, useRefetchOnChange } from './shared';

const REASON_COLOR: Record<QueueReason['code'], string> = {
  no_department: 'red', department_inactive: 'red', no_agents: 'red', none_logged_in: 'red',
  all_paused: 'orange', all_at_limit: 'orange', at_limit_or_paused: 'orange', free_slots: 'teal',
};

function Reasons({ d }: { d: QueueDepartment }) {
  const { t, i18n } = useTranslation('analysis');
  return (
    <Stack gap={4}>
      {d.reasons.map((r) => (
        <Group key={r.kind} gap={6} wrap="nowrap" data-testid="queue-reason" data-code={r.code}>
          <IconAlertCircle size={16} color={`var(--mantine-color-${REASON_COLOR[r.code]}-7)`} style={{ flexShrink: 0 }} />
          <Text size="sm" c={`${REASON_COLOR[r.code]}.8`} fw={500}>
            {d.reasons.length > 1 ? `${t(`analysis.queue.kinds.${r.kind}`)}: ` : ''}
            {queueReasonText(r, i18n.language === 'en' ? 'en' : 'pt')}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function Department({ d, now }: { d: QueueDepartment; now: number }) {
  const { t } = useTranslation('analysis');
  return (
    <Card withBorder padding="sm" data-testid="queue-department" data-department={d.name ?? ''}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={4}>{d.name ?? t('analysis.queue.noDepartment')}</Title>
            <Badge color="orange" variant="light" data-testid="department-waiting">{t('analysis.queue.waitingTotal', { count: d.waiting })}</Badge>
          </Group>
          <Reasons d={d} />
        </Stack>
        {d.teamId && (
          <Tooltip label={t('analysis.queue.reasonHelp')} withArrow multiline maw={320}>
            <Group gap={4} style={{ cursor: 'help' }}>
              <IconUsers size={16} />
              <Text size="sm" c="dimmed">{t('analysis.queue.agentsLine', d.agents)}</Text>
              <IconInfoCircle size={14} color="var(--mantine-color-gray-6)" />
            </Group>
          </Tooltip>
        )}
      </Group>
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing={6} highlightOnHover fz="sm">
          <Table.Thead>
            <Table.Tr>
              <HelpTh w={80} label={t('analysis.queue.position')} help={t('analysis.queue.positionHelp')} />
              <Table.Th>{t('analysis.columns.protocol')}</Table.Th>
              <Table.Th>{t('analysis.columns.customer')}</Table.Th>
              <Table.Th>{t('analysis.columns.channel')}</Table.Th>
              <Table.Th>{t('analysis.columns.service')}</Table.Th>
              <HelpTh label={t('analysis.queue.time')} help={t('analysis.queue.timeHelp')} />
              <Table.Th w={90}>{t('analysis.actions.title')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.rows.map((r) => (
              <Table.Tr key={r.id} data-testid="queue-row" data-protocol={r.protocol}>
                <Table.Td fw={600}>{t('analysis.queue.positionValue', { n: r.position })}</Table.Td>
                <Table.Td ff="monospace">{r.protocol}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {r.contactName || <Text span c="dimmed" size="sm">{t('analysis.noCustomerName')}</Text>}
                    {r.priority === 'manual' && <Badge size="xs" variant="light" color="grape">{t('analysis.queue.manual', { name: r.preferredAgentName ?? '—' })}</Badge>}
                    {r.priority === 'returned' && <Badge size="xs" variant="light" color="cyan">{t('analysis.queue.returned')}</Badge>}
                    {r.outsideHours && <Badge size="xs" variant="light" color="gray">{t('analysis.queue.outsideHours')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
                <Table.Td>{r.serviceName}</Table.Td>
                <Table.Td ff="monospace" data-testid="queue-wait">{clock(now - Date.parse(r.queuedAt))}</Table.Td>
                <Table.Td><ConversationActions id={r.id} protocol={r.protocol} agentName={null} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {d.rows.length < d.waiting && <Text size="xs" c="dimmed" mt={4}>{t('analysis.queue.more', { shown: d.rows.length, count: d.waiting })}</Text>}
    </Card>
  );
}

function QueueScreen() {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const now = useNow(1000);
  const report = useQuery({
    queryKey: ['analysis', 'queue', serviceIds],
    queryFn: () => call('getAnalysisQueue', { query: { serviceIds: serviceIds.length ? serviceIds : undefined } }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  useRefetchOnChange(report.refetch);
  const data = report.data;
  return (
    <Stack>
      <div>
        <Title order={1} size="h2">{t('analysis.queue.title')}</Title>
        <Text c="dimmed" size="sm">{t('analysis.queue.description')}</Text>
      </div>
      <Card withBorder padding="sm">
        <Group align="flex-end">
          <ServiceFilter value={serviceIds} onChange={setServiceIds} />
          <Button variant="light" leftSection={<IconRefresh size={16} />} loading={report.isFetching} onClick={() => void report.refetch()}>{t('analysis.refresh')}</Button>
          {data && (
            <>
              <Badge size="lg" color={data.waiting ? 'orange' : 'teal'} variant="light" data-testid="queue-total">{t('analysis.queue.waitingTotal', { count: data.waiting })}</Badge>
              <Text size="xs" c="dimmed">{t('analysis.updated', { time: timeOfDay(data.generatedAt, settings.timezone, i18n.language) })}</Text>
            </>
          )}
          <Group ml="auto">
            <ExportButtons path="/api/analysis/queue" query={new URLSearchParams(serviceIds.length ? { serviceIds: serviceIds.join(',') } : {})} disabled={!data?.waiting} />
          </Group>
        </Group>
      </Card>
      {report.isError && <Alert color="red" role="alert">{t('analysis.failed', { error: report.error.message })}</Alert>}
      {report.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      {data && data.departments.length === 0 && (
        <Alert color="teal" variant="light" data-testid="queue-empty">{t('analysis.queue.empty')}</Alert>
      )}
      {data?.departments.map((d) => <Department key={d.teamId ?? 'none'} d={d} now={now} />)}
    </Stack>
  );
}

/** Análise da Operação → Fila. */
export function QueuePage() {
  return (
    <ConversationActionsFrame>
      <QueueScreen />
    </ConversationActionsFrame>
  );
}
