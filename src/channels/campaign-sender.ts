import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { localTime } from '../core/business-hours.js';
import { applyCountMoves, campaignAnnouncer, finishIfDone, type StatusMove } from '../engine/campaigns/progress.js';
import { claimParkedCampaignReceipts } from '../engine/campaigns/tracking.js';
import { loadChannelAccount, type LoadedChannelAccount } from '../engine/channel-accounts.js';
import { lockProviderIds } from '../engine/conversations/receipts.js';
import type { Engine } from '../engine/engine.js';
import { claimLease, LeaseRunner } from '../engine/leases.js';
import { PermanentFailure } from '../engine/outbox.js';
import type { SecretKey } from '../engine/secrets.js';
import { getSettings } from '../engine/settings.js';
import { WALLET_INTERVAL_MS } from '../engine/whatsapp-wallet.js';
import { channelRegistry, type ChannelAdapter } from './adapter.js';
import { pollWallet } from './whatsapp/wallet.js';

// The campaign sender (Mensagens ativas): one node at a time, under the lease `campaigns`, sends the
// queued rows of the running campaigns through the WhatsApp adapter, inside each campaign's window
// of hours (the contact center's time zone), at the account's rate, within its messaging tier.
//
// Restart safety. A row goes queued → sending (claimed: a committed transaction naming this node)
// → the provider's request → sent/failed (stored with the provider's id in one transaction per
// batch). A batch is at most `batchMax` rows, all requested at once, so at any instant the rows
// whose fate is unknown are those of one batch. A node that takes the lease over finds the rows a
// dead holder left in `sending`: they may or may not have reached the provider (WhatsApp offers no
// idempotency key to ask), so they are never sent again: they become failed, reason `interrupted`,
// shown with that sentence. Should the old holder still store its answer after all (a lease lost
// to a slow database, not a dead node), its store turns the row into sent with the provider's id.
// A queued row is never skipped: the claim reads the queue in line order each time.

export interface CampaignSenderOptions {
  /** this node (unique per process) */
  holder?: string;
  /** lease time: how long a dead node's campaigns wait before another node sends them */
  ttlMs?: number;
  /** messages per second per number at most: Meta's Cloud API default throughput is 80 (CAMPAIGN_MAX_RATE) */
  maxRatePerSecond?: number;
  /** rows claimed and requested together (the most whose fate a crash leaves unknown) */
  batchMax?: number;
  /** the pause when nothing can be sent */
  idleMs?: number;
  publicUrl?: string;
  onError?: (err: unknown) => void;
}

export const CAMPAIGN_LEASE = 'campaigns';
/** A number whose tier is unknown gets Meta's starting limit: 250 contacts a day. */
export const DEFAULT_DAILY_LIMIT = 250;

/** Meta's `messaging_limit_tier` (TIER_250, TIER_1K, TIER_10K, TIER_100K, TIER_UNLIMITED) or Gupshup's `currentLimit` (Tier1K…): contacts per 24 h. */
export function dailyLimitOf(tier: string | null): number {
  if (!tier) return DEFAULT_DAILY_LIMIT;
  if (/unlimited/i.test(tier)) return Infinity;
  const m = /(\d+)\s*(K)?/i.exec(tier);
  return m ? Number(m[1]) * (m[2] ? 1000 : 1) : DEFAULT_DAILY_LIMIT;
}

/** Is `now` inside the window (minutes of the day, in the time zone)? A window past midnight wraps; from = to is all day. */
export function inSendWindow(now: Date, timeZone: string, window: { from: string; to: string }): boolean {
  const m = localTime(now.getTime(), timeZone).minutes;
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const from = toMin(window.from);
  const to = toMin(window.to);
  if (from === to) return true;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

interface ActiveCampaign {
  id: string;
  status: 'scheduled' | 'running';
  service_id: string;
  channel_account_id: string;
  window_from: string;
  window_to: string;
  start_at: Date;
  rate_per_second: number;
  provider_template: string | null;
  language: string;
  template_status: string | null;
}

interface Claimed {
  id: string;
  line: number;
  phone: string;
  name: string | null;
  parameters: string[];
}

type Outcome =
  | { id: string; kind: 'sent'; providerId: string | null }
  | { id: string; kind: 'failed'; reason: 'provider' | 'interrupted'; code: string | null; message: string }
  | { id: string; kind: 'retry' };

interface AccountState {
  account: LoadedChannelAccount;
  dailyLimit: number;
  usedToday: number;
  checkedAt: number;
  nextAt: number;
}

export class CampaignSender {
  readonly holder: string;
  private readonly runner: LeaseRunner;
  private readonly accounts = new Map<string, AccountState>();
  private recovered = false;

  constructor(
    private readonly engine: Engine,
    private readonly key: SecretKey,
    private readonly opts: CampaignSenderOptions = {},
  ) {
    this.holder = opts.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.runner = new LeaseRunner(engine.db, { key: CAMPAIGN_LEASE, holder: this.holder, ttlMs: opts.ttlMs ?? 30_000, clock: engine.clock, onError: opts.onError }, (signal) => this.work(signal));
  }

  get rateCap(): number {
    return this.opts.maxRatePerSecond ?? 80;
  }

  /** Runs under the lease on a timer (a node's normal life). */
  start(): void {
    this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await campaignAnnouncer(this.engine).flush().catch((err) => this.opts.onError?.(err));
  }

  /** Is the work running on this node (the lease held)? */
  get active(): boolean {
    return this.runner.active;
  }

  /** Claims or renews the lease and starts or stops the work (tests drive it with a manual clock). */
  tick(): Promise<void> {
    return this.runner.tick();
  }

  private async work(signal: AbortSignal): Promise<void> {
    this.recovered = false;
    while (!signal.aborted) {
      const sent = await this.drain(signal);
      if (!sent) await sleep(this.opts.idleMs ?? 1000, undefined, { signal }).catch(() => undefined);
    }
  }

  /**
   * Sends what may go now, batch after batch, until nothing can (paused, outside the window, the
   * tier's day used up, nothing queued) or `signal` aborts; returns how many rows it sent or failed.
   * Only while this node holds the lease (else 0): the first call after taking it over settles the
   * rows a previous holder left in `sending`.
   */
  async drain(signal?: AbortSignal, maxBatches = Infinity): Promise<number> {
    const now = this.engine.clock.now();
    if (!(await claimLease(this.engine.db, CAMPAIGN_LEASE, this.holder, now, this.opts.ttlMs ?? 30_000))) return 0;
    if (!this.recovered) {
      await this.recoverInterrupted();
      this.recovered = true;
    }
    let done = 0;
    let batches = 0;
    for (;;) {
      // the list (starts, windows, approvals) is read again every second; a pause is seen at once by the claim
      const campaigns = await this.sendable();
      const until = Date.now() + 1000;
      let progressed = false;
      do {
        progressed = false;
        for (const c of campaigns) {
          if (signal?.aborted || batches >= maxBatches) return done;
          const n = await this.sendBatch(c);
          if (n > 0) {
            progressed = true;
            done += n;
            batches++;
          }
        }
      } while (progressed && Date.now() < until);
      if (!progressed) return done;
    }
  }

  /** Rows left in `sending` by a holder that is gone: failed, `interrupted` (never sent again). */
  async recoverInterrupted(): Promise<number> {
    return this.engine.execute(async (u) => {
      const { rows } = await u.tx.query<StatusMove>(
        `WITH old AS (SELECT id, status FROM campaign_recipients WHERE status = 'sending' FOR UPDATE)
         UPDATE campaign_recipients r SET status = 'failed', reason = 'interrupted', failed_at = $1, error_code = NULL, error_message = NULL
           FROM old WHERE r.id = old.id
         RETURNING r.campaign_id, old.status AS before, r.status AS after`,
        [u.now],
      );
      const touched = await applyCountMoves(u.tx, rows, u.now);
      for (const id of touched) await finishIfDone(u.tx, id, u.now);
      await campaignAnnouncer(this.engine).changed(u, touched, true);
      return rows.length;
    });
  }

  /** The campaigns that may send now: started, in their window, their template approved; a scheduled one whose start came is running now. */
  private async sendable(): Promise<ActiveCampaign[]> {
    const now = this.engine.clock.now();
    const { rows } = await this.engine.db.query<ActiveCampaign>(
      `SELECT c.id, c.status, c.service_id, c.channel_account_id, c.window_from, c.window_to, c.start_at, c.rate_per_second,
              t.provider_template, t.language, t.status AS template_status
         FROM campaigns c JOIN templates t ON t.id = c.template_id
        WHERE c.status IN ('scheduled', 'running') AND c.start_at <= $1 ORDER BY c.created_at`,
      [now],
    );
    const started = rows.filter((c) => c.status === 'scheduled');
    if (started.length) {
      await this.engine.execute(async (u) => {
        await u.tx.query(`UPDATE campaigns SET status = 'running', updated_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`, [started.map((c) => c.id), u.now]);
        for (const c of started) await finishIfDone(u.tx, c.id, u.now);
        await campaignAnnouncer(this.engine).changed(u, started.map((c) => c.id), true);
      });
    }
    const { timezone } = await getSettings(this.engine.db);
    return rows.filter((c) => c.template_status === 'APPROVED' && c.provider_template && inSendWindow(now, timezone, { from: c.window_from, to: c.window_to }));
  }

  /** The account, its tier and what it sent in the last 24 h (read again every minute). */
  private async accountState(accountId: string): Promise<AccountState | null> {
    const known = this.accounts.get(accountId);
    if (known && Date.now() - known.checkedAt < 60_000) return known;
    const account = await loadChannelAccount(this.engine.db, this.key, 'whatsapp', accountId).catch(() => null);
    if (!account) return null;
    const now = this.engine.clock.now();
    const wallet = async () => (await this.engine.db.query<{ messaging_limit: string | null; read_at: Date | null }>(
      'SELECT messaging_limit, read_at FROM whatsapp_wallets WHERE channel_account_id = $1', [accountId],
    )).rows[0];
    let w = await wallet();
    // the tier as the provider says it now: read when the wallet's worker has not (or long ago)
    if (!w?.read_at || now.getTime() - new Date(w.read_at).getTime() > 2 * WALLET_INTERVAL_MS) {
      await pollWallet(this.engine, account).catch((err) => this.opts.onError?.(err));
      w = await wallet();
    }
    const { rows } = await this.engine.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
        WHERE c.channel_account_id = $1 AND r.sent_at > $2`,
      [accountId, new Date(now.getTime() - 86_400_000)],
    );
    const state: AccountState = { account, dailyLimit: dailyLimitOf(w?.messaging_limit ?? null), usedToday: rows[0].n, checkedAt: Date.now(), nextAt: known?.nextAt ?? 0 };
    this.accounts.set(accountId, state);
    return state;
  }

  /** One batch of one campaign: claimed, requested together, stored. Returns the rows settled. */
  private async sendBatch(c: ActiveCampaign): Promise<number> {
    const adapter = channelRegistry.get('whatsapp');
    const state = await this.accountState(c.channel_account_id);
    if (!adapter?.send || !state) return 0;
    const room = state.dailyLimit - state.usedToday;
    const rate = room > 0 ? this.rateCap : 0;
    if (Number(c.rate_per_second) !== rate) {
      await this.setRate(c.id, rate);
      // the list is read once a second: the next batch of this round compares with what was just set
      c.rate_per_second = rate;
    }
    if (room <= 0) return 0;
    const size = Math.max(1, Math.min(this.opts.batchMax ?? 16, Math.ceil(rate / 10), room));
    // the account's pace: a batch of n takes n / rate seconds of its time
    const wait = state.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    const claimed = await this.claim(c.id, size);
    if (!claimed.length) return 0;
    state.nextAt = Math.max(Date.now(), state.nextAt) + (claimed.length / rate) * 1000;
    const outcomes = await Promise.all(claimed.map((r) => this.sendOne(adapter, state.account, c, r)));
    const retries = outcomes.filter((o) => o.kind === 'retry').length;
    // the provider pushed back (429, 5xx, refused): the account rests a little before its next batch
    if (retries) state.nextAt = Date.now() + 5000;
    state.usedToday += outcomes.filter((o) => o.kind === 'sent').length;
    await this.store(c, outcomes);
    return claimed.length - retries;
  }

  private async setRate(campaignId: string, rate: number): Promise<void> {
    await this.engine.execute(async (u) => {
      await u.tx.query('UPDATE campaigns SET rate_per_second = $2, updated_at = $3 WHERE id = $1', [campaignId, rate, u.now]);
      await campaignAnnouncer(this.engine).changed(u, [campaignId], true);
    });
  }

  /** The next queued rows in line order, marked `sending` by this node, committed before any request leaves. */
  private async claim(campaignId: string, size: number): Promise<Claimed[]> {
    return this.engine.execute(async (u) => {
      const { rows } = await u.tx.query<Claimed>(
        `WITH picked AS (
           SELECT r.id FROM campaign_recipients r
            WHERE r.campaign_id = $1 AND r.status = 'queued' AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = $1 AND c.status = 'running')
            ORDER BY r.line LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE campaign_recipients r SET status = 'sending', sending_by = $3, sending_at = $4 FROM picked WHERE r.id = picked.id
         RETURNING r.id, r.line, r.phone, r.name, r.parameters`,
        [campaignId, size, this.holder, u.now],
      );
      return rows.sort((a, b) => a.line - b.line);
    });
  }

  private async sendOne(adapter: ChannelAdapter, account: LoadedChannelAccount, c: ActiveCampaign, r: Claimed): Promise<Outcome> {
    try {
      const res = await adapter.send!({ account, db: this.engine.db, attempt: 1, publicUrl: this.opts.publicUrl }, {
        messageId: r.line,
        conversationId: '',
        serviceId: c.service_id,
        to: { externalId: r.phone.replace(/^\+/, ''), name: r.name },
        content: { kind: 'template', name: c.provider_template!, language: c.language, parameters: r.parameters },
      });
      return { id: r.id, kind: 'sent', providerId: res.providerMessageId ?? null };
    } catch (e) {
      if (e instanceof PermanentFailure) return { id: r.id, kind: 'failed', reason: 'provider', code: e.reasonCode, message: e.message };
      // the provider answered (429, 5xx) or was never reached: not sent, it goes again
      const err = e as Error & { status?: number; cause?: { code?: string } };
      if (typeof err.status === 'number' || err.cause?.code === 'ECONNREFUSED') return { id: r.id, kind: 'retry' };
      // no answer (a timeout, a connection cut): it may have gone; never sent again
      return { id: r.id, kind: 'failed', reason: 'interrupted', code: null, message: err.message };
    }
  }

  /**
   * The batch's answers in one transaction, under the lock of its provider ids (a receipt that came
   * first was parked, and is applied here). Only rows this node still holds as `sending` (or that a
   * takeover marked interrupted meanwhile) change.
   */
  private async store(c: ActiveCampaign, outcomes: Outcome[]): Promise<void> {
    await this.engine.execute(async (u) => {
      const ids = outcomes.flatMap((o) => (o.kind === 'sent' && o.providerId ? [o.providerId] : []));
      if (ids.length) await lockProviderIds(u.tx, c.channel_account_id, ids);
      const status = (o: Outcome) => (o.kind === 'sent' ? 'sent' : o.kind === 'failed' ? 'failed' : 'queued');
      const { rows } = await u.tx.query<StatusMove>(
        `WITH old AS (SELECT id, status FROM campaign_recipients WHERE id = ANY($1::uuid[]) AND sending_by = $7
                        AND (status = 'sending' OR (status = 'failed' AND reason = 'interrupted')) FOR UPDATE)
         UPDATE campaign_recipients r SET status = x.status, provider_message_id = x.pid,
             sent_at = CASE WHEN x.status = 'sent' THEN $8::timestamptz END,
             failed_at = CASE WHEN x.status = 'failed' THEN $8::timestamptz END,
             reason = x.reason, error_code = x.code, error_message = x.message,
             sending_by = CASE WHEN x.status = 'queued' THEN NULL ELSE r.sending_by END
           FROM old, unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(id, status, pid, reason, code, message)
          WHERE r.id = old.id AND r.id = x.id
            -- a row a takeover marked interrupted changes only when it did go
            AND (old.status = 'sending' OR x.status = 'sent')
         RETURNING r.campaign_id, old.status AS before, r.status AS after`,
        [
          outcomes.map((o) => o.id), outcomes.map(status), outcomes.map((o) => (o.kind === 'sent' ? o.providerId : null)),
          outcomes.map((o) => (o.kind === 'failed' ? o.reason : null)), outcomes.map((o) => (o.kind === 'failed' ? o.code : null)),
          outcomes.map((o) => (o.kind === 'failed' ? o.message.slice(0, 1000) : null)), this.holder, u.now,
        ],
      );
      await applyCountMoves(u.tx, rows, u.now);
      await claimParkedCampaignReceipts(u, this.engine, c.channel_account_id, ids);
      const finished = await finishIfDone(u.tx, c.id, u.now);
      await campaignAnnouncer(this.engine).changed(u, [c.id], finished);
    });
  }
}
