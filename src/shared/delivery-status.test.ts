import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fresherMessage, nextDeliveryStatus, type DeliveryStatus, type ReceiptStatus } from './delivery-status.js';

const apply = (start: DeliveryStatus, receipts: ReceiptStatus[]) =>
  receipts.reduce<DeliveryStatus>((s, r) => nextDeliveryStatus(s, r) ?? s, start);

describe('nextDeliveryStatus', () => {
  it('moves forward only', () => {
    expect(nextDeliveryStatus('pending', 'sent')).toBe('sent');
    expect(nextDeliveryStatus('sent', 'read')).toBe('read');
    expect(nextDeliveryStatus('read', 'delivered')).toBeNull();
    expect(nextDeliveryStatus('delivered', 'delivered')).toBeNull();
    expect(nextDeliveryStatus('delivered', 'sent')).toBeNull();
  });

  it('failed is terminal unless a later delivered or read proves otherwise', () => {
    expect(nextDeliveryStatus('sent', 'failed')).toBe('failed');
    expect(nextDeliveryStatus('pending', 'failed')).toBe('failed');
    expect(nextDeliveryStatus('delivered', 'failed')).toBeNull();
    expect(nextDeliveryStatus('failed', 'sent')).toBeNull();
    expect(nextDeliveryStatus('failed', 'failed')).toBeNull();
    expect(nextDeliveryStatus('failed', 'delivered')).toBe('delivered');
    expect(nextDeliveryStatus('failed', 'read')).toBe('read');
  });

  it('ignores receipts for messages without a delivery status (the customer’s)', () => {
    expect(nextDeliveryStatus(null, 'read')).toBeNull();
  });

  it('sent, delivered and read in any order end at the highest', () => {
    const r = fc.constantFrom<ReceiptStatus>('sent', 'delivered', 'read');
    fc.assert(
      fc.property(fc.array(r, { minLength: 1, maxLength: 8 }), (receipts) => {
        const top = receipts.includes('read') ? 'read' : receipts.includes('delivered') ? 'delivered' : 'sent';
        expect(apply('pending', receipts)).toBe(top);
      }),
    );
  });
});

describe('fresherMessage', () => {
  const v = (deliveryStatus: DeliveryStatus | null, tag: string) => ({ deliveryStatus, tag });
  it('keeps the view further along, whatever the order the views came in', () => {
    expect(fresherMessage(v('failed', 'event'), v('pending', 'answer')).tag).toBe('event');
    expect(fresherMessage(v('pending', 'answer'), v('failed', 'event')).tag).toBe('event');
    expect(fresherMessage(v('delivered', 'event'), v('sent', 'history')).tag).toBe('event');
    expect(fresherMessage(v('failed', 'event'), v('sent', 'late')).tag).toBe('event');
    expect(fresherMessage(v('failed', 'old'), v('read', 'receipt')).tag).toBe('receipt');
    expect(fresherMessage(v('read', 'a'), v('read', 'b')).tag).toBe('b');
    expect(fresherMessage(v(null, 'a'), v(null, 'b')).tag).toBe('b');
  });
  it('any order of the same views ends on the same status', () => {
    const status = fc.constantFrom<DeliveryStatus>('pending', 'sent', 'delivered', 'read', 'failed');
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 6 }), (seq) => {
        // a real history: the statuses a message went through, in order (each allowed by the rule)
        const real = seq.reduce<DeliveryStatus[]>((acc, s) => {
          const last = acc[acc.length - 1];
          if (s !== 'pending' && nextDeliveryStatus(last, s) === s) acc.push(s);
          return acc;
        }, ['pending']);
        const views = real.map((s, i) => v(s, String(i)));
        const forward = views.reduce((a, b) => fresherMessage(a, b));
        const backward = [...views].reverse().reduce((a, b) => fresherMessage(a, b));
        return forward.deliveryStatus === real[real.length - 1] && backward.deliveryStatus === real[real.length - 1];
      }),
    );
  });
});
