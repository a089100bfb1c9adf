import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyToDay, emptyDay, type ConversationTimes, type DayContext } from './monitor-day.js';
import { computeMonitor, emptyServiceDay, type LiveConversation, type ServiceInfo } from './monitor-figures.js';

const H = 3_600_000;
const dayStart = Date.UTC(2026, 10, 21, 3); // midnight in São Paulo (UTC−3)
const ctx: DayContext = {
  dayStart,
  dayEnd: dayStart + 24 * H,
  hourOf: (t) => Math.floor((t - dayStart) / H),
  serviceLevelSeconds: () => 60,
  shortAbandonSeconds: 10,
};
const svc = (id: string, channel: string, teamIds: string[] = ['t1']): ServiceInfo => ({ id, name: id, channel, teamIds, serviceLevelSeconds: 60, tmaGoalSeconds: 300 });
const conv = (over: Partial<LiveConversation>): LiveConversation => ({
  id: Math.random().toString(36), serviceId: 's1', channel: 'webchat', state: 'queued', agentId: null,
  createdAt: dayStart + H, queuedAt: dayStart + H, lastMessageAt: dayStart + H, lastMessageFrom: 'customer', ...over,
});

describe('monitor figures', () => {
  it('counts Posição Geral per channel, the agents table Geral and Filtro Serviço', () => {
    const now = dayStart + 2 * H;
    const f = computeMonitor({
      conversations: [
        conv({ state: 'queued' }),
        conv({ state: 'bot' }),
        conv({ state: 'in_service', agentId: 'a1' }),
        conv({ serviceId: 's2', channel: 'whatsapp', state: 'queued', queuedAt: dayStart + 30 * 60_000 }),
        // yesterday's waiting conversation: only with Todos em Fila
        conv({ state: 'queued', createdAt: dayStart - H, queuedAt: dayStart - H }),
      ],
      agents: [
        { id: 'a1', teamIds: ['t1'], state: 'in_service' },
        { id: 'a2', teamIds: ['t2'], state: 'available' },
        { id: 'a3', teamIds: ['t1'], state: 'paused' },
        { id: 'a4', teamIds: ['t1'], state: 'offline' },
      ],
      services: [svc('s1', 'webchat', ['t1']), svc('s2', 'whatsapp', ['t2'])],
      day: emptyDay('2026-11-21'),
      filter: {},
      now,
      dayStart,
      dayEnd: dayStart + 24 * H,
      noInteractionMinutes: 5,
    });
    expect(f.channels).toEqual([
      { channel: 'webchat', queued: 1, bot: 1, inService: 1, triage: 0, total: 3 },
      { channel: 'whatsapp', queued: 1, bot: 0, inService: 0, triage: 0, total: 1 },
    ]);
    expect(f.totals.total).toBe(4);
    expect(f.agents).toEqual({ available: 1, paused: 1, inService: 1, total: 3 });
    expect(f.agentsFiltered).toEqual(f.agents);
    expect(f.services.find((s) => s.serviceId === 's2')!.longestWaitSeconds).toBe(90 * 60);
    // the bot one waits for the bot, not for an agent
    expect(f.panel).toMatchObject({ agentsOnline: 3, agentsOffline: 1, agentsAttending: 1, waitingCustomer: 3, noInteractionCustomer: 3 });

    const filtered = computeMonitor({
      conversations: [conv({ state: 'queued', createdAt: dayStart - H, queuedAt: dayStart - H })],
      agents: [{ id: 'a1', teamIds: ['t1'], state: 'available' }, { id: 'a2', teamIds: ['t2'], state: 'available' }],
      services: [svc('s1', 'webchat', ['t1']), svc('s2', 'whatsapp', ['t2'])],
      day: emptyDay('2026-11-21'),
      filter: { serviceId: 's1', allQueued: true },
      now, dayStart, dayEnd: dayStart + 24 * H, noInteractionMinutes: 5,
    });
    expect(filtered.totals.queued).toBe(1);
    expect(filtered.agents.total).toBe(2);
    expect(filtered.agentsFiltered.total).toBe(1);
  });

  it('lists every channel of the viewer\'s services, with zeros, when nothing is live', () => {
    const f = computeMonitor({
      conversations: [],
      agents: [],
      services: [svc('s1', 'webchat'), svc('s2', 'whatsapp'), svc('s3', 'whatsapp'), svc('s4', 'email')],
      day: emptyDay('2026-11-21'),
      filter: {},
      now: dayStart + H, dayStart, dayEnd: dayStart + 24 * H, noInteractionMinutes: 5,
    });
    const none = { queued: 0, bot: 0, inService: 0, triage: 0, total: 0 };
    expect(f.channels).toEqual([{ channel: 'email', ...none }, { channel: 'webchat', ...none }, { channel: 'whatsapp', ...none }]);
    // a channel filter keeps only its own row
    const wa = computeMonitor({
      conversations: [], agents: [], services: [svc('s1', 'webchat'), svc('s2', 'whatsapp')], day: emptyDay('2026-11-21'),
      filter: { channel: 'whatsapp' }, now: dayStart + H, dayStart, dayEnd: dayStart + 24 * H, noInteractionMinutes: 5,
    });
    expect(wa.channels).toEqual([{ channel: 'whatsapp', ...none }]);
  });

  it('NS, TME, abandonment and TMA follow metrics.md', () => {
    const day = emptyDay('2026-11-21');
    const t0 = dayStart + H;
    const life = (wait: number | null, end: string, handle = 0): [ConversationTimes, ConversationTimes] => {
      const open: ConversationTimes = { serviceId: 's1', channel: 'webchat', state: 'queued', createdAt: t0, firstQueuedAt: t0, queuedAt: t0, firstAssignedAt: null, finishedAt: null };
      const assigned = wait === null ? null : t0 + wait * 1000;
      const done = { ...open, state: end, firstAssignedAt: assigned, finishedAt: (assigned ?? t0 + 5000) + handle * 1000 };
      return [open, done];
    };
    for (const [open, done] of [life(30, 'completed', 200), life(90, 'completed', 400), life(null, 'abandoned'), life(null, 'customer_gave_up')]) {
      applyToDay(day, undefined, open, ctx);
      applyToDay(day, open, { ...done, state: 'in_service', finishedAt: null }, ctx);
      applyToDay(day, { ...done, state: 'in_service', finishedAt: null }, done, ctx);
    }
    const s = day.services.s1;
    expect(s).toMatchObject({ offered: 4, answered: 2, answeredInTarget: 1, abandoned: 2, shortAbandoned: 2, handled: 2, completed: 2, finished: 4 });
    const f = computeMonitor({ conversations: [], agents: [], services: [svc('s1', 'webchat')], day, filter: {}, now: t0 + H, dayStart, dayEnd: dayStart + 24 * H, noInteractionMinutes: 5 });
    const row = f.services[0];
    // NS = 1 in target ÷ (2 answered + 2 abandoned − 2 short) = 50 %
    expect(row.serviceLevel).toBe(50);
    expect(row.tmeSeconds).toBe(60);
    expect(row.abandonmentRate).toBe(50);
    expect(row.tmaSeconds).toBe(300);
    expect(f.hourly).toEqual([{ hour: 1, channel: 'webchat', finished: 4 }]);
  });

  it('each milestone is counted once whatever the order and repetition of changes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 }), (steps) => {
        const day = emptyDay('d');
        const t0 = dayStart + H;
        let cur: ConversationTimes = { serviceId: 's1', channel: 'sms', state: 'queued', createdAt: t0, firstQueuedAt: t0, queuedAt: t0, firstAssignedAt: null, finishedAt: null };
        // conversation.created always comes first; then any sequence, with repetitions
        applyToDay(day, undefined, cur, ctx);
        let prev: ConversationTimes | undefined = cur;
        for (const s of steps) {
          if (s === 1 && cur.state === 'queued') cur = { ...cur, state: 'in_service', firstAssignedAt: cur.firstAssignedAt ?? t0 + 1000 };
          if (s === 2 && cur.state === 'in_service') cur = { ...cur, state: 'queued', queuedAt: t0 + 2000 };
          if (s === 3 && cur.state !== 'completed') cur = { ...cur, state: 'completed', finishedAt: t0 + 3000 };
          applyToDay(day, prev, cur, ctx);
          prev = cur;
        }
        const sd = day.services.s1 ?? emptyServiceDay();
        expect(sd.offered).toBe(1);
        expect(sd.answered).toBe(cur.firstAssignedAt ? 1 : 0);
        expect(sd.finished).toBe(cur.finishedAt ? 1 : 0);
        expect(Object.values(day.created).reduce((a, b) => a + b, 0)).toBe(1);
      }),
    );
  });
});
