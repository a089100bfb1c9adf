import { describe, expect, it } from 'vitest';
import type { AgentView, ConversationView } from '../../contracts/conversations';
import {
  conversationsIn, countAgents, countConversations, inFilter, interaction, levelOf, oldestAssignment, periodOf, tileSince,
  whatsappWindowMs, type LiveFilter,
} from './live';

const TZ = 'America/Sao_Paulo';
// 2024-05-01 15:00 in São Paulo (UTC−3)
const NOW = Date.parse('2024-05-01T18:00:00Z');
const TODAY: LiveFilter = { serviceId: null, channel: null, date: '2024-05-01', allQueued: false };

let n = 0;
function conv(over: Partial<ConversationView>): ConversationView {
  n++;
  return {
    id: `c${n}`, protocol: `P${n}`, serviceId: 's1', channel: 'webchat', contactId: 'k', contactName: `Cliente ${n}`, direction: 'inbound',
    state: 'queued', priority: 'normal', agentId: null, preferredAgentId: null, subject: null, createdAt: '2024-05-01T17:00:00Z',
    botStartedAt: null, botEndedAt: null, queuedAt: '2024-05-01T17:00:00Z', firstQueuedAt: '2024-05-01T17:00:00Z', assignedAt: null,
    firstAssignedAt: null, firstAgentMessageAt: null, lastCustomerMessageAt: null, lastAgentMessageAt: null, lastMessageAt: null,
    lastMessageFrom: null, finishedAt: null, finishedBy: null, classificationId: null, wrapup: null, notes: null, transferCount: 0,
    ...over,
  };
}

function agent(over: Partial<AgentView>): AgentView {
  n++;
  return {
    id: `a${n}`, name: `Agente ${n}`, teamIds: ['t1'], presence: 'available', state: 'available', pauseReasonId: null, pendingPauseReasonId: null,
    stateSince: '2024-05-01T17:58:00Z', loggedInAt: null, openChat: 0, openEmail: 0, lastAssignedAt: null, connected: true, inCall: false, enabled: true,
    ...over,
  };
}

describe('Início: live counts in the browser', () => {
  it('takes the Período as the day in the contact center’s time zone', () => {
    const p = periodOf(TODAY, TZ, NOW);
    expect(new Date(p.start).toISOString()).toBe('2024-05-01T03:00:00.000Z');
    expect(new Date(p.end).toISOString()).toBe('2024-05-02T03:00:00.000Z');
    expect(p.isToday).toBe(true);
    // 23:30 in São Paulo is already the 2nd in UTC, still the 1st here
    const late = conv({ createdAt: '2024-05-02T02:30:00Z' });
    expect(inFilter(late, TODAY, p)).toBe(true);
  });

  it('counts a waiting conversation of another day only with Todos em Fila; today, whatever is with an agent counts', () => {
    const p = periodOf(TODAY, TZ, NOW);
    const old = conv({ createdAt: '2024-04-29T12:00:00Z', state: 'queued' });
    const oldInService = conv({ createdAt: '2024-04-29T12:00:00Z', state: 'in_service', agentId: 'a', assignedAt: '2024-05-01T12:00:00Z' });
    expect(inFilter(old, TODAY, p)).toBe(false);
    expect(inFilter(old, { ...TODAY, allQueued: true }, p)).toBe(true);
    expect(inFilter(oldInService, TODAY, p)).toBe(true);
    const past = { ...TODAY, date: '2024-04-29' };
    expect(inFilter(oldInService, past, periodOf(past, TZ, NOW))).toBe(true);
    expect(inFilter(conv({}), past, periodOf(past, TZ, NOW))).toBe(false);
  });

  it('counts per channel, per service and in total, with the service and channel filters', () => {
    const list = [
      conv({ state: 'queued' }),
      conv({ state: 'bot', channel: 'whatsapp', serviceId: 's2' }),
      conv({ state: 'in_service', agentId: 'a1', assignedAt: '2024-05-01T17:30:00Z' }),
      conv({ state: 'completed' }),
    ];
    const all = countConversations(list, TODAY, TZ);
    expect(all.totals).toEqual({ queued: 1, bot: 1, inService: 1, triage: 0, total: 3 });
    expect(all.byChannel.get('whatsapp')).toEqual({ queued: 0, bot: 1, inService: 0, triage: 0, total: 1 });
    expect(all.byService.get('s1')?.total).toBe(2);
    expect(countConversations(list, { ...TODAY, channel: 'whatsapp' }, TZ).totals.total).toBe(1);
    expect(countConversations(list, { ...TODAY, serviceId: 's1' }, TZ).totals.total).toBe(2);
    expect(conversationsIn(list, TODAY, TZ, { bucket: 'queued' }).map((c) => c.state)).toEqual(['queued']);
  });

  it('colours tiles: low up to 5 min, medium to 30, high beyond; in service by the oldest open conversation', () => {
    const t = { lowMinutes: 5, highMinutes: 30 };
    expect(levelOf(5 * 60_000, t)).toBe('low');
    expect(levelOf(5 * 60_000 + 1, t)).toBe('medium');
    expect(levelOf(30 * 60_000 + 1, t)).toBe('high');
    const a = agent({ state: 'in_service', stateSince: '2024-05-01T17:59:00Z' });
    const oldest = oldestAssignment([
      conv({ state: 'in_service', agentId: a.id, assignedAt: '2024-05-01T17:20:00Z' }),
      conv({ state: 'in_service', agentId: a.id, assignedAt: '2024-05-01T17:50:00Z' }),
    ]);
    expect(levelOf(NOW - tileSince(a, oldest), t)).toBe('high');
    const free = agent({ stateSince: '2024-05-01T17:58:00Z' });
    expect(levelOf(NOW - tileSince(free, oldest), t)).toBe('low');
    expect(countAgents([a, free, agent({ state: 'offline' }), agent({ state: 'paused' })])).toEqual({ available: 1, paused: 1, inService: 1, total: 3 });
  });

  it('finds conversations waiting for interaction, and those silent past the limit', () => {
    const list = [
      conv({ state: 'in_service', lastMessageFrom: 'customer', lastMessageAt: '2024-05-01T17:50:00Z' }),
      conv({ state: 'in_service', lastMessageFrom: 'agent', lastMessageAt: '2024-05-01T17:59:00Z' }),
      conv({ state: 'queued', lastMessageFrom: 'customer', lastMessageAt: '2024-05-01T17:59:30Z' }),
      conv({ state: 'bot', lastMessageFrom: 'customer', lastMessageAt: '2024-05-01T17:00:00Z' }),
    ];
    const i = interaction(list, TODAY, TZ, NOW, 5);
    expect([i.waitingCustomer.length, i.waitingAgent.length, i.silentCustomer.length, i.silentAgent.length]).toEqual([2, 1, 1, 0]);
  });

  it('gives the WhatsApp window left: 24 h after the customer’s last message', () => {
    expect(whatsappWindowMs(conv({ channel: 'whatsapp', lastCustomerMessageAt: '2024-05-01T17:00:00Z' }), NOW)).toBe(23 * 3600_000);
    expect(whatsappWindowMs(conv({ channel: 'webchat', lastCustomerMessageAt: '2024-05-01T17:00:00Z' }), NOW)).toBeNull();
  });
});
