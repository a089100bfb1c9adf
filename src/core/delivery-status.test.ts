import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextDeliveryStatus, type DeliveryStatus, type ReceiptStatus } from './delivery-status.js';

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
