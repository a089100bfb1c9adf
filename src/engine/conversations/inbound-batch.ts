import type { Engine, UnitOfWork } from '../engine.js';
import { AppError } from '../errors.js';
import type { InboundMessage, InboundResult } from './inbound.js';
import { planBatch, type BatchOutcome } from './inbound-plan.js';
import { writeFast } from './inbound-write.js';

// Group commit for inbound messages. Under load, the customer messages that arrive while a batch is
// in the database wait for the next one, and each batch is one transaction: the common cases (a
// message to a conversation already queued or with an agent; a first message that opens a queued
// conversation) are written with a handful of set-based statements for the whole batch, and every
// other message runs the single-message command (bot, options, attachments, outside hours, e-mail…)
// in the same transaction behind a savepoint. Nothing is acknowledged before its batch commits, so a
// message answered 202 is durable exactly as before; a batch that fails as a whole is retried one
// message at a time, which is the single-message path itself.

// The batch is three pieces: the planner (inbound-plan.ts) reads and sorts, the writer
// (inbound-write.ts) writes the common cases set-based, the group-commit queue (inbound-batcher.ts)
// makes the batches.

export { dedupScope, lockCustomers, type BatchOutcome } from './inbound-plan.js';

/**
 * Receives a batch of inbound messages in the caller's unit of work (one transaction). Returns one
 * outcome per message, in order. The set-based statements run first (should one fail, the whole batch
 * fails); then the messages that need the full command, each behind its own savepoint.
 */
export async function receiveBatchIn(engine: Engine, u: UnitOfWork, ms: InboundMessage[], single: (u: UnitOfWork, m: InboundMessage) => Promise<InboundResult>): Promise<BatchOutcome[]> {
  const { out, fast, slow, services, timeZone } = await planBatch(engine, u, ms);
  if (!fast.length && !slow.length) return out as BatchOutcome[];

  // 4. the fast path, for the whole batch at once (should it fail, the whole batch fails and its
  //    messages go one by one: no savepoint needed)
  if (fast.length) for (const [i, r] of await writeFast(engine, u, ms, fast, services, timeZone)) out[i] = { kind: 'done', result: r };

  // 5. everything else: the single-message command, each message behind its own savepoint
  for (const i of slow) {
    const mark = u.events.length;
    await u.tx.query('SAVEPOINT inbound_one');
    try {
      const r = await single(u, ms[i]);
      await u.tx.query('RELEASE SAVEPOINT inbound_one');
      out[i] = { kind: 'done', result: r };
    } catch (err) {
      await u.tx.query('ROLLBACK TO SAVEPOINT inbound_one');
      u.events.length = mark;
      out[i] = err instanceof AppError ? { kind: 'failed', error: err } : { kind: 'alone' };
    }
  }
  return out as BatchOutcome[];
}

