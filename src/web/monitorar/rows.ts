import type { Channel } from '../../contracts/common';
import type { ConversationView } from '../../contracts/conversations';
import type { MonitorarGroup, MonitorarRow, MonitorarView } from '../../contracts/monitor';
import { NO_AGENT_KEY } from '../../shared/monitorar';
import { CONVERSATION_STATES, isOpenState } from '../../shared/states';
import { CHANNEL_ORDER } from '../monitor/channels';
import { byName, byText } from '../monitor/format';

// Monitorar in the browser. "Em andamento" is computed here from the open conversations the /ws
// monitor stream keeps (the same picture Início counts), so a conversation that changes state moves
// between groups, a new one appears and a finished one leaves as the events arrive. The day periods
// come from the server (GET /api/monitor/conversations); both meet in one row shape, MonitorarRow,
// with the server's grouping and order (open: oldest first).

/** The names a row shows that a conversation view carries only as ids. */
export interface Names {
  agent(id: string): string | null;
  service(id: string): string | null;
}

export function rowOf(c: ConversationView, names: Names): MonitorarRow {
  return {
    id: c.id,
    protocol: c.protocol,
    channel: c.channel,
    contactName: c.contactName,
    agentId: c.agentId,
    agentName: c.agentId ? names.agent(c.agentId) : null,
    serviceId: c.serviceId,
    serviceName: names.service(c.serviceId) ?? '',
    state: c.state,
    subject: c.subject,
    createdAt: c.createdAt,
    firstQueuedAt: c.firstQueuedAt,
    firstAssignedAt: c.firstAssignedAt,
    finishedAt: c.finishedAt,
    lastMessageAt: c.lastMessageAt,
  };
}

/** The group of a row in a view (the server groups by the same columns). */
export function groupKeyOf(view: MonitorarView, r: Pick<MonitorarRow, 'state' | 'serviceId' | 'agentId' | 'channel'>): string {
  switch (view) {
    case 'status':
      return r.state;
    case 'service':
      return r.serviceId;
    case 'agent':
      return r.agentId ?? NO_AGENT_KEY;
    case 'channel':
      return r.channel;
  }
}

export interface OpenGroup extends MonitorarGroup {
  rows: MonitorarRow[];
}

/** The screen's order of groups: states and channels as listed, services and agents by name, Sem agente last. */
export function compareGroups(view: MonitorarView): (a: MonitorarGroup, b: MonitorarGroup) => number {
  if (view === 'status') return (a, b) => CONVERSATION_STATES.indexOf(a.key as never) - CONVERSATION_STATES.indexOf(b.key as never);
  if (view === 'channel') return (a, b) => CHANNEL_ORDER.indexOf(a.key as Channel) - CHANNEL_ORDER.indexOf(b.key as Channel);
  return (a, b) => {
    if (a.key === NO_AGENT_KEY || b.key === NO_AGENT_KEY) return Number(a.key === NO_AGENT_KEY) - Number(b.key === NO_AGENT_KEY);
    return byName(a.label ?? '', b.label ?? '') || byText(a.key, b.key);
  };
}

/** Em andamento: the open conversations in the filter, grouped, each group oldest first. */
export function openGroups(
  conversations: Iterable<ConversationView>,
  view: MonitorarView,
  filter: { serviceId: string | null; channel: Channel | null },
  names: Names,
): OpenGroup[] {
  const groups = new Map<string, OpenGroup>();
  for (const c of conversations) {
    if (!isOpenState(c.state)) continue;
    if (filter.serviceId && c.serviceId !== filter.serviceId) continue;
    if (filter.channel && c.channel !== filter.channel) continue;
    const row = rowOf(c, names);
    const key = groupKeyOf(view, row);
    let g = groups.get(key);
    if (!g) {
      const label = view === 'service' ? row.serviceName || null : view === 'agent' && row.agentId ? row.agentName : null;
      groups.set(key, (g = { key, label, count: 0, rows: [] }));
    }
    g.rows.push(row);
    g.count++;
  }
  const out = [...groups.values()];
  for (const g of out) g.rows.sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id));
  return out.sort(compareGroups(view));
}

// --- the columns' times ------------------------------------------------------------------------------

const ms = (iso: string) => Date.parse(iso);

/** Duração: from the start to the end, or to now while it goes on. */
export function durationMs(r: MonitorarRow, now: number): number {
  return Math.max(0, (r.finishedAt ? ms(r.finishedAt) : now) - ms(r.createdAt));
}

/** T.Fila: from entering the queue until an agent took it (or it ended, or now); null if it never queued. */
export function queueMs(r: MonitorarRow, now: number): number | null {
  if (!r.firstQueuedAt) return null;
  const end = r.firstAssignedAt ?? r.finishedAt;
  return Math.max(0, (end ? ms(end) : now) - ms(r.firstQueuedAt));
}

/** T.Atd: from the agent taking it to its end, or now; null if no agent took it. */
export function handleMs(r: MonitorarRow, now: number): number | null {
  if (!r.firstAssignedAt) return null;
  return Math.max(0, (r.finishedAt ? ms(r.finishedAt) : now) - ms(r.firstAssignedAt));
}

/** Whether the row's times still run (an open conversation). */
export const ticking = (r: MonitorarRow) => isOpenState(r.state);
