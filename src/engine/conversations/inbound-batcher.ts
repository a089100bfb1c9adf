import { AppError } from '../errors.js';
import type { Engine, UnitOfWork } from '../engine.js';
import type { InboundMessage, InboundResult } from './inbound.js';
import { receiveBatchIn } from './inbound-batch.js';
import type { BatchOutcome } from './inbound-plan.js';

// The group-commit queue: collects the inbound messages that arrive while a batch is in the
// database; each batch is one transaction (receiveBatchIn). Nothing is acknowledged before its batch
// commits; a batch that fails as a whole is retried one message at a time.

interface Pending {
  m: InboundMessage;
  resolve: (r: InboundResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the inbound messages that arrive while a batch is in the database. When the node is idle
 * a message goes at once, alone; under load each transaction carries every message that waited.
 */
export class InboundBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  batches = 0;

  constructor(
    private readonly engine: Engine,
    private readonly single: (u: UnitOfWork, m: InboundMessage) => Promise<InboundResult>,
    private readonly alone: (m: InboundMessage) => Promise<InboundResult>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 200,
  ) {}

  private pumpScheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  submit(m: InboundMessage): Promise<InboundResult> {
    return new Promise((resolve, reject) => {
      // after close() the pool is about to go: a clean refusal, never "pool closed"
      if (this.closed) return reject(new AppError(503, 'unavailable', { en: 'this server is shutting down; send the message again', pt: 'este servidor está sendo desligado; envie a mensagem de novo' }));
      this.queue.push({ m, resolve, reject });
      // start on the next turn of the event loop, so the requests read in this one join the batch
      // (PGlite runs a whole transaction without yielding to I/O: without this, each would go alone)
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (!this.inFlight && !this.queue.length) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
  }

  /**
   * Shutdown: takes no more messages, and resolves once every message taken so far is settled (its
   * batch committed or failed), so the pool is not closed under them.
   */
  close(): Promise<void> {
    this.closed = true;
    if (!this.inFlight && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(batch: Pending[]): Promise<void> {
    this.batches++;
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.engine.execute((u) => receiveBatchIn(this.engine, u, batch.map((p) => p.m), this.single));
    } catch {
      // the batch failed as a whole (a deadlock, a lost race with another node): one by one, in order
      outcomes = batch.map(() => ({ kind: 'alone' }));
    }
    const later: number[] = [];
    for (const [i, o] of outcomes.entries()) {
      const p = batch[i];
      if (o.kind === 'done') p.resolve(o.result);
      else if (o.kind === 'failed') p.reject(o.error);
      else if (o.kind === 'alone') await this.settle(p, () => this.alone(p.m));
      else later.push(i);
    }
    // a repeated delivery is answered as the single path answers it, once its first copy is settled
    for (const i of later) await this.settle(batch[i], () => this.alone(batch[i].m));
  }

  private async settle(p: Pending, fn: () => Promise<InboundResult>): Promise<void> {
    try {
      p.resolve(await fn());
    } catch (err) {
      p.reject(err);
    }
  }
}
