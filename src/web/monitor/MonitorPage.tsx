import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, Loader, Stack, Tabs, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconDeviceTv, IconSearch, IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { ConversationView } from '../../contracts/conversations';
import { ApiError, call } from '../api';
import { useSession } from '../auth/session';
import { ActionsContext, StoreContext, useActions, type ListSpec, type MonitorActions } from './actions';
import { AgentModal } from './AgentModal';
import { AgentsTab } from './AgentsTab';
import { OpenAlertSubject } from './AlertsInbox';
import { AllocateModal } from './AllocateModal';
import { ConversationListModal } from './ConversationList';
import { ConversationModal } from './ConversationModal';
import { GettingStarted } from './GettingStarted';
import { Filters } from './Filters';
import { dayKey, useNow } from './format';
import type { LiveFilter } from './live';
import { IndicatorsTab } from '../indicators/IndicatorsTab';
import { PanelTab } from './PanelTab';
import { PositionTab } from './PositionTab';
import { ServicesTab } from './ServicesTab';
import { WalletTab } from './WalletTab';
import type { MonitorState, MonitorStore } from './store';
import { defaultFilter, useMonitorStore, useMonitorView, useServices } from './useMonitor';

const TABS = ['position', 'services', 'agents', 'indicators', 'panel', 'wallet'] as const;
type Tab = (typeof TABS)[number];

/** The connection as the supervisor must see it: a banner while the figures may be stale. */
export function ConnectionBanner({ state }: { state: Pick<MonitorState, 'status' | 'ready'> }) {
  const { t } = useTranslation('monitor');
  if (state.status === 'reconnecting') {
    return (
      <Alert color="yellow" variant="filled" icon={<IconWifiOff size={18} />} role="status" data-testid="monitor-reconnecting">
        <Group gap="xs"><Loader size="xs" color="white" /><Text size="sm" fw={600}>{t('monitor.connection.reconnecting')}</Text></Group>
      </Alert>
    );
  }
  if (state.status === 'unauthorized') {
    return <Alert color="red" variant="filled" icon={<IconAlertTriangle size={18} />} role="alert">{t('monitor.connection.unauthorized')}</Alert>;
  }
  if (!state.ready) {
    return (
      <Alert color="gray" variant="light" role="status">
        <Group gap="xs"><Loader size="xs" /><Text size="sm">{t('monitor.connection.connecting')}</Text></Group>
      </Alert>
    );
  }
  return null;
}

export function LiveBadge({ state }: { state: Pick<MonitorState, 'status' | 'ready' | 'reloading'> }) {
  const { t } = useTranslation('monitor');
  const live = state.status === 'connected' && state.ready;
  return (
    <Badge
      variant="dot"
      color={live ? 'teal' : 'yellow'}
      size="lg"
      data-testid="monitor-live"
      data-live={live}
    >
      {state.reloading ? t('monitor.connection.reloading') : live ? t('monitor.connection.live') : t('monitor.connection.reconnecting').split('—')[0].trim()}
    </Badge>
  );
}

/**
 * Buscar protocolo: the protocol a customer quotes opens that conversation, whatever its state, with
 * its history and its ficha (within the supervisor's services).
 */
function ProtocolSearch() {
  const { t } = useTranslation('monitor');
  const actions = useActions();
  const [protocol, setProtocol] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = protocol.replace(/\D/g, '');
    if (!p || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { items } = await call('getConversations', { query: { protocol: p } });
      if (items[0]) actions.openConversation(items[0].id);
      else setError(t('monitor.search.notFound', { protocol: p }));
    } catch (err) {
      setError(t('monitor.search.failed', { error: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} role="search" aria-label={t('monitor.search.label')}>
      <TextInput
        aria-label={t('monitor.search.label')}
        placeholder={t('monitor.search.placeholder')}
        value={protocol}
        onChange={(e) => {
          setProtocol(e.currentTarget.value);
          setError(null);
        }}
        error={error}
        inputMode="numeric"
        w={230}
        leftSection={<IconSearch size={16} />}
        rightSectionWidth={70}
        rightSection={
          <Button type="submit" size="compact-xs" variant="light" loading={busy} disabled={!protocol.trim()}>
            {t('monitor.search.go')}
          </Button>
        }
        data-testid="protocol-search"
      />
    </form>
  );
}

/** The modals of Início and the actions that open them, for every tab. */
function useMonitorActions(store: MonitorStore) {
  const { t } = useTranslation('monitor');
  const [list, setList] = useState<ListSpec | null>(null);
  const [conversation, setConversation] = useState<{ id: string; chat: boolean } | null>(null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [allocating, setAllocating] = useState<ConversationView | null>(null);

  const actions = useMemo<MonitorActions>(
    () => ({
      openList: setList,
      openConversation: (id, chat = false) => setConversation({ id, chat }),
      openAgent: setAgentId,
      allocate: setAllocating,
      returnToGroup: (c) => {
        store.returnToQueue(c.id).then(
          () => notifications.show({ color: 'teal', message: t('monitor.list.returnedOk') }),
          (err) => notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : String(err) }),
        );
      },
    }),
    [store, t],
  );

  const modals = (
    <>
      <ConversationListModal spec={list} onClose={() => setList(null)} />
      <AgentModal agentId={agentId} onClose={() => setAgentId(null)} />
      <ConversationModal id={conversation?.id ?? null} chat={conversation?.chat ?? false} onClose={() => setConversation(null)} />
      <AllocateModal c={allocating} onClose={() => setAllocating(null)} />
    </>
  );
  return { actions, modals };
}

/** Provides the store and the actions of Início to a monitor screen. */
export function MonitorFrame({ store, children }: { store: MonitorStore; children: (modals: ReactNode) => ReactNode }) {
  const { actions, modals } = useMonitorActions(store);
  return (
    <StoreContext.Provider value={store}>
      <ActionsContext.Provider value={actions}>{children(modals)}</ActionsContext.Provider>
    </StoreContext.Provider>
  );
}

/**
 * Início: the supervisor's live monitor. Filters on top, then Posição Geral, Serviços, Agentes,
 * Indicadores, Painel and Carteira WhatsApp; every live figure comes from the /ws monitor stream (no polling), the times
 * tick here; Indicadores reads a period's tables over HTTP.
 */
export function MonitorPage() {
  const { t, i18n } = useTranslation('monitor');
  const { settings } = useSession();
  const store = useMonitorStore();
  // the page's frame shows the connection and the filter: the live data's repaints belong to the tabs
  const state = useMonitorView(store, (s) => ({ status: s.status, ready: s.ready, reloading: s.reloading, filter: s.filter }));
  const { services, loaded: servicesLoaded } = useServices();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'position';
  const tz = settings.timezone;
  const now = useNow(30_000);
  const today = dayKey(now, tz);
  const [followsToday, setFollowsToday] = useState(() => state.filter.date === dayKey(Date.now(), tz));

  const qc = useQueryClient();
  const apply = useCallback(
    (f: LiveFilter) => {
      setFollowsToday(f.date === dayKey(Date.now(), tz));
      store.reload(f);
      // Recarregar also rereads services, departments and pause reasons
      void qc.invalidateQueries({ queryKey: ['monitor'] });
    },
    [store, tz, qc],
  );

  // services, departments or parameters changed (the stream says so to admins): read them again
  useEffect(
    () =>
      store.onCatalogUpdated(() => {
        void qc.invalidateQueries({ queryKey: ['monitor'] });
        void qc.invalidateQueries({ queryKey: ['settings'] });
      }),
    [store, qc],
  );

  // past midnight, a screen that showed "today" moves on to the new day by itself
  useEffect(() => {
    if (followsToday && state.filter.date !== today) store.reload({ ...state.filter, date: today });
  }, [followsToday, today, state.filter, store]);

  const periodLabel = state.filter.date !== today
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${state.filter.date}T12:00:00Z`))
    : null;

  return (
    <MonitorFrame store={store}>
      {(modals) => (
        <Stack gap="sm" data-testid="monitor-page">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="sm">
              <Title order={1} size="h2">{t('monitor.title')}</Title>
              <LiveBadge state={state} />
            </Group>
            <Group gap="xs" align="flex-start">
              <ProtocolSearch />
              <Tooltip label={t('monitor.wallboardHelp')} withArrow>
                <Button component={Link} to="/monitor/wallboard" variant="default" leftSection={<IconDeviceTv size={16} />} data-testid="open-wallboard">
                  {t('monitor.wallboard')}
                </Button>
              </Tooltip>
            </Group>
          </Group>
          <div className={undefined} style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + 4px)', zIndex: 50 }}>
            <ConnectionBanner state={state} />
          </div>
          <Filters applied={state.filter} defaults={defaultFilter(tz)} services={services} onApply={apply} />
          {periodLabel && <Text size="sm" c="dimmed">{t('monitor.filters.periodPast', { date: periodLabel })}</Text>}
          {servicesLoaded && services.length === 0 && <GettingStarted />}
          <Tabs
            value={tab}
            onChange={(v) => setParams((p) => {
              const next = new URLSearchParams(p);
              if (!v || v === 'position') next.delete('tab');
              else next.set('tab', v);
              // the Carteira WhatsApp's chosen service belongs to that tab only
              if (v !== 'wallet') next.delete('service');
              return next;
            }, { replace: true })}
            keepMounted={false}
          >
            <Tabs.List mb="sm">
              {TABS.map((k) => (
                <Tabs.Tab key={k} value={k} data-testid={`tab-${k}`}>{t(`monitor.tabs.${k}`)}</Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="position"><PositionTab /></Tabs.Panel>
            <Tabs.Panel value="services"><ServicesTab /></Tabs.Panel>
            <Tabs.Panel value="agents"><AgentsTab /></Tabs.Panel>
            <Tabs.Panel value="indicators"><IndicatorsTab filter={state.filter} /></Tabs.Panel>
            <Tabs.Panel value="panel"><PanelTab /></Tabs.Panel>
            <Tabs.Panel value="wallet"><WalletTab /></Tabs.Panel>
          </Tabs>
          {modals}
          <OpenAlertSubject />
        </Stack>
      )}
    </MonitorFrame>
  );
}
