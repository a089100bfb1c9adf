import { useQuery } from '@tanstack/react-query';
import type { Service } from '../../contracts/admin';
import type { WrapupFieldInput, WrapupFieldList } from '../../contracts/wrapup-fields';
import { get, patch, put } from '../api';

/** PATCH /api/services/:id. */
export const patchService = (id: string, body: Partial<Record<keyof Service, unknown>>) => patch<Service>(`/api/services/${id}`, body);

/** PUT /api/services/:id/wrapup-fields: the whole ordered list. */
export const putWrapupFields = (id: string, items: WrapupFieldInput[]) => put<WrapupFieldList>(`/api/services/${id}/wrapup-fields`, { items });

export const wrapupFieldsKey = (id: string | undefined) => [`/api/services/${id}/wrapup-fields`];
export const useWrapupFields = (id: string | undefined) =>
  useQuery({ queryKey: wrapupFieldsKey(id), queryFn: async () => (await get<WrapupFieldList>(`/api/services/${id}/wrapup-fields`)).items, enabled: !!id });

export const useService = (id: string | undefined) =>
  useQuery({ queryKey: [`/api/services/${id}`], queryFn: () => get<Service>(`/api/services/${id}`), enabled: !!id });
