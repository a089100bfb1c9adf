import { ExportButtons } from '../lookback/ExportButtons';
import { Fragment, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { IconChevronDown, IconChevronRight, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AgentRow } from '../../contracts/analysis';
import { call, fieldErrors, searchOf } from '../api';
import { useSession } from '../auth/session';
import { clock, dayKey, seconds, timeOfDay, useNow } from '../monitor/format';
import { usePauseReasonNames } from '../monitor/useMonitor';
import { DateField } from '../ui/DateField';
import { ConversationActionsFrame } from './ConversationActions';
import { ConversationTable, HelpTh, Missing, ServiceFilter, useRefetchOnChange } from './shared';

const STATE_COLOR = { offline: 'gray', available: 'teal', paused: 'yellow', in_service: 'blue' } as const;

interface Filter {
  from: string;
  to: string;
  serviceIds: string[];
}

const query = (f: Filter) => ({ from: f.from, to: f.to, serviceIds: f.serviceIds.length ? f.serviceIds : undefined });

function AgentState({ row, now }: { row: AgentRow; now: number }) {
  const { t } = useTranslation('analysis');
  const pauses = usePauseReasonNames();
  const reason = row.state === 'paused' && row.pauseReasonId ? pauses.get(row.pauseReasonId) : null;
  return (
    <Group gap={6} wrap="nowrap">
      <Badge variant="dot" color={STATE_COLOR[row.state]} style={{ textTransform: 'none' }} data-testid="agent-state">
        {t(`analysis.agentStates.${row.state}`)}{reason ? ` · ${reason}` : ''}
      </Badge>
      {row.state !== 'offline' && <Text size="xs" c="dimmed">{t('analysis.agents.since', { time: clock(now - Date.parse(row.stateSince)) })}</Text>}
      {row.pendingPauseReasonId && <Badge size="xs" color="yellow" variant="light">{t('analysis.agents.pausePending')}</Badge>}
      {row.state !== 'offline' && !row.connected && <Badge size="xs" color="red" variant="light">{t('analysis.agents.disconnected')}</Badge>}
      {!row.enabled && <Badge size="xs" color="gray" variant="light">{t('analysis.agents.notAgent')}</Badge>}
    </Group>
  );
}

/** The conversations behind an agent's row, in keyset pages. */
function AgentConversations({ agentId, filter }: { agentId: string; filter: Filter }) {
  const { t } = useTranslation('analysis');
  const q = useInfiniteQuery({
    queryKey: ['analysis', 'agent-conversations', agentId, filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => call('getAnalysisAgentsByIdConversations', { params: { id: agentId }, query: { ...query(filter), after: pageParam || undefined } }),
    getNextPageParam: (last) => last.next,
  });
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  if (q.isPending) return <Group p="sm"><Loader size="xs" /></Group>;
  if (q.isError) return <Alert color="red">{t('analysis.failed', { error: q.error.message })}</Alert>;
  if (!rows.length) return <Text size="sm" c="dimmed" p="sm">{t('analysis.agents.conversationsEmpty')}</Text>;
  return (
    <Stack gap={4} p="xs">
      <Text size="xs" c="dimmed">{t('analysis.agents.conversationsHelp')}</Text>
      <ConversationTable rows={rows} showAgent={false} testId="agent-conversations" />
      {q.hasNextPage && (
        <Group justify="center"><Button size="xs" variant="light" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>{t('analysis.loadMore')}</Button></Group>
      )}
    </Stack>
  );
}

function AgentsScreen() {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const tz = settings.timezone;
  const today = dayKey(Date.now(), tz);
  const [filter, setFilter] = useState<Filter>({ from: today, to: today, serviceIds: [] });
  const [open, setOpen] = useState<string | null>(null);
  const now = useNow(1000);
  const report = useQuery({
    queryKey: ['analysis', 'agents', filter],
    queryFn: () => call('getAnalysisAgents', { query: query(filter) }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  useRefetchOnChange(report.refetch);
  const errors = report.isError ? fieldErrors(report.error) : {};
  const rows = report.data?.rows ?? [];
  const totals = report.data?.totals;
  const num = (n: number) => n.toLocaleString(i18n.language);

  return (
    <Stack>
      <div>
        <Title order={1} size="h2">{t('analysis.agents.title')}</Title>
        <Text c="dimmed" size="sm">{t('analysis.agents.description')}</Text>
      </div>
      <Card withBorder padding="sm">
        <Group align="flex-end" mb="sm">
          <DateField label={t('analysis.from')} value={filter.from} max={filter.to || undefined} onChange={(from) => setFilter((f) => ({ ...f, from }))} error={errors.from} w={{ base: '47%', xs: 170 }} data-testid="from" />
          <DateField label={t('analysis.to')} value={filter.to} min={filter.from || undefined} onChange={(to) => setFilter((f) => ({ ...f, to }))} error={errors.to} w={{ base: '47%', xs: 170 }} data-testid="to" />
          <ServiceFilter value={filter.serviceIds} onChange={(serviceIds) => setFilter((f) => ({ ...f, serviceIds }))} />
          <Button variant="light" leftSection={<IconRefresh size={16} />} loading={report.isFetching} onClick={() => void report.refetch()}>{t('analysis.refresh')}</Button>
          {report.data && <Text size="xs" c="dimmed">{t('analysis.updated', { time: timeOfDay(report.data.generatedAt, tz, i18n.language) })}</Text>}
          <Group ml="auto"><ExportButtons path="/api/analysis/agents" query={searchOf(query(filter))} disabled={!report.isSuccess} /></Group>
        </Group>
        {report.isError && <Alert color="red" role="alert" mb="sm">{report.error.message}</Alert>}
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="agents-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36} />
                <Table.Th>{t('analysis.agents.agent')}</Table.Th>
                <Table.Th>{t('analysis.agents.state')}</Table.Th>
                <HelpTh ta="right" label={t('analysis.agents.inService')} help={t('analysis.agents.inServiceHelp')} />
                <HelpTh ta="right" label={t('analysis.agents.completed')} help={t('analysis.agents.completedHelp')} />
                <HelpTh ta="right" label={t('analysis.agents.cancelled')} help={t('analysis.agents.cancelledHelp')} />
                <HelpTh ta="right" label={t('analysis.agents.other')} help={t('analysis.agents.otherHelp')} />
                <HelpTh ta="right" label={t('analysis.agents.tma')} help={t('analysis.agents.tmaHelp')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => {
                const expanded = open === r.agentId;
                const toggle = () => setOpen(expanded ? null : r.agentId);
                return (
                  <Fragment key={r.agentId}>
                    <Table.Tr onClick={toggle} style={{ cursor: 'pointer' }} bg={expanded ? 'cyan.0' : undefined} data-testid="agent-row" data-agent={r.name}>
                      <Table.Td>
                        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('analysis.agents.expand', { name: r.name })} aria-expanded={expanded} onClick={(e) => { e.stopPropagation(); toggle(); }}>
                          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td fw={500}>{r.name}</Table.Td>
                      <Table.Td><AgentState row={r} now={now} /></Table.Td>
                      <Table.Td ta="right" data-testid="in-service">{num(r.inService)}</Table.Td>
                      <Table.Td ta="right" data-testid="completed">{num(r.completed)}</Table.Td>
                      <Table.Td ta="right" data-testid="cancelled">{num(r.cancelled)}</Table.Td>
                      <Table.Td ta="right">{num(r.otherFinished)}</Table.Td>
                      <Table.Td ta="right">{r.tmaSeconds === null ? <Missing why={t('analysis.agents.tmaNone')} /> : seconds(r.tmaSeconds)}</Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={8} bg="gray.0" p={0}><AgentConversations agentId={r.agentId} filter={filter} /></Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
              {report.isSuccess && !rows.length && (
                <Table.Tr><Table.Td colSpan={8}><Text c="dimmed" size="sm" ta="center" py="md">{t('analysis.agents.empty')}</Text></Table.Td></Table.Tr>
              )}
            </Table.Tbody>
            {totals && rows.length > 0 && (
              <Table.Tfoot>
                <Table.Tr fw={700} data-testid="agents-totals">
                  <Table.Td />
                  <Table.Td>{t('analysis.agents.total')}</Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{t('analysis.agents.count', { count: rows.length })}</Text></Table.Td>
                  <Table.Td ta="right">{num(totals.inService)}</Table.Td>
                  <Table.Td ta="right">{num(totals.completed)}</Table.Td>
                  <Table.Td ta="right">{num(totals.cancelled)}</Table.Td>
                  <Table.Td ta="right">{num(totals.otherFinished)}</Table.Td>
                  <Table.Td ta="right">{totals.tmaSeconds === null ? <Missing why={t('analysis.agents.tmaNone')} /> : seconds(totals.tmaSeconds)}</Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
        {report.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      </Card>
    </Stack>
  );
}

/** Análise da Operação → Atendentes. */
export function AgentsAnalysisPage() {
  return (
    <ConversationActionsFrame>
      <AgentsScreen />
    </ConversationActionsFrame>
  );
}

