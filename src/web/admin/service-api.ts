import { useQuery } from '@tanstack/react-query';
import type { Service } from '../../contracts/admin';
import type { WrapupFieldInput, WrapupFieldList } from '../../contracts/wrapup-fields';
import { get } from '../api';

/** A failed save with the server's issues (paths such as `botFlow.steps.menu_principal`). */
export class SaveError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string; code?: string }[],
  ) {
    super(message);
  }
}

/** A write that keeps the error's `issues` (the shared client keeps only the message). */
async function send<T>(method: 'PATCH' | 'PUT', path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new SaveError(res.status, e.code ?? 'error', e.message ?? res.statusText, Array.isArray(e.issues) ? e.issues : []);
  }
  return data as T;
}

/** PATCH /api/services/:id. */
export const patchService = (id: string, body: Partial<Record<keyof Service, unknown>>) => send<Service>('PATCH', `/api/services/${id}`, body);

/** PUT /api/services/:id/wrapup-fields: the whole ordered list. */
export const putWrapupFields = (id: string, items: WrapupFieldInput[]) => send<WrapupFieldList>('PUT', `/api/services/${id}/wrapup-fields`, { items });

export const wrapupFieldsKey = (id: string | undefined) => [`/api/services/${id}/wrapup-fields`];
export const useWrapupFields = (id: string | undefined) =>
  useQuery({ queryKey: wrapupFieldsKey(id), queryFn: async () => (await get<WrapupFieldList>(`/api/services/${id}/wrapup-fields`)).items, enabled: !!id });

export const useService = (id: string | undefined) =>
  useQuery({ queryKey: [`/api/services/${id}`], queryFn: () => get<Service>(`/api/services/${id}`), enabled: !!id });
