import { useQuery } from '@tanstack/react-query';
import type { WrapupFieldInput } from '../../contracts/wrapup-fields';
import { call, type Body } from '../api';

/** PATCH /api/services/:id. */
export const patchService = (id: string, body: Body<'patchServicesById'>) => call('patchServicesById', { params: { id }, body });

/** PUT /api/services/:id/wrapup-fields: the whole ordered list. */
export const putWrapupFields = (id: string, items: WrapupFieldInput[]) => call('putServicesByIdWrapupFields', { params: { id }, body: { items } });

export const wrapupFieldsKey = (id: string | undefined) => [`/api/services/${id}/wrapup-fields`];
export const useWrapupFields = (id: string | undefined) =>
  useQuery({ queryKey: wrapupFieldsKey(id), queryFn: async () => (await call('getServicesByIdWrapupFields', { params: { id: id! } })).items, enabled: !!id });

export const useService = (id: string | undefined) =>
  useQuery({ queryKey: [`/api/services/${id}`], queryFn: () => call('getServicesById', { params: { id: id! } }), enabled: !!id });
