import type { UploadQuota } from '../engine/attachments.js';

/**
 * Token buckets in memory, one per key (a visitor, an IP): `capacity` requests at once, refilled at
 * `capacity` per `perMs`. Per node on purpose: a flood is cut where it lands, with no shared state to
 * slow every request down; behind a load balancer the effective limit is at most nodes × the limit.
 */
export interface BucketRule {
  capacity: number;
  perMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    readonly rule: BucketRule,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`; false when the bucket is empty (the caller answers 429). */
  take(key: string): boolean {
    const now = this.now();
    this.sweep(now);
    const rate = this.rule.capacity / this.rule.perMs;
    const b = this.buckets.get(key);
    const tokens = b ? Math.min(this.rule.capacity, b.tokens + (now - b.at) * rate) : this.rule.capacity;
    if (tokens < 1) {
      if (b) {
        b.tokens = tokens;
        b.at = now;
      }
      return false;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) * this.rule.perMs) / this.rule.capacity / 1000);
  }

  /** Full buckets carry no information: dropped once a minute so memory follows the active keys only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const rate = this.rule.capacity / this.rule.perMs;
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.rule.capacity) this.buckets.delete(key);
  }
}

export interface WebchatLimits {
  /** messages and button presses of one visitor */
  visitorMessages: BucketRule;
  /** messages and button presses from one IP, all visitors together */
  ipMessages: BucketRule;
  /** new visitor identities from one IP */
  ipVisitors: BucketRule;
  /** uploads of one visitor */
  visitorUploads: BucketRule;
  /** bytes of uploads per visitor and per service, counted in the database (so across nodes) */
  uploadQuota: UploadQuota;
}

export const DEFAULT_WEBCHAT_LIMITS: WebchatLimits = {
  visitorMessages: { capacity: 10, perMs: 10_000 },
  ipMessages: { capacity: 60, perMs: 60_000 },
  ipVisitors: { capacity: 20, perMs: 60_000 },
  visitorUploads: { capacity: 10, perMs: 60_000 },
  // Constants, not settings: a customer sends a few photos or documents in a chat (each ≤ 10 MB); a
  // service's day holds about a thousand phone photos. Unsent uploads are deleted after an hour.
  uploadQuota: {
    visitorPendingBytes: 50 * 1024 * 1024,
    visitorDailyBytes: 200 * 1024 * 1024,
    servicePendingBytes: 1024 * 1024 * 1024,
    serviceDailyBytes: 2 * 1024 * 1024 * 1024,
  },
};

/** One node's buckets for the WebChat endpoints. */
export class WebchatRateLimits {
  readonly visitorMessages: TokenBuckets;
  readonly ipMessages: TokenBuckets;
  readonly ipVisitors: TokenBuckets;
  readonly visitorUploads: TokenBuckets;
  readonly uploadQuota: UploadQuota;

  constructor(limits: Partial<WebchatLimits> = {}) {
    const l = { ...DEFAULT_WEBCHAT_LIMITS, ...limits };
    this.visitorMessages = new TokenBuckets(l.visitorMessages);
    this.ipMessages = new TokenBuckets(l.ipMessages);
    this.ipVisitors = new TokenBuckets(l.ipVisitors);
    this.visitorUploads = new TokenBuckets(l.visitorUploads);
    this.uploadQuota = { ...DEFAULT_WEBCHAT_LIMITS.uploadQuota, ...limits.uploadQuota };
  }

  /** A message of `visitorId` from `ip`: both buckets must allow it. */
  message(visitorId: string, ip: string): boolean {
    return this.visitorMessages.take(visitorId) && this.ipMessages.take(ip);
  }
}
