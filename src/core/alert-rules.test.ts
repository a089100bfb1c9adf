import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type AlertInput } from './alert-rules.js';

const M = 60_000;
const now = 1_000_000_000_000;
const base = (over: Partial<AlertInput> = {}): AlertInput => ({
  now,
  thresholds: { pauseMinutes: 15, queueWaitOverTarget: true, noInteractionMinutes: 10, longServiceMinutes: 30, queueLength: 2, serviceLevelPercent: 80 },
  agents: [],
  pauseReasons: new Map([['lunch', { name: 'Almoço', maxMinutes: 60 }], ['other', { name: 'Outra', maxMinutes: null }]]),
  conversations: [],
  services: new Map([['s1', { name: 'Suporte', teamIds: ['t1'], serviceLevelSeconds: 60, serviceLevel: null }]]),
  ...over,
});
const conv = (over: object) => ({ id: 'c1', protocol: '20261121000001', serviceId: 's1', state: 'queued', agentId: null, contactName: 'Ana', queuedAt: now, assignedAt: null, lastMessageAt: now, ...over });
const rules = (input: AlertInput) => evaluateAlerts(input).map((f) => `${f.rule}:${f.subjectId}`).sort();

describe('alert rules', () => {
  it('pause: the reason’s own limit first, else the general one', () => {
    const agents = [
      { id: 'a1', name: 'Bia', teamIds: ['t1'], presence: 'paused', pauseReasonId: 'lunch', stateSince: now - 59 * M },
      { id: 'a2', name: 'Caio', teamIds: ['t1'], presence: 'paused', pauseReasonId: 'lunch', stateSince: now - 61 * M },
      { id: 'a3', name: 'Duda', teamIds: ['t1'], presence: 'paused', pauseReasonId: 'other', stateSince: now - 16 * M },
      { id: 'a4', name: 'Enzo', teamIds: ['t1'], presence: 'available', pauseReasonId: null, stateSince: now - 600 * M },
    ];
    expect(rules(base({ agents }))).toEqual(['agent_paused_too_long:a2', 'agent_paused_too_long:a3']);
  });

  it('queue: wait over the service-level target (when on), and a queue longer than the limit', () => {
    const conversations = [conv({ id: 'c1', queuedAt: now - 61_000 }), conv({ id: 'c2', queuedAt: now - 59_000 }), conv({ id: 'c3', queuedAt: now })];
    expect(rules(base({ conversations }))).toEqual(['queue_too_long:s1', 'queue_wait_over_target:c1']);
    const off = base({ conversations });
    off.thresholds = { ...off.thresholds, queueWaitOverTarget: false, queueLength: 3 };
    expect(rules(off)).toEqual([]);
  });

  it('in service: silent past N minutes, open past the long-service limit', () => {
    const conversations = [
      conv({ id: 'c1', state: 'in_service', agentId: 'a1', assignedAt: now - 31 * M, lastMessageAt: now - 11 * M }),
      conv({ id: 'c2', state: 'in_service', agentId: 'a1', assignedAt: now - 29 * M, lastMessageAt: now - 9 * M }),
    ];
    expect(rules(base({ conversations }))).toEqual(['long_service:c1', 'no_interaction:c1']);
  });

  it('service level under target, but not before anything was measured', () => {
    expect(rules(base({ services: new Map([['s1', { name: 'S', teamIds: [], serviceLevelSeconds: 60, serviceLevel: 79.9 }]]) }))).toEqual(['service_level_below_target:s1']);
    expect(rules(base({ services: new Map([['s1', { name: 'S', teamIds: [], serviceLevelSeconds: 60, serviceLevel: null }]]) }))).toEqual([]);
  });
});
