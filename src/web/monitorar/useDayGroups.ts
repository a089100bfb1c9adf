import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Channel } from '../../contracts/common';
import type { MonitorarGroups, MonitorarPage, MonitorarRow, MonitorarView } from '../../contracts/monitor';
import { ApiError, call, type Query } from '../api';
import type { MonitorStore } from '../monitor/store';

// Todos do dia and Dia anterior: the groups' counts from the server, and each group's rows in keyset
// pages as the supervisor opens it (never the whole day). A conversation event of that day reloads
// the counts and the first pages of the open groups, once a second at most; no polling.

export const PAGE = 50;
const REFRESH_MS = 1000;

export interface DayQuery {
  view: MonitorarView;
  period: 'today' | 'yesterday';
  serviceId: string | null;
  channel: Channel | null;
}

export interface GroupRows {
  rows: MonitorarRow[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

const message = (e: unknown) => (e instanceof ApiError ? e.message : String(e));

type BaseQuery = Query<'getMonitorConversations'>;
const baseQuery = (q: DayQuery): BaseQuery => ({ view: q.view, period: q.period, serviceId: q.serviceId ?? undefined, channel: q.channel ?? undefined });

export function useDayGroups(store: MonitorStore, q: DayQuery | null, expanded: ReadonlySet<string>) {
  const [data, setData] = useState<MonitorarGroups | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState<Record<string, GroupRows>>({});
  // one object per view, period and filter: the effects below start over when it changes
  const base = useMemo(() => (q ? baseQuery(q) : null), [q?.view, q?.period, q?.serviceId, q?.channel]);
  // answers of a query the screen moved away from are dropped
  const generation = useRef(0);
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const dataRef = useRef(data);
  dataRef.current = data;

  const loadGroups = useCallback(async (query: BaseQuery, gen: number) => {
    try {
      // without a group, the server answers the groups' counts
      const d = (await call('getMonitorConversations', { query })) as MonitorarGroups;
      if (gen !== generation.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (gen === generation.current) setError(message(e));
    }
  }, []);

  const loadPage = useCallback(async (query: BaseQuery, gen: number, key: string, after: string | null, limit = PAGE) => {
    setPages((p) => ({ ...p, [key]: { rows: p[key]?.rows ?? [], nextCursor: p[key]?.nextCursor ?? null, loading: true, error: null } }));
    try {
      // with a group, that group's page of rows
      const page = (await call('getMonitorConversations', { query: { ...query, group: key, limit, after: after || undefined } })) as MonitorarPage;
      if (gen !== generation.current) return;
      setPages((p) => ({
        ...p,
        [key]: { rows: after ? [...(p[key]?.rows ?? []), ...page.rows] : page.rows, nextCursor: page.nextCursor, loading: false, error: null },
      }));
    } catch (e) {
      if (gen !== generation.current) return;
      setPages((p) => ({ ...p, [key]: { rows: p[key]?.rows ?? [], nextCursor: p[key]?.nextCursor ?? null, loading: false, error: message(e) } }));
    }
  }, []);

  // a new view, period or filter: start over
  useEffect(() => {
    const gen = ++generation.current;
    setData(null);
    setError(null);
    setPages({});
    if (base) void loadGroups(base, gen);
  }, [base, loadGroups]);

  // an opened group loads its first page
  useEffect(() => {
    if (!base) return;
    for (const key of expanded) if (!pagesRef.current[key]) void loadPage(base, generation.current, key, null);
  }, [base, expanded, loadPage, pages]);

  const refresh = useCallback(() => {
    if (!base) return;
    const gen = generation.current;
    void loadGroups(base, gen);
    // the open groups keep as many rows as they show (up to the largest page)
    for (const [key, g] of Object.entries(pagesRef.current)) {
      if (expanded.has(key)) void loadPage(base, gen, key, null, Math.min(200, Math.max(PAGE, g.rows.length)));
    }
    setPages((p) => Object.fromEntries(Object.entries(p).filter(([k]) => expanded.has(k))));
  }, [base, expanded, loadGroups, loadPage]);

  // the day's conversations change: reload soon, once for a burst
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (!base) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = store.onConversation((c) => {
      const range = dataRef.current?.range;
      if (c && range && (c.createdAt < range.start || c.createdAt >= range.end)) return;
      if (!timer) timer = setTimeout(() => {
        timer = null;
        refreshRef.current();
      }, REFRESH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [store, base]);

  const loadMore = useCallback((key: string) => {
    const g = pagesRef.current[key];
    if (base && g?.nextCursor && !g.loading) void loadPage(base, generation.current, key, g.nextCursor);
  }, [base, loadPage]);

  const retry = useCallback(() => {
    if (base) void loadGroups(base, generation.current);
  }, [base, loadGroups]);

  return { data, error, pages, loadMore, retry };
}
