import type { PrechatField, WebchatConfig } from '../../contracts/webchat.js';
import type { Database } from '../../db/database.js';
import { hoursNow } from '../../engine/business-hours.js';
import { CatalogCache } from '../../engine/catalog-cache.js';
import type { ServiceRow } from '../../engine/conversations/open.js';
import { getSettings } from '../../engine/settings.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from './files.js';

/** An active WebChat service as the widget side needs it, with the contact center's time zone. */
export interface WebchatService extends ServiceRow {
  timezone: string;
}

export class WebchatServices {
  /** Services change rarely and every widget asks on each connection: a few seconds of cache per node. */
  private readonly byKeyCache = new CatalogCache<WebchatService | null>(5000);

  constructor(private readonly db: Database) {}

  /** The active WebChat service of this public key, or null (unknown, inactive or another channel). */
  async byKey(key: string | undefined): Promise<WebchatService | null> {
    if (!key || key.length > 64) return null;
    return this.byKeyCache.get(key, async () => {
      const [{ rows }, settings] = await Promise.all([
        this.db.query<ServiceRow>(`SELECT * FROM services WHERE key = $1 AND active AND channel = 'webchat'`, [key]),
        getSettings(this.db),
      ]);
      return rows[0] ? { ...rows[0], timezone: settings.timezone } : null;
    });
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
    customerCalls: Boolean(s.customer_calls),
  };
}
