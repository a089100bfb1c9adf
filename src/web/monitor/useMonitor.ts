import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Classification, PauseReason, Service, Team } from '../../contracts/admin';
import { resources, type ResourceFor } from '../api';
import { useSession } from '../auth/session';
import { dayKey } from './format';
import type { LiveFilter, ServiceInfo } from './live';
import { MonitorStore, type ConversationDetail, type MonitorState } from './store';

export { isSilenced, useSilenced } from './silence';

let current: { userId: string; store: MonitorStore } | null = null;
let stopTimer: ReturnType<typeof setTimeout> | null = null;
let watching: QueryClient | null = null;

export const defaultFilter = (timeZone: string): LiveFilter => ({ serviceId: null, channel: null, date: dayKey(Date.now(), timeZone), allQueued: false });

/** Signing out (the session query emptied) closes the monitor's connection. */
function watchSession(qc: QueryClient): void {
  if (watching === qc) return;
  watching = qc;
  qc.getQueryCache().subscribe(() => {
    if (!qc.getQueryData(['me']) && current) {
      current.store.stop();
      current = null;
    }
  });
}

/** The tab's monitor store for the signed-in supervisor, connected while a monitor screen shows it. */
export function useMonitorStore(): MonitorStore {
  const { me, settings } = useSession();
  const qc = useQueryClient();
  watchSession(qc);
  if (current && (current.userId !== me.id || current.store.isStopped)) {
    current.store.stop();
    current = null;
  }
  if (!current) {
    const store = new MonitorStore(defaultFilter(settings.timezone));
    store.start();
    current = { userId: me.id, store };
  }
  const store = current.store;
  useEffect(() => {
    store.retain();
    if (stopTimer) clearTimeout(stopTimer);
    stopTimer = null;
    return () => {
      store.release();
      // leaving Início for another screen closes the socket; a quick remount (StrictMode, the wallboard) keeps it
      if (stopTimer) clearTimeout(stopTimer);
      stopTimer = setTimeout(() => {
        if (!store.retained && current?.store === store) {
          store.stop();
          current = null;
        }
      }, 2000);
    };
  }, [store]);
  return store;
}

export function useMonitorState(store: MonitorStore): MonitorState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/**
 * The fields of the store's state that `pick` takes, compared one by one: the caller re-renders when
 * one of them changes, not on each repaint of the live data (a screen's frame, its banners).
 */
export function useMonitorView<T extends Record<string, unknown>>(store: MonitorStore, pick: (s: MonitorState) => T): T {
  const last = useRef<T | null>(null);
  return useSyncExternalStore(store.subscribe, () => {
    const next = pick(store.getState());
    const prev = last.current;
    if (prev && Object.keys(next).every((k) => Object.is(prev[k], next[k]))) return prev;
    return (last.current = next);
  });
}

/**
 * The store's state while `live`; while not (a closed modal), the last state read, so the live
 * data's repaints pass the caller by.
 */
export function useMonitorStateWhile(store: MonitorStore, live: boolean): MonitorState {
  const held = useRef<MonitorState | null>(null);
  return useSyncExternalStore(store.subscribe, () => {
    if (live || !held.current) held.current = store.getState();
    return held.current;
  });
}

/** A conversation's history and supervisor chat, live while the caller is mounted. */
export function useConversationDetail(store: MonitorStore, id: string | null): ConversationDetail | null {
  useEffect(() => (id ? store.watch(id) : undefined), [store, id]);
  return useSyncExternalStore(store.subscribe, () => (id ? store.detail(id) : null));
}

const list = <T,>(resource: ResourceFor<T>) => () => resources.list<T>(resource);
const REFERENCE = { staleTime: 5 * 60_000 } as const;

/** Services in the supervisor's scope, by id; the reference data of every tab. */
export function useServices(): { services: ServiceInfo[]; byId: Map<string, ServiceInfo>; loaded: boolean } {
  const q = useQuery({ queryKey: ['monitor', 'services'], queryFn: list<Service>('Services'), ...REFERENCE });
  return useMemo(() => {
    const services = (q.data ?? []).map((s): ServiceInfo => ({
      id: s.id, name: s.name, channel: s.channel, teamIds: s.teamIds, serviceLevelSeconds: s.serviceLevelSeconds, tmaGoalSeconds: s.tmaGoalSeconds, active: s.active, channelAccountId: s.channelAccountId,
    }));
    services.sort((a, b) => a.name.localeCompare(b.name));
    return { services, byId: new Map(services.map((s) => [s.id, s])), loaded: q.isSuccess };
  }, [q.data, q.isSuccess]);
}

export function useTeamNames(): Map<string, string> {
  const q = useQuery({ queryKey: ['monitor', 'teams'], queryFn: list<Team>('Teams'), ...REFERENCE });
  return useMemo(() => new Map((q.data ?? []).map((t) => [t.id, t.name])), [q.data]);
}

export function usePauseReasonNames(): Map<string, string> {
  const q = useQuery({ queryKey: ['monitor', 'pause-reasons'], queryFn: list<PauseReason>('PauseReasons'), ...REFERENCE });
  return useMemo(() => new Map((q.data ?? []).map((r) => [r.id, r.name])), [q.data]);
}

/** Every classification, inactive ones too: an old conversation keeps the name it was given. */
export function useClassificationsById(): Map<string, Classification> {
  const q = useQuery({ queryKey: ['monitor', 'classifications'], queryFn: list<Classification>('Classifications'), ...REFERENCE });
  return useMemo(() => new Map((q.data ?? []).map((c) => [c.id, c])), [q.data]);
}
