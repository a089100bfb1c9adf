import { useMemo, useState } from 'react';
import { Alert, Button, Center, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { channelsOfFamily } from '../../contracts/channel-capabilities';
import type { LookbackRow, LookbackView } from '../../contracts/lookback';
import { searchOf } from '../api';
import { useSession } from '../auth/session';
import { StoreContext } from '../monitor/actions';
import { AllocateModal, refusalOf } from '../monitor/AllocateModal';
import { ConversationModal } from '../monitor/ConversationModal';
import { ConversationRecord } from '../monitor/ConversationRecord';
import { useConversationDetail, useMonitorStore } from '../monitor/useMonitor';
import type { MonitorStore } from '../monitor/store';
import { ExportButtons } from './ExportButtons';
import { LookbackFiltersBar } from './LookbackFiltersBar';
import { LookbackTable } from './LookbackTable';
import { apiQuery, useLookbackFilters, useLookbackPages } from './useLookback';

/** "Ficha de Atendimento": the conversation's record alone (Nr.Ocorr, Ver ficha). */
function RecordModal({ store, row, onClose }: { store: MonitorStore; row: LookbackRow | null; onClose(): void }) {
  const { t } = useTranslation('lookback');
  const d = useConversationDetail(store, row?.id ?? null);
  return (
    <Modal opened={row !== null} onClose={onClose} size="min(820px, 96vw)" zIndex={300} title={<Text fw={700} size="sm">{row ? t('lookback.recordTitle', { protocol: row.protocol }) : ''}</Text>} data-testid="record-modal">
      {d?.view ? (
        <ConversationRecord view={d.view} agentName={row?.agentName ?? ''} />
      ) : (
        <Center py="xl">{d?.status === 'error' ? <Text c="red" size="sm">{t('lookback.loadFailed', { error: '' })}</Text> : <Loader size="sm" />}</Center>
      )}
    </Modal>
  );
}

/** Alocar responsável / Retornar para grupo do serviço: e-mails waiting in the queue (seed: "Em Espera"). */
const allocatable = (r: LookbackRow) => r.channel === 'email' && r.state === 'queued';

/**
 * A looking-back list: its filters in the URL, the seed's columns, the total, "Carregar mais" by
 * keyset, the exports; a row opens the conversation (the monitor's modal), Nr.Ocorr the Ficha.
 * Consultas shows one per tab (family); Histórico one for every channel with the Ações column.
 */
export function LookbackList({ view, actions = false }: { view: LookbackView; actions?: boolean }) {
  const { t, i18n } = useTranslation('lookback');
  const { filters, setFilters } = useLookbackFilters();
  const query = useMemo(() => apiQuery(filters, view), [filters, view]);
  const pages = useLookbackPages(query);
  const store = useMonitorStore();
  const [conversation, setConversation] = useState<string | null>(null);
  const [record, setRecord] = useState<LookbackRow | null>(null);
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data]);
  const first = pages.data?.pages[0];
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  const serviceChannels = useMemo(() => (view === 'all' ? null : channelsOfFamily(view)), [view]);
  // Consultas → E-mail: supervisors and admins allocate the queued e-mails they select, or return them
  const { me } = useSession();
  const canAllocate = view === 'email' && me.role !== 'agent';
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [selectedFor, setSelectedFor] = useState(query);
  if (selectedFor !== query) {
    setSelectedFor(query);
    setSelected(new Set());
  }
  const [allocating, setAllocating] = useState<LookbackRow[] | null>(null);
  const [returning, setReturning] = useState(false);
  const chosen = rows.filter((r) => allocatable(r) && selected.has(r.id));
  // returning unpins an allocated e-mail: the others of the selection are already the group's
  const returnable = chosen.filter((r) => r.preferredAgentId !== null);
  const toggle = (ids: string[], on: boolean) => setSelected((prev) => {
    const next = new Set(prev);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    return next;
  });
  const afterAction = () => {
    setSelected(new Set());
    void pages.refetch();
  };
  const returnChosen = async () => {
    setReturning(true);
    try {
      await store.returnManyToQueue(returnable.map((r) => r.id));
      notifications.show({ color: 'teal', message: t('lookback.selection.returned', { count: returnable.length }) });
      afterAction();
    } catch (err) {
      notifications.show({ color: 'red', message: refusalOf(err, rows), autoClose: false });
    } finally {
      setReturning(false);
    }
  };

  return (
    <StoreContext.Provider value={store}>
      <LookbackFiltersBar view={view} filters={filters} onApply={setFilters} serviceChannels={serviceChannels} />
      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Text fw={600} data-testid="lookback-total">
            {first
              ? first.totalExact
                ? t('lookback.total', { count: first.total, formatted: fmt(first.total) })
                : t('lookback.totalMore', { formatted: fmt(first.total) })
              : ' '}
          </Text>
          <ExportButtons query={searchOf(query)} />
        </Group>
        {pages.isError ? (
          <Alert color="red" variant="light" data-testid="lookback-error">{t('lookback.loadFailed', { error: pages.error instanceof Error ? pages.error.message : String(pages.error) })}</Alert>
        ) : pages.isPending ? (
          <Center py="xl"><Loader size="sm" /></Center>
        ) : rows.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl" data-testid="lookback-empty">{t('lookback.empty')}</Text>
        ) : (
          <Stack gap="xs">
            {canAllocate && (
              <Group gap="sm" wrap="wrap" data-testid="lookback-selection">
                <Text size="sm" data-testid="lookback-selected">{t('lookback.selection.count', { count: chosen.length })}</Text>
                <Button size="xs" leftSection={<IconUserPlus size={16} />} disabled={!chosen.length} onClick={() => setAllocating(chosen)} data-testid="lookback-allocate">
                  {t('lookback.selection.allocate')}
                </Button>
                <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={16} />} disabled={!returnable.length} loading={returning} onClick={() => void returnChosen()} data-testid="lookback-return">
                  {t('lookback.selection.return')}
                </Button>
                {!rows.some(allocatable) && <Text size="xs" c="dimmed">{t('lookback.selection.hint')}</Text>}
              </Group>
            )}
            <LookbackTable
              view={view}
              rows={rows}
              sort={filters.sort}
              dir={filters.dir}
              onSort={(sort, dir) => setFilters({ sort, dir })}
              onOpenConversation={setConversation}
              onOpenRecord={(id) => setRecord(rows.find((r) => r.id === id) ?? null)}
              actions={actions}
              selection={canAllocate ? { selectable: allocatable, selected, onToggle: toggle } : undefined}
            />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">{first && t('lookback.shown', { shown: fmt(rows.length), total: fmt(first.total) })}</Text>
              {pages.hasNextPage && (
                <Button variant="light" size="xs" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="load-more">
                  {t('lookback.loadMore')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Paper>
      <ConversationModal id={conversation} chat={false} onClose={() => setConversation(null)} />
      <RecordModal store={store} row={record} onClose={() => setRecord(null)} />
      {canAllocate && <AllocateModal c={allocating} onClose={() => setAllocating(null)} onDone={afterAction} />}
    </StoreContext.Provider>
  );
}
