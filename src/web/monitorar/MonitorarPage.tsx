import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert, Badge, Button, Center, Collapse, Group, Loader, Paper, SegmentedControl, Select, Stack, Text, Title, Tooltip, UnstyledButton,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconInfoCircle } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { Channel } from '../../contracts/common';
import type { MonitorarGroup, MonitorarRow, MonitorarView } from '../../contracts/monitor';
import { MONITORAR_PERIODS, MONITORAR_VIEWS, NO_AGENT_KEY, type MonitorarPeriodName } from '../../shared/monitorar';
import { CHANNEL_ORDER, ChannelIcon } from '../monitor/channels';
import { ConnectionBanner, LiveBadge, MonitorFrame } from '../monitor/MonitorPage';
import { useMonitorState, useMonitorStore, useMonitorView, useServices } from '../monitor/useMonitor';
import type { MonitorStore } from '../monitor/store';
import { ExportButtons } from '../lookback/ExportButtons';
import { GroupTable } from './GroupTable';
import { openGroups, type OpenGroup } from './rows';
import { PAGE, useDayGroups, type GroupRows } from './useDayGroups';

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T => ((list as readonly string[]).includes(v ?? '') ? (v as T) : fallback);

/** Which groups are open, per view and period; untouched, the first group is. */
function useExpanded(scope: string, firstKey: string | null) {
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const keys = chosen[scope] ?? (firstKey ? [firstKey] : []);
  const joined = keys.join('\n');
  const expanded = useMemo(() => new Set(joined ? joined.split('\n') : []), [joined]);
  const toggle = (key: string) => setChosen((c) => {
    const now = c[scope] ?? (firstKey ? [firstKey] : []);
    return { ...c, [scope]: now.includes(key) ? now.filter((k) => k !== key) : [...now, key] };
  });
  return { expanded, toggle };
}

/** A group's name as the screen shows it: a situação, a service, an agent (or Sem agente), a channel. */
function GroupTitle({ view, group }: { view: MonitorarView; group: MonitorarGroup }) {
  const { t } = useTranslation('monitorar');
  if (view === 'status') return <>{t(`monitor.chat.state.${group.key}`, { ns: 'monitor' })}</>;
  if (view === 'channel') {
    return (
      <Group gap={8} wrap="nowrap" component="span">
        <ChannelIcon channel={group.key as Channel} size={24} />
        {t(`channels.${group.key}`)}
      </Group>
    );
  }
  if (view === 'agent' && group.key === NO_AGENT_KEY) return <>{t('monitorar.noAgent')}</>;
  return <>{group.label ?? (view === 'service' ? t('monitorar.unknownService') : '—')}</>;
}

/** A collapsible section: the group's name and count, its table when open. */
function GroupSection({ view, group, open, onToggle, children }: { view: MonitorarView; group: MonitorarGroup; open: boolean; onToggle(): void; children: ReactNode }) {
  const { t } = useTranslation('monitorar');
  const title = <GroupTitle view={view} group={group} />;
  return (
    <Paper withBorder radius="md" data-testid="monitorar-group" data-key={group.key} data-count={group.count}>
      <UnstyledButton
        onClick={onToggle}
        aria-expanded={open}
        title={t('monitorar.expand', { group: view === 'agent' && group.key === NO_AGENT_KEY ? t('monitorar.noAgent') : (group.label ?? group.key) })}
        w="100%"
        px="md"
        py="sm"
        data-testid="monitorar-group-toggle"
      >
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            {open ? <IconChevronDown size={18} /> : <IconChevronRight size={18} />}
            <Text fw={600} component="div">{title}</Text>
          </Group>
          <Badge size="lg" variant="light" color="cyan" data-testid="monitorar-group-count">{group.count}</Badge>
        </Group>
      </UnstyledButton>
      <Collapse expanded={open}>
        <div style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>{open && children}</div>
      </Collapse>
    </Paper>
  );
}

/** Em andamento: groups and rows from the live stream (the open conversations in scope). */
function OpenView({ store, view, serviceId, channel }: { store: MonitorStore; view: MonitorarView; serviceId: string | null; channel: Channel | null }) {
  const { t } = useTranslation('monitorar');
  const state = useMonitorState(store);
  const { byId } = useServices();
  const groups = useMemo<OpenGroup[]>(
    () => openGroups(state.conversations.values(), view, { serviceId, channel }, {
      agent: (id) => state.agents.get(id)?.name ?? null,
      service: (id) => byId.get(id)?.name ?? null,
    }),
    // the maps change in place: the version says when
    [state.conversations, state.agents, state.version, view, serviceId, channel, byId],
  );
  const { expanded, toggle } = useExpanded(`${view}|open`, groups[0]?.key ?? null);
  const [shown, setShown] = useState<Record<string, number>>({});
  if (!state.ready) return <Center py="xl"><Loader size="sm" /></Center>;
  return (
    <Groups total={groups.reduce((a, g) => a + g.count, 0)} empty={groups.length === 0}>
      {groups.map((g) => {
        const n = shown[`${view}|${g.key}`] ?? PAGE;
        return (
          <GroupSection key={g.key} view={view} group={g} open={expanded.has(g.key)} onToggle={() => toggle(g.key)}>
            <GroupTable view={view} rows={g.rows.slice(0, n)} />
            {g.rows.length > n && (
              <More onClick={() => setShown((s) => ({ ...s, [`${view}|${g.key}`]: n + PAGE }))}>{t('monitorar.showMore', { count: g.rows.length - n })}</More>
            )}
          </GroupSection>
        );
      })}
    </Groups>
  );
}

/** Todos do dia, Dia anterior: counts and pages from the server, reloaded on the day's events. */
function DayView({ store, view, period, serviceId, channel }: { store: MonitorStore; view: MonitorarView; period: 'today' | 'yesterday'; serviceId: string | null; channel: Channel | null }) {
  const { t, i18n } = useTranslation('monitorar');
  const [firstKey, setFirstKey] = useState<string | null>(null);
  const { expanded, toggle } = useExpanded(`${view}|${period}|${serviceId}|${channel}`, firstKey);
  const q = useMemo(() => ({ view, period, serviceId, channel }), [view, period, serviceId, channel]);
  const { data, error, pages, loadMore, retry } = useDayGroups(store, q, expanded);
  const first = data?.groups[0]?.key ?? null;
  if (first !== firstKey && data) setFirstKey(first);
  if (error && !data) {
    return (
      <Alert color="red" variant="light" title={t('monitorar.loadFailed', { error })}>
        <Button size="xs" variant="light" onClick={retry}>{t('monitorar.retry')}</Button>
      </Alert>
    );
  }
  if (!data) return <Center py="xl"><Loader size="sm" /></Center>;
  const day = data.day
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${data.day}T12:00:00Z`))
    : '';
  return (
    <Groups total={data.total} empty={data.groups.length === 0} caption={t('monitorar.dayOf', { date: day })}>
      {data.groups.map((g) => {
        const p: GroupRows | undefined = pages[g.key];
        return (
          <GroupSection key={g.key} view={view} group={g} open={expanded.has(g.key)} onToggle={() => toggle(g.key)}>
            {!p || (p.loading && p.rows.length === 0) ? (
              <Center py="md"><Loader size="sm" /></Center>
            ) : (
              <>
                <GroupTable view={view} rows={p.rows as MonitorarRow[]} />
                {p.error && <Text c="red" size="sm" px="md" py={4}>{t('monitorar.loadFailed', { error: p.error })}</Text>}
                {p.nextCursor && (
                  <More onClick={() => loadMore(g.key)} loading={p.loading}>{t('monitorar.loadMore')}</More>
                )}
              </>
            )}
          </GroupSection>
        );
      })}
    </Groups>
  );
}

function More({ onClick, loading, children }: { onClick(): void; loading?: boolean; children: ReactNode }) {
  return (
    <Center py="xs">
      <Button size="xs" variant="subtle" onClick={onClick} loading={loading} data-testid="monitorar-more">{children}</Button>
    </Center>
  );
}

function Groups({ total, empty, caption, children }: { total: number; empty: boolean; caption?: string; children: ReactNode }) {
  const { t } = useTranslation('monitorar');
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Text fw={600} data-testid="monitorar-total" data-total={total}>{t('monitorar.total', { count: total })}</Text>
        {caption && <Text size="sm" c="dimmed">{caption}</Text>}
      </Group>
      {empty ? <Text c="dimmed" ta="center" py="xl" data-testid="monitorar-empty">{t('monitorar.empty')}</Text> : children}
    </Stack>
  );
}

/** The export's query: the view, the period and the filters shown (every group's rows). */
function exportQuery(view: MonitorarView, period: MonitorarPeriodName, serviceId: string | null, channel: Channel | null): URLSearchParams {
  const q = new URLSearchParams({ view, period });
  if (serviceId) q.set('serviceId', serviceId);
  if (channel) q.set('channel', channel);
  return q;
}

/**
 * Monitorar (seed: OmniMonitor → Monitorar): the conversations grouped by Status, Serviço, Agentes or
 * Detalhes (by channel), Em andamento (live from the /ws stream), Todos do dia or Dia anterior (from
 * the server, a group's rows in pages); the balloon opens the conversation and, while an agent has
 * it, the supervisor chat.
 */
export function MonitorarPage() {
  const { t } = useTranslation('monitorar');
  const store = useMonitorStore();
  const frame = useMonitorView(store, (s) => ({ status: s.status, ready: s.ready, reloading: s.reloading }));
  const { services } = useServices();
  // a phone stacks the choices: side by side they run past the screen
  const phone = useMediaQuery('(max-width: 36em)');
  const [params, setParams] = useSearchParams();
  const view = oneOf(MONITORAR_VIEWS, params.get('view'), 'status');
  const period = oneOf<MonitorarPeriodName>(MONITORAR_PERIODS, params.get('period'), 'open');
  const serviceId = params.get('serviceId');
  const channel = (CHANNEL_ORDER as string[]).includes(params.get('channel') ?? '') ? (params.get('channel') as Channel) : null;
  const setParam = (key: string, value: string | null, fallback?: string) => setParams((p) => {
    const next = new URLSearchParams(p);
    if (!value || value === fallback) next.delete(key);
    else next.set(key, value);
    return next;
  }, { replace: true });

  return (
    <MonitorFrame store={store}>
      {(modals) => (
        <Stack gap="sm" data-testid="monitorar-page">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="sm">
              <Title order={1} size="h2">{t('monitorar.title')}</Title>
              <LiveBadge state={frame} />
            </Group>
          </Group>
          <ConnectionBanner state={frame} />
          <Paper withBorder radius="md" p="sm">
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Stack gap={4} w={phone ? '100%' : undefined}>
                <Text size="sm" fw={500}>{t('monitorar.viewLabel')}</Text>
                <SegmentedControl
                  value={view}
                  onChange={(v) => setParam('view', v, 'status')}
                  data={MONITORAR_VIEWS.map((v) => ({ value: v, label: t(`monitorar.views.${v}`) }))}
                  orientation={phone ? 'vertical' : 'horizontal'}
                  fullWidth={phone}
                  data-testid="monitorar-view"
                />
              </Stack>
              <Stack gap={4} w={phone ? '100%' : undefined}>
                <Group gap={4}>
                  <Text size="sm" fw={500}>{t('monitorar.periodLabel')}</Text>
                  <Tooltip label={period === 'open' ? t('monitorar.openHelp') : t('monitorar.dayHelp')} multiline w={300} withArrow>
                    <IconInfoCircle size={16} color="var(--mantine-color-dimmed)" aria-label={period === 'open' ? t('monitorar.openHelp') : t('monitorar.dayHelp')} />
                  </Tooltip>
                </Group>
                <SegmentedControl
                  value={period}
                  onChange={(v) => setParam('period', v, 'open')}
                  data={MONITORAR_PERIODS.map((p) => ({ value: p, label: t(`monitorar.periods.${p}`) }))}
                  orientation={phone ? 'vertical' : 'horizontal'}
                  fullWidth={phone}
                  color="cyan"
                  data-testid="monitorar-period"
                />
              </Stack>
              <Select
                label={t('monitorar.service')}
                placeholder={t('monitorar.allServices')}
                data={services.map((s) => ({ value: s.id, label: `${s.name} · ${t(`channels.${s.channel}`)}` }))}
                value={serviceId}
                onChange={(v) => setParam('serviceId', v)}
                clearable
                searchable
                w={210}
                data-testid="monitorar-service"
              />
              <Select
                label={t('monitorar.channel')}
                placeholder={t('monitorar.allChannels')}
                data={CHANNEL_ORDER.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
                value={channel}
                onChange={(v) => setParam('channel', v)}
                clearable
                w={170}
                data-testid="monitorar-channel"
              />
              <Group ml="auto">
                <ExportButtons path="/api/monitor/conversations" query={exportQuery(view, period, serviceId, channel)} />
              </Group>
            </Group>
          </Paper>
          {period === 'open' ? (
            <OpenView store={store} view={view} serviceId={serviceId} channel={channel} />
          ) : (
            <DayView key={period} store={store} view={view} period={period} serviceId={serviceId} channel={channel} />
          )}
          {modals}
        </Stack>
      )}
    </MonitorFrame>
  );
}
