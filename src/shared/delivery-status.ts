// What a provider's receipt does to an outgoing message's delivery status. Receipts arrive out of
// order and more than once, so a status only moves forward: pending < sent < delivered < read.
// `failed` ends the message, except that a later delivered or read proves it arrived after all
// (a provider that reports a failed attempt and then a successful one); a `sent` after a failure
// proves nothing and is ignored, and a failure after delivered or read is a contradiction, ignored.

export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type ReceiptStatus = Exclude<DeliveryStatus, 'pending'>;

const RANK: Record<Exclude<DeliveryStatus, 'failed'>, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/** The status a receipt moves a message to, or null when the receipt tells nothing new. */
export function nextDeliveryStatus(current: DeliveryStatus | null, receipt: ReceiptStatus): DeliveryStatus | null {
  // a customer's message has no delivery status: receipts are for what we send
  if (current === null) return null;
  if (receipt === 'failed') return current === 'pending' || current === 'sent' ? 'failed' : null;
  if (current === 'failed') return receipt === 'sent' ? null : receipt;
  return RANK[receipt] > RANK[current] ? receipt : null;
}

/**
 * Of two views of one message, the one a screen should keep: the views arrive by different roads (the
 * reply's own answer, its events, a history load) in any order, and a late one must not put a failed
 * or delivered message back to pending or sent.
 */
export function fresherMessage<T extends { deliveryStatus: DeliveryStatus | null }>(current: T, incoming: T): T {
  const was = current.deliveryStatus;
  const now = incoming.deliveryStatus;
  if (was === now || was === null || now === null) return incoming;
  if (now === 'pending') return current;
  return nextDeliveryStatus(was, now) === now ? incoming : current;
}
