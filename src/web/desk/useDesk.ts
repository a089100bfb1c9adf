import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Classification, PauseReason, Service } from '../../contracts/admin';
import { call, resources, type ListQuery, type ResourceFor } from '../api';
import type { DeskState } from './desk-state';
import { deskStoreFor, stopDeskStore, type DeskStore, type DeskUser } from './store';

let watching: QueryClient | null = null;

/** Signing out (the session query emptied) ends the desk's connection too. */
function watchSession(qc: QueryClient): void {
  if (watching === qc) return;
  watching = qc;
  qc.getQueryCache().subscribe(() => {
    if (!qc.getQueryData(['me'])) stopDeskStore();
  });
}

/** The tab's desk store for this user, held while the desk screen is open. */
export function useDeskStore(me: DeskUser): DeskStore {
  const qc = useQueryClient();
  watchSession(qc);
  const store = deskStoreFor(me);
  useEffect(() => {
    store.retain();
    return () => store.release();
  }, [store]);
  return store;
}

export function useDeskState(store: DeskStore): DeskState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

const list = <T,>(resource: ResourceFor<T>, query?: ListQuery) => () => resources.list<T>(resource, query);
// reference data of the desk: changes rarely, read once per visit
const REFERENCE = { staleTime: 5 * 60_000 } as const;

export function useServiceNames(store: DeskStore): Map<string, string> {
  const q = useQuery({ queryKey: ['desk', 'services'], queryFn: list<Service>('Services'), ...REFERENCE });
  return useMemo(() => {
    const names = new Map((q.data ?? []).map((s) => [s.id, s.name]));
    store.serviceNames = names;
    return names;
  }, [q.data, store]);
}

export function usePauseReasons() {
  return useQuery({ queryKey: ['desk', 'pause-reasons'], queryFn: list<PauseReason>('PauseReasons'), ...REFERENCE });
}

export function useClassifications() {
  return useQuery({ queryKey: ['desk', 'classifications'], queryFn: list<Classification>('Classifications', { active: 'true' }), ...REFERENCE });
}

/** The wrap-up fields of a conversation's service (Concluir): read again after a minute, as an admin may change them. */
export function useWrapupFields(serviceId: string) {
  return useQuery({ queryKey: ['desk', 'wrapup-fields', serviceId], queryFn: async () => (await call('getServicesByIdWrapupFields', { params: { id: serviceId } })).items, staleTime: 60_000 });
}
