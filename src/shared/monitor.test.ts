import { describe, expect, it } from 'vitest';
import { addCount, countAgents, countsInPeriod, filterTeams, interactionOf, zeroCounts } from './monitor.js';

const H = 3_600_000;
const today = { start: 10 * H, end: 34 * H, isToday: true };
const pastDay = { ...today, isToday: false };

describe('the live monitor rules (server figures and browser counts)', () => {
  it('counts a conversation in the Período by its day; waiting ones of any day with Todos em Fila; today, whatever is with an agent or the bot', () => {
    const yesterday = 5 * H;
    expect(countsInPeriod({ state: 'queued', createdAt: 11 * H }, today, false)).toBe(true);
    expect(countsInPeriod({ state: 'queued', createdAt: yesterday }, today, false)).toBe(false);
    expect(countsInPeriod({ state: 'queued', createdAt: yesterday }, today, true)).toBe(true);
    expect(countsInPeriod({ state: 'triage', createdAt: yesterday }, pastDay, true)).toBe(true);
    expect(countsInPeriod({ state: 'in_service', createdAt: yesterday }, today, false)).toBe(true);
    expect(countsInPeriod({ state: 'bot', createdAt: yesterday }, pastDay, false)).toBe(false);
    expect(countsInPeriod({ state: 'in_service', createdAt: yesterday }, today, true)).toBe(true);
  });

  it('buckets open states and ignores finished ones', () => {
    const c = zeroCounts();
    for (const s of ['queued', 'bot', 'in_service', 'triage', 'completed', 'abandoned']) addCount(c, s);
    expect(c).toEqual({ queued: 1, bot: 1, inService: 1, triage: 1, total: 4 });
  });

  it('counts logged-in agents by column, and the teams a service or channel filter shows', () => {
    expect(countAgents([{ state: 'available' }, { state: 'paused' }, { state: 'in_service' }, { state: 'offline' }])).toEqual({ available: 1, paused: 1, inService: 1, total: 3 });
    const services = [{ id: 's1', channel: 'webchat', teamIds: ['t1'] }, { id: 's2', channel: 'whatsapp', teamIds: ['t2', 't3'] }];
    expect(filterTeams(services, {})).toBeNull();
    expect([...filterTeams(services, { serviceId: 's2' })!]).toEqual(['t2', 't3']);
    expect([...filterTeams(services, { channel: 'webchat' })!]).toEqual(['t1']);
  });

  it('says who a queued or in-service conversation waits for, and whether it has been silent too long', () => {
    const now = 20 * H;
    const limit = 5 * 60_000;
    expect(interactionOf({ state: 'in_service', lastMessageAt: now - limit - 1, lastMessageFrom: 'customer' }, now, limit)).toEqual({ lastFrom: 'customer', silent: true });
    expect(interactionOf({ state: 'queued', lastMessageAt: now - limit, lastMessageFrom: 'agent' }, now, limit)).toEqual({ lastFrom: 'agent', silent: false });
    expect(interactionOf({ state: 'bot', lastMessageAt: now, lastMessageFrom: 'customer' }, now, limit)).toBeNull();
    expect(interactionOf({ state: 'queued', lastMessageAt: now, lastMessageFrom: 'system' }, now, limit)).toBeNull();
    expect(interactionOf({ state: 'queued', lastMessageAt: null, lastMessageFrom: null }, now, limit)).toBeNull();
  });
});
