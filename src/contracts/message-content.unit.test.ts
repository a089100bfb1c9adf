import { describe, expect, it } from 'vitest';
import { readMessagePayload } from './message-content.js';

describe('readMessagePayload: replyTo', () => {
  it('reads a customer reply (the provider id alone, as the channels store it) as the object', () => {
    expect(readMessagePayload({ replyTo: 'wamid.HBgN1' }).replyTo).toEqual({ externalId: 'wamid.HBgN1', messageId: undefined, text: undefined });
  });

  it('keeps an agent reply as stored: Mirante id, provider id (or none yet) and the quoted text', () => {
    expect(readMessagePayload({ replyTo: { messageId: 42, externalId: null, text: 'Meu pedido' } }).replyTo).toEqual({ messageId: 42, externalId: null, text: 'Meu pedido' });
  });

  it('drops a replyTo of another shape instead of breaking the history', () => {
    expect(readMessagePayload({ replyTo: 7, location: { latitude: 1, longitude: 2 } })).toEqual({ location: { latitude: 1, longitude: 2 } });
    expect(readMessagePayload({ replyTo: '' })).toEqual({});
    expect(readMessagePayload({ replyTo: { messageId: 'x' } })).toEqual({});
  });
});
