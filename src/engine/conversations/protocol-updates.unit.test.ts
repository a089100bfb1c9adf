import { describe, expect, it } from 'vitest';
import { isProtocolUpdateTransition, protocolUpdateParameters } from './protocol-updates.js';

describe('protocol update parameters', () => {
  it('fill {{1}} protocol, {{2}} service, {{3}} the new state, as many as the template takes', () => {
    expect(protocolUpdateParameters('20261206000042', 'Cobrança', 'completed', 3)).toEqual(['20261206000042', 'Cobrança', 'Concluído']);
    expect(protocolUpdateParameters('P1', 'S', 'transferred', 1)).toEqual(['P1']);
    expect(protocolUpdateParameters('P1', 'S', 'inactive_in_service', 0)).toEqual([]);
  });
  it('only the transitions a service may choose', () => {
    expect(['completed', 'cancelled', 'inactive_in_service', 'customer_gave_up', 'transferred'].every(isProtocolUpdateTransition)).toBe(true);
    expect(['abandoned', 'queued', 'in_service', 'discarded', 'reopened'].some(isProtocolUpdateTransition)).toBe(false);
  });
});
