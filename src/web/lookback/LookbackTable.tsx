import { ActionIcon, Anchor, Badge, Checkbox, Group, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconFileDescription, IconMessages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isSortable, LOOKBACK_COLUMNS, type LookbackColumn, type LookbackRow, type LookbackSort, type LookbackView } from '../../contracts/lookback';
import { isOpenState } from '../../shared/states';
import { useSession } from '../auth/session';
import { ChannelIcon } from '../monitor/channels';
import { clock, useNow } from '../monitor/format';
import { dateFormatter } from '../ui/time';

/** 06/12/26 14:05:33 in the contact center's time zone: compact enough for a row of fourteen columns. */
const shortDateTime = (iso: string, timeZone: string, lang: string) =>
  dateFormatter(lang, timeZone, { day: '2-digit', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso)).replace(',', '');

const TIMES: Partial<Record<LookbackColumn, keyof LookbackRow>> = {
  start: 'startedAt', botStart: 'botStartedAt', botEnd: 'botEndedAt', queued: 'queuedAt', humanStart: 'humanStartedAt', humanEnd: 'humanEndedAt',
};

const stateColor = (s: string) => (isOpenState(s) ? 'blue' : s === 'completed' ? 'teal' : s === 'cancelled' || s === 'discarded' ? 'gray' : 'orange');

/** A column's header in the tab's words (the seed names some columns per tab). */
function useHeader(view: LookbackView) {
  const { t } = useTranslation('lookback');
  return (c: LookbackColumn) =>
    view === 'messaging' && c === 'contact' ? t('lookback.columns.contactMessaging') : view === 'email' && c === 'agent' ? t('lookback.columns.agentEmail') : t(`lookback.columns.${c}`);
}

export interface LookbackTableProps {
  view: LookbackView;
  rows: LookbackRow[];
  sort: LookbackSort;
  dir: 'asc' | 'desc';
  onSort(sort: LookbackSort, dir: 'asc' | 'desc'): void;
  onOpenConversation(id: string): void;
  onOpenRecord(id: string): void;
  /** Histórico's Ações column (Ver ficha, Ver conversa) */
  actions?: boolean;
  /** Consultas → E-mail: a checkbox on the rows that can be selected, and one for all of them on the page */
  selection?: { selectable(r: LookbackRow): boolean; selected: ReadonlySet<string>; onToggle(ids: string[], on: boolean): void };
}

/** The seed's columns of a tab; a header sorts, a row opens the messages, Nr.Ocorr the Ficha. */
export function LookbackTable({ view, rows, sort, dir, onSort, onOpenConversation, onOpenRecord, actions, selection }: LookbackTableProps) {
  const { t, i18n } = useTranslation('lookback');
  const { settings } = useSession();
  const header = useHeader(view);
  const columns = LOOKBACK_COLUMNS[view];
  const now = useNow(rows.some((r) => isOpenState(r.state)) ? 1000 : 3_600_000);
  const tz = settings.timezone;
  const lang = i18n.language;
  const selectable = selection ? rows.filter((r) => selection.selectable(r)).map((r) => r.id) : [];
  const chosen = selection ? selectable.filter((id) => selection.selected.has(id)).length : 0;

  // running figures tick from their start; a finished one is the server's seconds
  const duration = (secs: number | null, from: string | null, running: boolean) => {
    if (secs !== null) return <span>{clock(secs * 1000)}</span>;
    if (running && from) return <Tooltip label={t('lookback.help.running')}><span style={{ fontStyle: 'italic' }}>{clock(now - Date.parse(from))}</span></Tooltip>;
    return <span>—</span>;
  };

  const cell = (c: LookbackColumn, r: LookbackRow) => {
    const time = TIMES[c];
    if (time) {
      const v = r[time] as string | null;
      return v ? shortDateTime(v, tz, lang) : '—';
    }
    switch (c) {
      case 'protocol':
        return (
          <Anchor component="button" type="button" size="sm" onClick={(e) => { e.stopPropagation(); onOpenRecord(r.id); }} data-testid="open-record">
            {r.protocol}
          </Anchor>
        );
      case 'queueTime': return duration(r.queueSeconds, r.queuedAt, r.state === 'queued');
      case 'handleTime': return duration(r.handleSeconds, r.humanStartedAt, r.state === 'in_service');
      case 'audioTime': case 'videoTime': {
        const secs = c === 'audioTime' ? r.audioSeconds : r.videoSeconds;
        return secs === null ? <Tooltip label={t('lookback.help.noCalls')}><Text span c="dimmed" size="sm">—</Text></Tooltip> : <span>{clock(secs * 1000)}</span>;
      }
      case 'contact': return r.contactName ?? '—';
      case 'origin': return r.origin ?? '—';
      case 'service': return r.serviceName;
      case 'subject': return r.subject ?? '—';
      case 'state': return <Badge variant="light" color={stateColor(r.state)} size="sm" styles={{ root: { textTransform: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }}>{t(`lookback.states.${r.state}`)}</Badge>;
      case 'agent':
        // a waiting conversation a supervisor allocated: the agent it waits for (seed: Responsável)
        return r.agentName ?? (r.preferredAgentName ? <Tooltip label={t('lookback.allocatedHelp')}><span data-testid="allocated-agent">{r.preferredAgentName}</span></Tooltip> : '—');
      case 'channel': return <ChannelIcon channel={r.channel} size={22} />;
      case 'classification': return r.classificationName ?? '—';
      default: return '—';
    }
  };

  const sortIcon = (c: LookbackSort) => (sort !== c ? <IconArrowsSort size={13} opacity={0.4} /> : dir === 'asc' ? <IconArrowUp size={13} /> : <IconArrowDown size={13} />);
  const help = (c: LookbackColumn) => (['start', 'botStart', 'botEnd', 'queued', 'humanStart', 'humanEnd', 'protocol', 'queueTime', 'handleTime'].includes(c) ? t(`lookback.help.${c}`) : null);

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" style={{ whiteSpace: 'nowrap' }} data-testid="lookback-table">
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={36}>
                <Checkbox
                  size="xs"
                  aria-label={t('lookback.selectAll')}
                  checked={selectable.length > 0 && chosen === selectable.length}
                  indeterminate={chosen > 0 && chosen < selectable.length}
                  disabled={selectable.length === 0}
                  onChange={(e) => selection.onToggle(selectable, e.currentTarget.checked)}
                  data-testid="select-all"
                />
              </Table.Th>
            )}
            {columns.map((c) => {
              const label = header(c);
              const tip = c === 'audioTime' || c === 'videoTime' ? t(`lookback.help.${c}`) : help(c);
              const content = isSortable(c) ? (
                <UnstyledButton
                  onClick={() => onSort(c, sort === c ? (dir === 'asc' ? 'desc' : 'asc') : c === 'start' ? 'desc' : 'asc')}
                  aria-label={t('lookback.sortBy', { column: label })}
                  data-testid={`sort-${c}`}
                  style={{ fontWeight: 600, fontSize: 'inherit', whiteSpace: 'nowrap' }}
                >
                  <Group gap={4} wrap="nowrap">{label}{sortIcon(c)}</Group>
                </UnstyledButton>
              ) : (
                <span style={{ whiteSpace: 'nowrap' }}>{label}</span>
              );
              return (
                <Table.Th key={c} aria-sort={sort === c ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {tip ? <Tooltip label={tip} openDelay={400}><div>{content}</div></Tooltip> : content}
                </Table.Th>
              );
            })}
            {actions && <Table.Th>{t('lookback.columns.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} onClick={() => onOpenConversation(r.id)} style={{ cursor: 'pointer' }} data-testid="lookback-row" data-protocol={r.protocol}>
              {selection && (
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  {selection.selectable(r) && (
                    <Checkbox
                      size="xs"
                      aria-label={t('lookback.selectRow', { protocol: r.protocol })}
                      checked={selection.selected.has(r.id)}
                      onChange={(e) => selection.onToggle([r.id], e.currentTarget.checked)}
                      data-testid="select-row"
                    />
                  )}
                </Table.Td>
              )}
              {columns.map((c) => <Table.Td key={c}>{cell(c, r)}</Table.Td>)}
              {actions && (
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('lookback.viewRecord')}>
                      <ActionIcon variant="subtle" aria-label={t('lookback.viewRecord')} onClick={() => onOpenRecord(r.id)} data-testid="action-record"><IconFileDescription size={18} /></ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('lookback.viewConversation')}>
                      <ActionIcon variant="subtle" aria-label={t('lookback.viewConversation')} onClick={() => onOpenConversation(r.id)} data-testid="action-conversation"><IconMessages size={18} /></ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
