import type { PrechatField, WebchatConfig } from '../../contracts/webchat.js';
import type { Database } from '../../db/database.js';
import { hoursNow } from '../../engine/business-hours.js';
import type { ServiceRow } from '../../engine/conversations/open.js';
import { getSettings } from '../../engine/settings.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from './files.js';

/** An active WebChat service as the widget side needs it, with the contact center's time zone. */
export interface WebchatService extends ServiceRow {
  timezone: string;
}

/** Services change rarely and every widget asks on each connection: a few seconds of cache per node. */
const TTL_MS = 5000;

export class WebchatServices {
  private readonly byKeyCache = new Map<string, { at: number; service: WebchatService | null }>();

  constructor(private readonly db: Database) {}

  /** The active WebChat service of this public key, or null (unknown, inactive or another channel). */
  async byKey(key: string | undefined): Promise<WebchatService | null> {
    if (!key || key.length > 64) return null;
    const hit = this.byKeyCache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.service;
    const [{ rows }, settings] = await Promise.all([
      this.db.query<ServiceRow>(`SELECT * FROM services WHERE key = $1 AND active AND channel = 'webchat'`, [key]),
      getSettings(this.db),
    ]);
    const service = rows[0] ? { ...rows[0], timezone: settings.timezone } : null;
    if (this.byKeyCache.size > 10_000) this.byKeyCache.clear();
    this.byKeyCache.set(key, { at: Date.now(), service });
    return service;
  }

  /** Services, teams or settings changed somewhere (catalog.updated): read them again. */
  clear(): void {
    this.byKeyCache.clear();
  }
}

export function prechatFields(s: ServiceRow): PrechatField[] {
  return Array.isArray(s.prechat_form) ? (s.prechat_form as PrechatField[]) : [];
}

export function webchatConfig(s: WebchatService, now: Date): WebchatConfig {
  const hours = hoursNow(s.business_hours, now, s.timezone);
  return {
    serviceKey: s.key,
    serviceName: s.name,
    open: hours.open,
    closedMessage: hours.closedMessage,
    outsideHours: hours.outsideHours,
    prechat: prechatFields(s),
    maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
    attachmentTypes: [...ATTACHMENT_TYPES],
  };
}
