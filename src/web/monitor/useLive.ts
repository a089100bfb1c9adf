import { useMemo } from 'react';
import type { Channel } from '../../contracts/common';
import { useSession } from '../auth/session';
import { useStore } from './actions';
import { CHANNEL_ORDER } from './channels';
import { agentsInFilter, countConversations, filterTeams, type ServiceInfo } from './live';
import { useMonitorState, useServices } from './useMonitor';
import { byName } from './format';

/** The live picture every tab starts from: counts in the filter, the services and channels in view, the agents in view. */
export function useLive() {
  const store = useStore();
  const state = useMonitorState(store);
  const { settings } = useSession();
  const { services, byId, loaded } = useServices();
  const tz = settings.timezone;
  const { filter, version } = state;

  const counts = useMemo(() => countConversations(state.conversations.values(), filter, tz), [state.conversations, version, filter, tz]);
  const servicesInView = useMemo(() => {
    const out: ServiceInfo[] = services.filter(
      (s) => (s.active || counts.byService.has(s.id)) && (!filter.serviceId || s.id === filter.serviceId) && (!filter.channel || s.channel === filter.channel),
    );
    return out.sort((a, b) => CHANNEL_ORDER.indexOf(a.channel) - CHANNEL_ORDER.indexOf(b.channel) || byName(a.name, b.name));
  }, [services, counts, filter]);
  const channels = useMemo(() => {
    const set = new Set<Channel>(servicesInView.map((s) => s.channel));
    for (const ch of counts.byChannel.keys()) set.add(ch);
    return CHANNEL_ORDER.filter((c) => set.has(c));
  }, [servicesInView, counts]);
  const teams = useMemo(() => filterTeams(filter, services), [filter, services]);
  // the order by name changes only when agents join, leave or are renamed: sort then, look up otherwise
  const order = useMemo(() => [...state.agents.values()].sort((a, b) => byName(a.name, b.name)).map((a) => a.id), [state.agents, state.agentSet]);
  const allAgents = useMemo(() => order.flatMap((id) => state.agents.get(id) ?? []), [order, state.agents, version]);
  const agents = useMemo(() => agentsInFilter(allAgents, teams), [allAgents, teams]);

  return { store, state, tz, settings, services, byId, servicesLoaded: loaded, counts, servicesInView, channels, allAgents, agents, teams };
}
