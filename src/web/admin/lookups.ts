import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { Service, Team, Template, TemplateCategory, User } from '../../contracts/admin';
import type { Channel, Language, Role } from '../../contracts/common';
import { call, type ResourceFor } from '../api';
import { useList, type Option } from '../ui/ResourcePage';

// Lists the contracts hold as zod enums, kept here as plain data so the web bundle does not carry zod;
// a Record over the contract's type makes the compiler flag a value added there and missing here.
const CHANNEL_SET: Record<Channel, true> = { webchat: true, email: true, whatsapp: true, instagram: true, facebook: true, telegram: true, sms: true, api: true };
const ROLE_SET: Record<Role, true> = { admin: true, supervisor: true, agent: true };
const LANGUAGE_SET: Record<Language, true> = { 'pt-BR': true, en: true };
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];
export const ROLES = Object.keys(ROLE_SET) as Role[];
export const LANGUAGES = Object.keys(LANGUAGE_SET) as Language[];

export const channelOptions = (t: TFunction): Option[] => CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }));
export const roleOptions = (t: TFunction): Option[] => ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
export const languageOptions = (t: TFunction): Option[] => LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }));

/** Every record of a list (active or not), with a name by id for the table cells. */
function useLookup<T extends { id: string }>(resource: ResourceFor<T>, label: (item: T) => string) {
  const list = useList<T>(resource);
  return useMemo(() => {
    const items = list.data ?? [];
    const names = new Map(items.map((i) => [i.id, label(i)]));
    return { items, names, isLoading: list.isLoading };
  }, [list.data, list.isLoading]); // `label` is a fixed function of each caller below
}

export const useTeams = () => useLookup<Team>('Teams', (x) => x.name);
export const useUsers = () => useLookup<User>('Users', (x) => x.name);
export const useServices = () => useLookup<Service>('Services', (x) => x.name);
/** The channel accounts, for an admin only (the API is theirs): a service picks its account among them. */
export function useChannelAccounts(enabled: boolean) {
  const list = useQuery({
    queryKey: ['/api/channel-accounts', {}],
    queryFn: () => call('getChannelAccounts').then((r) => r.items),
    enabled,
  });
  return useMemo(() => {
    const items = list.data ?? [];
    return { items, names: new Map(items.map((a) => [a.id, a.name])) };
  }, [list.data]);
}
export const useTemplateCategories = () => useLookup<TemplateCategory>('TemplateCategories', (x) => `${x.code} · ${x.title}`);
export const useTemplates = () => useLookup<Template>('Templates', (x) => x.name);

/**
 * Options for a multiselect: the records that may be picked (active, and what `eligible` allows) plus
 * any already chosen, so a form never hides a value it holds.
 */
export function pickOptions<T extends { id: string; active: boolean }>(
  items: T[],
  label: (item: T) => string,
  eligible: (item: T) => boolean = () => true,
): Option[] {
  return items.filter((i) => i.active && eligible(i)).map((i) => ({ value: i.id, label: label(i) }));
}

/** Adds to `options` the chosen ids they lack (an inactive team still linked), labelled by `names`. */
export function withChosen(options: Option[], chosen: string[] | null | undefined, names: Map<string, string>): Option[] {
  const missing = (chosen ?? []).filter((id) => !options.some((o) => o.value === id));
  return missing.length ? [...options, ...missing.map((id) => ({ value: id, label: names.get(id) ?? id }))] : options;
}

export const namesOf = (ids: string[] | null | undefined, names: Map<string, string>) =>
  (ids ?? []).map((id) => names.get(id)).filter((n): n is string => !!n).sort((a, b) => a.localeCompare(b));

/** A duration in seconds as a person reads it, as everywhere: m:ss, h:mm:ss (shared/duration.ts). */
export { formatSeconds } from '../../shared/duration';
