import { useEffect, useRef } from 'react';
import { Badge, MultiSelect, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AnalysisConversation } from '../../contracts/analysis';
import { isOpenState } from '../../shared/states';
import { useSession } from '../auth/session';
import { useStore } from '../monitor/actions';
import { ChannelLabel } from '../monitor/channels';
import { dateTime } from '../monitor/format';
import { useMonitorView, useServices } from '../monitor/useMonitor';
import { ConversationActions } from './ConversationActions';

/** "—" with the reason it is empty, for a column Mirante has no data for in this row. */
export function Missing({ why }: { why: string }) {
  return (
    <Tooltip label={why} withArrow multiline maw={280}>
      <Text span c="dimmed" size="sm" aria-label={why}>—</Text>
    </Tooltip>
  );
}

/** A column title with its definition in a tooltip. */
export function HelpTh({ label, help, ...rest }: { label: string; help: string } & Parameters<typeof Table.Th>[0]) {
  return (
    <Table.Th {...rest}>
      <Tooltip label={help} withArrow multiline maw={320}>
        <Text span size="sm" fw={700} style={{ cursor: 'help', borderBottom: '1px dotted var(--mantine-color-gray-5)' }}>{label}</Text>
      </Tooltip>
    </Table.Th>
  );
}

/** The services in scope, for the Serviço filter ([] = all). */
export function ServiceFilter({ value, onChange }: { value: string[]; onChange(v: string[]): void }) {
  const { t } = useTranslation('analysis');
  const { services } = useServices();
  return (
    <MultiSelect
      label={t('analysis.services')}
      placeholder={value.length ? undefined : t('analysis.allServices')}
      data={services.map((s) => ({ value: s.id, label: s.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      w={{ base: '100%', sm: 320 }}
      comboboxProps={{ withinPortal: true, zIndex: 400 }}
      data-testid="service-filter"
    />
  );
}

/**
 * Reads the screen again when the monitor stream says a conversation or an agent changed (pushed, not
 * polled), at most every `minMs`.
 */
export function useRefetchOnChange(refetch: () => unknown, minMs = 2000): void {
  const store = useStore();
  const { version } = useMonitorView(store, (s) => ({ version: s.version }));
  const latest = useRef(refetch);
  latest.current = refetch;
  const seen = useRef(version);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    // only a change of the stream's version reads again (not the first render, nor a re-render)
    if (version === seen.current || timer.current) return;
    seen.current = version;
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      void latest.current();
    }, Math.max(0, last.current + minMs - Date.now()));
  }, [version, minMs]);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
}

export function StateBadge({ state }: { state: AnalysisConversation['state'] }) {
  const { t } = useTranslation('analysis');
  const color = isOpenState(state) ? 'blue' : state === 'completed' ? 'teal' : state === 'cancelled' ? 'orange' : 'gray';
  return <Badge variant="light" color={color} style={{ textTransform: 'none' }}>{t(`analysis.states.${state}`)}</Badge>;
}

/** A list of conversations with the Ações column (an agent's, the outbound ones). */
export function ConversationTable({ rows, showAgent = true, testId }: { rows: AnalysisConversation[]; showAgent?: boolean; testId?: string }) {
  const { t, i18n } = useTranslation('analysis');
  const { settings } = useSession();
  const at = (iso: string) => dateTime(iso, settings.timezone, i18n.language);
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing={6} highlightOnHover fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('analysis.columns.protocol')}</Table.Th>
            <Table.Th>{t('analysis.columns.customer')}</Table.Th>
            <Table.Th>{t('analysis.columns.channel')}</Table.Th>
            <Table.Th>{t('analysis.columns.service')}</Table.Th>
            {showAgent && <Table.Th>{t('analysis.columns.agent')}</Table.Th>}
            <Table.Th>{t('analysis.columns.state')}</Table.Th>
            <Table.Th>{t('analysis.columns.start')}</Table.Th>
            <Table.Th>{t('analysis.columns.end')}</Table.Th>
            <Table.Th w={90}>{t('analysis.actions.title')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid="conversation-row" data-protocol={r.protocol}>
              <Table.Td ff="monospace">{r.protocol}</Table.Td>
              <Table.Td>{r.contactName || <Text span c="dimmed" size="sm">{t('analysis.noCustomerName')}</Text>}</Table.Td>
              <Table.Td><ChannelLabel channel={r.channel} /></Table.Td>
              <Table.Td>{r.serviceName}</Table.Td>
              {showAgent && <Table.Td>{r.agentName ?? <Missing why={t('analysis.noAgent')} />}</Table.Td>}
              <Table.Td><StateBadge state={r.state} /></Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{at(r.createdAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.finishedAt ? at(r.finishedAt) : <Missing why={t('analysis.noEnd')} />}</Table.Td>
              <Table.Td><ConversationActions id={r.id} protocol={r.protocol} agentName={r.agentName} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
