import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { LOOKBACK_SORTS, type LookbackSort, type LookbackView } from '../../contracts/lookback';
import { CONVERSATION_STATES, type ConversationState } from '../../shared/states';
import { call, searchOf, type Query } from '../api';
import { useSession } from '../auth/session';
import { dayKey } from '../monitor/format';

/** The filters of a looking-back list, as the URL carries them (a pasted link shows the same list). */
export interface LookbackFilters {
  from: string;
  to: string;
  protocol: string;
  states: ConversationState[];
  serviceIds: string[];
  origin: string;
  classificationIds: string[];
  agentIds: string[];
  sort: LookbackSort;
  dir: 'asc' | 'desc';
}

const LISTS = ['states', 'serviceIds', 'classificationIds', 'agentIds'] as const;
const TEXTS = ['from', 'to', 'protocol', 'origin'] as const;

/** The filters in the URL's query string (`?from=…&to=…&states=a,b&sort=…`), today by default. */
export function useLookbackFilters(): { filters: LookbackFilters; setFilters(next: Partial<LookbackFilters>): void; params: URLSearchParams } {
  const { settings } = useSession();
  const [params, setParams] = useSearchParams();
  const today = dayKey(Date.now(), settings.timezone);
  const filters = useMemo<LookbackFilters>(() => {
    const list = (k: string) => (params.get(k) ?? '').split(',').filter(Boolean);
    const sort = params.get('sort') as LookbackSort | null;
    return {
      from: params.get('from') ?? today,
      to: params.get('to') ?? today,
      protocol: params.get('protocol') ?? '',
      origin: params.get('origin') ?? '',
      states: list('states').filter((s): s is ConversationState => (CONVERSATION_STATES as readonly string[]).includes(s)),
      serviceIds: list('serviceIds'),
      classificationIds: list('classificationIds'),
      agentIds: list('agentIds'),
      sort: sort && (LOOKBACK_SORTS as readonly string[]).includes(sort) ? sort : 'start',
      dir: params.get('dir') === 'asc' ? 'asc' : params.get('dir') === 'desc' ? 'desc' : sort && sort !== 'start' ? 'asc' : 'desc',
    };
  }, [params, today]);
  const setFilters = (next: Partial<LookbackFilters>) => {
    const merged = { ...filters, ...next };
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      for (const k of TEXTS) {
        if (merged[k].trim()) out.set(k, merged[k].trim());
        else out.delete(k);
      }
      for (const k of LISTS) {
        if (merged[k].length) out.set(k, merged[k].join(','));
        else out.delete(k);
      }
      out.set('sort', merged.sort);
      out.set('dir', merged.dir);
      return out;
    });
  };
  return { filters, setFilters, params };
}

export type LookbackApiQuery = Query<'getLookbackConversations'>;

/** The API's query for the filters of a view (no page, no format). */
export function apiQuery(f: LookbackFilters, view: LookbackView): LookbackApiQuery {
  const q: LookbackApiQuery = {};
  if (view !== 'all') q.family = view;
  // a protocol names one conversation: it is looked up on any day
  if (!f.protocol && f.from && f.to) {
    q.from = f.from;
    q.to = f.to;
  }
  if (f.protocol) q.protocol = f.protocol.trim();
  if (f.origin) q.origin = f.origin.trim();
  if (f.states.length) q.states = f.states;
  if (f.serviceIds.length) q.serviceIds = f.serviceIds;
  if (f.classificationIds.length) q.classificationIds = f.classificationIds;
  if (f.agentIds.length) q.agentIds = f.agentIds;
  q.sort = f.sort;
  q.dir = f.dir;
  return q;
}

export const PAGE_SIZE = 50;

/** The list's pages, "Carregar mais" fetching the next by its cursor. */
export function useLookbackPages(query: LookbackApiQuery) {
  const key = searchOf(query).toString();
  return useInfiniteQuery({
    queryKey: ['lookback', key],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      return call('getLookbackConversations', { query: { ...query, limit: PAGE_SIZE, after: pageParam || undefined } });
    },
    getNextPageParam: (last) => last.next,
    staleTime: 30_000,
  });
}

/** The agents a supervisor can pick as Responsável (users linked as agents, in their scope). */
export function useAgentOptions(): { value: string; label: string }[] {
  const q = useQuery({ queryKey: ['lookback', 'agents'], queryFn: async () => (await call('getUsers')).items, staleTime: 5 * 60_000 });
  return useMemo(
    () => (q.data ?? []).filter((u) => u.agentEnabled).map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label)),
    [q.data],
  );
}
