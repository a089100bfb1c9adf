import { ExportButtons } from '../lookback/ExportButtons';
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Card, Group, Loader, MultiSelect, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { useInfiniteQuery } from '@tanstack/react-query';
import { IconSearch, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CONVERSATION_STATES } from '../../shared/states';
import { call, fieldErrors, searchOf, type Query } from '../api';
import { DateField } from '../ui/DateField';
import { CampaignsTab } from './campaigns/CampaignsTab';
import { ConversationActionsFrame } from './ConversationActions';
import { ConversationTable, ServiceFilter, useRefetchOnChange } from './shared';

interface Filter {
  from: string;
  to: string;
  protocol: string;
  origin: string;
  states: string[];
  serviceIds: string[];
}
const EMPTY: Filter = { from: '', to: '', protocol: '', origin: '', states: [], serviceIds: [] };

type OutboundQuery = Query<'getAnalysisOutbound'>;

function queryOf(f: Filter): OutboundQuery {
  return {
    from: f.from || undefined,
    to: f.to || undefined,
    protocol: f.protocol.trim() || undefined,
    origin: f.origin.trim() || undefined,
    // the select offers CONVERSATION_STATES only
    states: f.states.length ? (f.states as NonNullable<OutboundQuery['states']>) : undefined,
    serviceIds: f.serviceIds.length ? f.serviceIds : undefined,
  };
}

/** Conversas ativas: every outbound conversation, with the filters of Consultas, the Ações column and the export. */
function OutboundConversations() {
  const { t } = useTranslation('analysis');
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const list = useInfiniteQuery({
    queryKey: ['analysis', 'outbound', applied],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      return call('getAnalysisOutbound', { query: { ...queryOf(applied), after: pageParam || undefined } });
    },
    getNextPageParam: (last) => last.next,
    retry: false,
  });
  useRefetchOnChange(list.refetch, 5000);
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const filtered = searchOf(queryOf(applied)).size > 0;
  const errors = list.isError ? fieldErrors(list.error) : {};
  const set = (patch: Partial<Filter>) => setDraft((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };

  return (
    <Stack data-testid="outbound-conversations">
      <Text c="dimmed" size="sm">{t('analysis.outbound.description')}</Text>
      <Card withBorder padding="sm" component="form" onSubmit={submit}>
        <Group align="flex-end">
          <DateField label={t('analysis.from')} value={draft.from} max={draft.to || undefined} onChange={(from) => set({ from })} error={errors.from} clearable w={{ base: '47%', xs: 170 }} />
          <DateField label={t('analysis.to')} value={draft.to} min={draft.from || undefined} onChange={(to) => set({ to })} error={errors.to} clearable w={{ base: '47%', xs: 170 }} />
          <TextInput label={t('analysis.outbound.protocol')} value={draft.protocol} onChange={(e) => set({ protocol: e.currentTarget.value })} error={errors.protocol} w={{ base: '100%', xs: 170 }} />
          <TextInput label={t('analysis.outbound.origin')} value={draft.origin} onChange={(e) => set({ origin: e.currentTarget.value })} error={errors.origin} w={{ base: '100%', xs: 220 }} />
          <MultiSelect
            label={t('analysis.outbound.states')}
            placeholder={draft.states.length ? undefined : t('analysis.outbound.allStates')}
            data={CONVERSATION_STATES.map((s) => ({ value: s, label: t(`analysis.states.${s}`) }))}
            value={draft.states}
            onChange={(states) => set({ states })}
            clearable
            w={{ base: '100%', sm: 260 }}
            comboboxProps={{ withinPortal: true, zIndex: 400 }}
          />
          <ServiceFilter value={draft.serviceIds} onChange={(serviceIds) => set({ serviceIds })} />
          <Button type="submit" leftSection={<IconSearch size={16} />}>{t('analysis.outbound.search')}</Button>
          {filtered && <Button variant="subtle" color="gray" onClick={() => { setDraft(EMPTY); setApplied(EMPTY); }}>{t('analysis.outbound.clear')}</Button>}
        </Group>
      </Card>
      {list.isError && <Alert color="red" role="alert">{list.error.message}</Alert>}
      {list.isPending && <Group justify="center" p="md"><Loader size="sm" /></Group>}
      {list.isSuccess && total === 0 && (
        filtered ? (
          <Alert color="gray" variant="light" data-testid="outbound-empty">{t('analysis.outbound.emptyFilter')}</Alert>
        ) : (
          <Alert color="blue" variant="light" icon={<IconSend size={18} />} title={t('analysis.outbound.emptyTitle')} data-testid="outbound-empty">
            {t('analysis.outbound.emptyFeature')}
          </Alert>
        )
      )}
      {rows.length > 0 && (
        <Card withBorder padding="sm">
          <Group justify="space-between" mb="xs">
            <Badge variant="light" data-testid="outbound-total">{t('analysis.outbound.total', { count: total })}</Badge>
            <ExportButtons path="/api/analysis/outbound" query={searchOf(queryOf(applied))} />
          </Group>
          <ConversationTable rows={rows} testId="outbound-table" />
          {list.hasNextPage && (
            <Group justify="center" mt="xs"><Button size="xs" variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('analysis.loadMore')}</Button></Group>
          )}
        </Card>
      )}
    </Stack>
  );
}

const TABS = ['campaigns', 'conversations'] as const;
type Tab = (typeof TABS)[number];

/** Análise da Operação → Mensagens ativas (seed): Campanhas and Conversas ativas, the tab in the URL (`?tab=`). */
function OutboundScreen() {
  const { t } = useTranslation('analysis');
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'campaigns';
  const select = (v: string | null) =>
    setParams(() => new URLSearchParams({ tab: v ?? 'campaigns' }));
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">{t('analysis.outbound.title')}</Title>
      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List mb="sm">
          {TABS.map((x) => <Tabs.Tab key={x} value={x} data-testid={`tab-${x}`}>{t(`analysis.campaigns.tabs.${x}`)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="campaigns"><CampaignsTab /></Tabs.Panel>
        <Tabs.Panel value="conversations"><OutboundConversations /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Análise da Operação → Mensagens ativas. */
export function OutboundPage() {
  return (
    <ConversationActionsFrame>
      <OutboundScreen />
    </ConversationActionsFrame>
  );
}
