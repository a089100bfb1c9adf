import { describe, expect, it } from 'vitest';
import type { ConversationView } from '../../contracts/conversations';
import type { MonitorarRow } from '../../contracts/monitor';
import { durationMs, handleMs, openGroups, queueMs } from './rows';

let n = 0;
function conv(over: Partial<ConversationView>): ConversationView {
  n++;
  return {
    id: `c${String(n).padStart(3, '0')}`, protocol: `P${n}`, serviceId: 's1', channel: 'webchat', contactId: 'k', contactName: `Cliente ${n}`,
    direction: 'inbound', state: 'queued', priority: 'normal', agentId: null, preferredAgentId: null, subject: null, createdAt: '2024-05-01T17:00:00.000Z',
    botStartedAt: null, botEndedAt: null, queuedAt: null, firstQueuedAt: null, assignedAt: null, firstAssignedAt: null, firstAgentMessageAt: null,
    lastCustomerMessageAt: null, lastAgentMessageAt: null, lastMessageAt: null, lastMessageFrom: null, finishedAt: null, finishedBy: null,
    classificationId: null, wrapup: null, notes: null, transferCount: 0, ...over,
  };
}

const names = { agent: (id: string) => ({ a1: 'Bia', a2: 'Ana' })[id] ?? null, service: (id: string) => ({ s1: 'Vendas', s2: 'Suporte' })[id] ?? null };
const NONE = { serviceId: null, channel: null };

describe('Monitorar, Em andamento: groups from the live conversations', () => {
  const cs = [
    conv({ state: 'in_service', agentId: 'a1', createdAt: '2024-05-01T17:05:00.000Z' }),
    conv({ state: 'queued', createdAt: '2024-05-01T17:01:00.000Z', serviceId: 's2', channel: 'whatsapp' }),
    conv({ state: 'in_service', agentId: 'a2', createdAt: '2024-05-01T16:00:00.000Z' }),
    conv({ state: 'completed', agentId: 'a2' }),
    conv({ state: 'bot', createdAt: '2024-05-01T17:02:00.000Z', channel: 'email', serviceId: 's2' }),
    conv({ state: 'in_service', agentId: 'a1', createdAt: '2024-05-01T17:05:00.000Z' }),
  ];

  it('groups by situação in the states’ order, leaving finished ones out, each oldest first', () => {
    const g = openGroups(cs, 'status', NONE, names);
    expect(g.map((x) => [x.key, x.count])).toEqual([['bot', 1], ['queued', 1], ['in_service', 3]]);
    expect(g[2].rows.map((r) => r.id)).toEqual([cs[2].id, cs[0].id, cs[5].id]);
  });

  it('groups by agent by name, Sem agente last; by service by name; by channel in the channels’ order', () => {
    expect(openGroups(cs, 'agent', NONE, names).map((x) => [x.key, x.label, x.count])).toEqual([['a2', 'Ana', 1], ['a1', 'Bia', 2], ['none', null, 2]]);
    expect(openGroups(cs, 'service', NONE, names).map((x) => [x.label, x.count])).toEqual([['Suporte', 2], ['Vendas', 3]]);
    expect(openGroups(cs, 'channel', NONE, names).map((x) => x.key)).toEqual(['webchat', 'whatsapp', 'email']);
  });

  it('applies the service and channel filters', () => {
    expect(openGroups(cs, 'status', { serviceId: 's2', channel: null }, names).reduce((a, g) => a + g.count, 0)).toBe(2);
    expect(openGroups(cs, 'status', { serviceId: null, channel: 'email' }, names).map((g) => g.key)).toEqual(['bot']);
  });

  it('a state change moves a conversation between groups', () => {
    const moved = cs.map((c) => (c.id === cs[1].id ? { ...c, state: 'in_service' as const, agentId: 'a2' } : c));
    expect(openGroups(moved, 'status', NONE, names).map((x) => [x.key, x.count])).toEqual([['bot', 1], ['in_service', 4]]);
  });
});

describe('Monitorar: the columns’ times', () => {
  const NOW = Date.parse('2024-05-01T18:00:00.000Z');
  const row = (over: Partial<MonitorarRow>): MonitorarRow => ({
    id: 'x', protocol: 'p', channel: 'webchat', contactName: null, agentId: null, agentName: null, serviceId: 's', serviceName: 'S', state: 'queued',
    subject: null, createdAt: '2024-05-01T17:00:00.000Z', firstQueuedAt: null, firstAssignedAt: null, finishedAt: null, lastMessageAt: null, ...over,
  });

  it('Duração runs to now while open, to the end once finished', () => {
    expect(durationMs(row({}), NOW)).toBe(3600_000);
    expect(durationMs(row({ state: 'completed', finishedAt: '2024-05-01T17:10:00.000Z' }), NOW)).toBe(600_000);
  });

  it('T.Fila: queue to assignment, to the end when abandoned, to now while waiting; null when never queued', () => {
    expect(queueMs(row({}), NOW)).toBeNull();
    expect(queueMs(row({ firstQueuedAt: '2024-05-01T17:00:30.000Z' }), NOW)).toBe(3570_000);
    expect(queueMs(row({ firstQueuedAt: '2024-05-01T17:00:30.000Z', firstAssignedAt: '2024-05-01T17:01:00.000Z' }), NOW)).toBe(30_000);
    expect(queueMs(row({ state: 'abandoned', firstQueuedAt: '2024-05-01T17:00:00.000Z', finishedAt: '2024-05-01T17:02:00.000Z' }), NOW)).toBe(120_000);
  });

  it('T.Atd: assignment to the end or now; null when no agent took it', () => {
    expect(handleMs(row({}), NOW)).toBeNull();
    expect(handleMs(row({ state: 'in_service', firstAssignedAt: '2024-05-01T17:30:00.000Z' }), NOW)).toBe(1800_000);
    expect(handleMs(row({ state: 'completed', firstAssignedAt: '2024-05-01T17:30:00.000Z', finishedAt: '2024-05-01T17:35:00.000Z' }), NOW)).toBe(300_000);
  });
});
