// The figures of the live monitor (Início), computed from the open conversations, the agents and the
// day's aggregates. Pure: the caller passes "now"; definitions are those of reference/metrics.md.
// The rules the browser applies too (what counts in the Período, buckets, agent columns, silence)
// are in shared/monitor.ts.

import { addCount, countAgents, countsInPeriod, filterTeams, interactionOf, zeroCounts as zero, type Counts } from '../shared/monitor.js';

export type Channel = string;

export interface LiveConversation {
  id: string;
  serviceId: string;
  channel: Channel;
  state: string;
  agentId: string | null;
  createdAt: number;
  queuedAt: number | null;
  lastMessageAt: number | null;
  lastMessageFrom: string | null;
}

export interface LiveAgent {
  id: string;
  teamIds: readonly string[];
  /** displayed state: offline, available, paused, in_service */
  state: string;
}

export interface ServiceInfo {
  id: string;
  name: string;
  channel: Channel;
  teamIds: readonly string[];
  serviceLevelSeconds: number;
  tmaGoalSeconds: number;
}

/** One service's counters for one day. Sums in milliseconds. */
export interface ServiceDay {
  offered: number;
  answered: number;
  answeredInTarget: number;
  waitSumMs: number;
  abandoned: number;
  shortAbandoned: number;
  handled: number;
  handleSumMs: number;
  completed: number;
  finished: number;
}

export interface DayAggregates {
  day: string;
  services: Record<string, ServiceDay>;
  /** finished per `${hour}|${channel}|${serviceId}` */
  hourly: Record<string, number>;
  /** created per `${channel}|${serviceId}` */
  created: Record<string, number>;
}

export interface MonitorInput {
  conversations: Iterable<LiveConversation>;
  agents: Iterable<LiveAgent>;
  /** the services in the viewer's scope; conversations of other services are ignored */
  services: readonly ServiceInfo[];
  day: DayAggregates;
  filter: { serviceId?: string; channel?: Channel; allQueued?: boolean };
  /** agents outside the viewer's scope are ignored when set */
  agentIds?: ReadonlySet<string> | null;
  now: number;
  /** the Período day as [dayStart, dayEnd) in epoch ms */
  dayStart: number;
  dayEnd: number;
  noInteractionMinutes: number;
}

export const emptyServiceDay = (): ServiceDay => ({
  offered: 0, answered: 0, answeredInTarget: 0, waitSumMs: 0, abandoned: 0, shortAbandoned: 0, handled: 0, handleSumMs: 0, completed: 0, finished: 0,
});

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (num: number, den: number) => (den > 0 ? round1((num / den) * 100) : null);
/** A mean of millisecond sums as whole seconds (null when nothing was counted). */
export const meanSeconds = (sumMs: number, n: number) => (n > 0 ? Math.round(sumMs / n / 1000) : null);
const mean = meanSeconds;

/** NS, TME, abandonment and TMA of one set of counters: the monitor's definitions, shared with Gráficos. */
export function dayFigures(d: ServiceDay) {
  return {
    serviceLevel: ratio(d.answeredInTarget, d.answered + d.abandoned - d.shortAbandoned),
    tmeSeconds: mean(d.waitSumMs, d.answered),
    abandonmentRate: ratio(d.abandoned, d.offered),
    tmaSeconds: mean(d.handleSumMs, d.handled),
  };
}


/** Every figure of Posição Geral, Serviços and Painel for one viewer and one filter. */
export function computeMonitor(input: MonitorInput) {
  const { filter, now, day } = input;
  const services = input.services.filter((s) => (!filter.serviceId || s.id === filter.serviceId) && (!filter.channel || s.channel === filter.channel));
  const inView = new Map(services.map((s) => [s.id, s]));
  const noInteractionMs = input.noInteractionMinutes * 60_000;
  const period = { start: input.dayStart, end: input.dayEnd, isToday: now >= input.dayStart && now < input.dayEnd };

  // every channel of the viewer's services has its row, zeros included: wallboards and other
  // systems reading the snapshot keep their shape when nothing is live
  const byChannel = new Map<Channel, Counts>(services.map((s) => [s.channel, zero()]));
  const byService = new Map<string, Counts & { oldestQueuedAt: number | null }>();
  const totals = zero();
  const panel = { waitingCustomer: 0, waitingAgent: 0, noInteractionCustomer: 0, noInteractionAgent: 0 };
  let dayInService = 0;
  let dayQueued = 0;

  for (const c of input.conversations) {
    const s = inView.get(c.serviceId);
    if (!s) continue;
    if (!countsInPeriod(c, period, !!filter.allQueued)) continue;
    const ch = byChannel.get(c.channel) ?? zero();
    byChannel.set(c.channel, ch);
    addCount(ch, c.state);
    addCount(totals, c.state);
    const sv = byService.get(s.id) ?? { ...zero(), oldestQueuedAt: null };
    byService.set(s.id, sv);
    addCount(sv, c.state);
    if (c.state === 'queued' && c.queuedAt !== null && (sv.oldestQueuedAt === null || c.queuedAt < sv.oldestQueuedAt)) sv.oldestQueuedAt = c.queuedAt;
    if (c.state === 'in_service') dayInService++;
    if (c.state === 'queued') dayQueued++;
    const waitingFor = interactionOf(c, now, noInteractionMs);
    if (waitingFor?.lastFrom === 'customer') {
      panel.waitingCustomer++;
      if (waitingFor.silent) panel.noInteractionCustomer++;
    } else if (waitingFor?.lastFrom === 'agent') {
      panel.waitingAgent++;
      if (waitingFor.silent) panel.noInteractionAgent++;
    }
  }

  const scoped = [...input.agents].filter((a) => !input.agentIds || input.agentIds.has(a.id));
  const filteredTeams = filterTeams(input.services, filter);
  const filteredAgents = filteredTeams ? scoped.filter((a) => a.teamIds.some((t) => filteredTeams.has(t))) : scoped;

  let handled = 0;
  let handleSumMs = 0;
  let goalWeighted = 0;
  let dayCompleted = 0;
  const serviceRows = services.map((s) => {
    const live = byService.get(s.id) ?? { ...zero(), oldestQueuedAt: null };
    const d = day.services[s.id] ?? emptyServiceDay();
    handled += d.handled;
    handleSumMs += d.handleSumMs;
    goalWeighted += s.tmaGoalSeconds * d.handled;
    dayCompleted += d.completed;
    const figures = dayFigures(d);
    return {
      serviceId: s.id,
      name: s.name,
      channel: s.channel,
      bot: live.bot,
      queued: live.queued,
      inService: live.inService,
      total: live.bot + live.queued + live.inService + live.triage,
      offered: d.offered,
      answered: d.answered,
      abandoned: d.abandoned,
      shortAbandoned: d.shortAbandoned,
      answeredInTarget: d.answeredInTarget,
      completed: d.completed,
      serviceLevel: figures.serviceLevel,
      serviceLevelTargetSeconds: s.serviceLevelSeconds,
      tmeSeconds: figures.tmeSeconds,
      longestWaitSeconds: live.oldestQueuedAt === null ? null : Math.max(0, Math.round((now - live.oldestQueuedAt) / 1000)),
      abandonmentRate: figures.abandonmentRate,
      tmaSeconds: figures.tmaSeconds,
      tmaGoalSeconds: s.tmaGoalSeconds,
    };
  });

  const hourly = new Map<string, number>();
  for (const [key, n] of Object.entries(day.hourly)) {
    const [hour, channel, serviceId] = key.split('|');
    if (!inView.has(serviceId)) continue;
    hourly.set(`${hour}|${channel}`, (hourly.get(`${hour}|${channel}`) ?? 0) + n);
  }
  const created = new Map<Channel, number>();
  for (const [key, n] of Object.entries(day.created)) {
    const [channel, serviceId] = key.split('|');
    if (inView.has(serviceId)) created.set(channel, (created.get(channel) ?? 0) + n);
  }
  const general = countAgents(scoped);

  return {
    channels: [...byChannel.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([channel, c]) => ({ channel, ...c })),
    totals,
    agents: general,
    agentsFiltered: filteredTeams ? countAgents(filteredAgents) : general,
    services: serviceRows,
    hourly: [...hourly.entries()].map(([k, finished]) => {
      const [hour, channel] = k.split('|');
      return { hour: Number(hour), channel, finished };
    }).sort((a, b) => a.hour - b.hour || a.channel.localeCompare(b.channel)),
    dayByChannel: [...created.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([channel, total]) => ({ channel, total })),
    panel: {
      ...panel,
      noInteractionMinutes: input.noInteractionMinutes,
      agentsOnline: general.total,
      agentsOffline: scoped.length - general.total,
      agentsAttending: general.inService,
      tmaSeconds: mean(handleSumMs, handled),
      tmaGoalSeconds: handled > 0 ? Math.round(goalWeighted / handled) : services.length ? Math.round(services.reduce((a, s) => a + s.tmaGoalSeconds, 0) / services.length) : null,
      dayInService,
      dayQueued,
      dayCompleted,
    },
  };
}
