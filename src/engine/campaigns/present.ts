import type { Campaign, CampaignStatus, Recipient, RecipientStatus } from '../../contracts/campaigns.js';
import type { Queryable } from '../../db/database.js';
import { campaignReasonText } from '../../shared/campaign-reasons.js';

// The API's shapes of a campaign and a recipient, from their rows (never the row itself).

export interface CampaignRow {
  id: string; name: string; template_id: string; template_name: string; service_id: string; service_name: string; channel_account_id: string;
  window_from: string; window_to: string; start_at: Date; status: CampaignStatus; rate_per_second: number;
  total: number; queued: number; sent: number; delivered: number; read: number; failed: number; answered: number; skipped: number;
  created_by: string; created_by_name: string; created_at: Date; finished_at: Date | null;
}

export const CAMPAIGN_SELECT = `SELECT c.*, t.name AS template_name, s.name AS service_name, u.name AS created_by_name
  FROM campaigns c JOIN templates t ON t.id = c.template_id JOIN services s ON s.id = c.service_id JOIN users u ON u.id = c.created_by`;

export async function loadCampaignRow(q: Queryable, id: string): Promise<CampaignRow | null> {
  const { rows } = await q.query<CampaignRow>(`${CAMPAIGN_SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id, name: r.name, templateId: r.template_id, templateName: r.template_name, serviceId: r.service_id, serviceName: r.service_name,
    channelAccountId: r.channel_account_id, window: { from: r.window_from, to: r.window_to }, startAt: iso(r.start_at)!, status: r.status,
    ratePerSecond: Number(r.rate_per_second),
    counts: { total: r.total, queued: r.queued, sent: r.sent, delivered: r.delivered, read: r.read, failed: r.failed, answered: r.answered, skipped: r.skipped },
    createdBy: r.created_by, createdByName: r.created_by_name, createdAt: iso(r.created_at)!, finishedAt: iso(r.finished_at),
  };
}

export interface RecipientRow {
  id: string; line: number; phone: string; name: string | null; parameters: string[]; status: string; reason: string | null;
  error_code: string | null; error_message: string | null; sent_at: Date | null; delivered_at: Date | null; read_at: Date | null;
  answered_at: Date | null; conversation_id: string | null;
}

/** A row being sent is shown as queued: it is not known to have gone until the provider's answer is stored. */
export function presentRecipient(r: RecipientRow, lang: 'en' | 'pt'): Recipient {
  const detail = r.error_message ? (r.error_code ? `${r.error_code} ${r.error_message}` : r.error_message) : null;
  return {
    id: r.id, line: r.line, phone: r.phone, name: r.name, parameters: r.parameters ?? [],
    status: (r.status === 'sending' ? 'queued' : r.status) as RecipientStatus,
    reason: campaignReasonText(r.reason, lang, detail),
    sentAt: iso(r.sent_at), deliveredAt: iso(r.delivered_at), readAt: iso(r.read_at), answeredAt: iso(r.answered_at),
    conversationId: r.conversation_id,
  };
}
