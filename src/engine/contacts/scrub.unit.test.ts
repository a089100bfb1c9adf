import { describe, expect, it } from 'vitest';
import { ERASED, needlesOf, scrubJson, scrubText } from './scrub.js';

describe('anonymisation scrubbing', () => {
  it('spells a phone and a CPF the ways they are written', () => {
    expect(needlesOf(['+5511987654321', '52998224725', 'Ana', 'ab', null]).sort()).toEqual(
      ['+5511987654321', '5511987654321', '11987654321', '52998224725', '529.982.247-25', 'ana'].sort(),
    );
  });

  it('takes out a value only where it stands as a whole word', () => {
    const needles = needlesOf(['Ana Lima', 'ana@example.com']);
    expect(scrubText('Cliente ANA LIMA pediu', needles)).toBe(ERASED);
    expect(scrubText('Mariana Limassol', needles)).toBe('Mariana Limassol');
    expect(scrubText('de: ana@example.com.', needles)).toBe(ERASED);
    expect(scrubText('joana@example.com', needles)).toBe('joana@example.com');
  });

  it('drops personal keys of a conversation record and keeps the rest', () => {
    const record = {
      type: 'message.created', conversationId: 'c1',
      message: { id: 7, authorType: 'customer', body: 'meu pedido', attachments: [{ id: 'a', name: 'rg.pdf' }], createdAt: '2026-01-01T00:00:00Z', payload: null },
      conversation: { protocol: '2026', contactName: 'Ana Lima', state: 'completed' },
    };
    expect(scrubJson(record, needlesOf(['Ana Lima']), true)).toEqual({
      type: 'message.created', conversationId: 'c1',
      message: { id: 7, authorType: 'customer', body: ERASED, attachments: null, createdAt: '2026-01-01T00:00:00Z', payload: null },
      conversation: { protocol: '2026', contactName: ERASED, state: 'completed' },
    });
    // another record keeps its keys: only the person's values go
    expect(scrubJson({ body: 'falar com Ana Lima', name: 'Equipe' }, needlesOf(['Ana Lima']), false)).toEqual({ body: ERASED, name: 'Equipe' });
  });
});
