import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { activeChannelAccounts } from '../engine/channel-accounts.js';
import type { Engine } from '../engine/engine.js';
import { LeaseRunner } from '../engine/leases.js';
import type { SecretKey } from '../engine/secrets.js';
import { channelRegistry, type ChannelAdapter } from './adapter.js';
import { ingest } from './ingest.js';

// The background workers of the channels that have one (the e-mail watcher): one per active account,
// each under its own lease (`<channel>:<accountId>`), so that across all nodes exactly one runs it.
// The pool looks at the accounts every `rescanMs` and starts or stops runners as they change.

export interface WorkerPoolOptions {
  /** lease time: how long a dead node's worker waits before another node takes it */
  ttlMs?: number;
  rescanMs?: number;
  onError?: (err: unknown) => void;
}

export class ChannelWorkerPool {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly runners = new Map<string, LeaseRunner>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly key: SecretKey,
    private readonly opts: WorkerPoolOptions = {},
  ) {}

  start(): void {
    const withWorkers = () => channelRegistry.all().filter((a): a is ChannelAdapter & { worker: NonNullable<ChannelAdapter['worker']> } => !!a.worker);
    // nothing to watch in this build: no query on a timer
    if (!withWorkers().length) return;
    const scan = async () => {
      const adapters = new Map(withWorkers().map((a) => [a.channel as string, a]));
      const accounts = await activeChannelAccounts(this.engine.db, this.key, [...adapters.keys()]);
      const wanted = new Set<string>();
      for (const account of accounts) {
        if (adapters.get(account.channel)!.worker.wants?.(account) === false) continue;
        const key = `${account.channel}:${account.id}`;
        wanted.add(key);
        if (this.runners.has(key)) continue;
        const worker = adapters.get(account.channel)!.worker;
        const runner = new LeaseRunner(this.engine.db, { key, holder: this.holder, ttlMs: this.opts.ttlMs ?? 30_000, clock: this.engine.clock, onError: this.opts.onError }, (signal) =>
          worker.run({ account, engine: this.engine, signal, deliver: async (parsed) => (await ingest(this.engine, { channel: account.channel, accountId: account.id }, parsed)).messages }),
        );
        this.runners.set(key, runner);
        runner.start();
      }
      // an account deactivated or removed: its runner stops and gives its lease up
      for (const [key, runner] of this.runners) {
        if (wanted.has(key)) continue;
        this.runners.delete(key);
        await runner.stop();
      }
    };
    const tick = () => {
      this.scanning ??= scan()
        .catch((err) => this.opts.onError?.(err))
        .finally(() => (this.scanning = null));
    };
    this.timer = setInterval(tick, this.opts.rescanMs ?? 30_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
