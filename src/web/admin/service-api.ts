import { useQuery } from '@tanstack/react-query';
import type { Service } from '../../contracts/admin';
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

/** PATCH /api/services/:id, keeping the error's `issues` (the shared client keeps only the message). */
export async function patchService(id: string, body: Partial<Record<keyof Service, unknown>>): Promise<Service> {
  const res = await fetch(`/api/services/${id}`, {
    method: 'PATCH',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new SaveError(res.status, e.code ?? 'error', e.message ?? res.statusText, Array.isArray(e.issues) ? e.issues : []);
  }
  return data as Service;
}

export const useService = (id: string | undefined) =>
  useQuery({ queryKey: [`/api/services/${id}`], queryFn: () => get<Service>(`/api/services/${id}`), enabled: !!id });
