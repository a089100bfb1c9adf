import type { Queryable } from '../../db/database.js';
import { CAMPAIGN_REASONS, type CampaignReason } from '../../shared/campaign-reasons.js';
import type { Said } from '../errors.js';
import { campaignPhone, type CsvContact } from './csv.js';

// Each CSV row checked, in file order, for the first reason it cannot go: the line's shape, the
// phone (shared validators), the template's parameters, a number already on an earlier line, a
// contact who opted out (engine/opt-out.ts keeps the mark on the contact).

export interface CheckedRow {
  line: number;
  /** E.164 when valid; else the cell as written (null when empty) */
  phone: string | null;
  name: string | null;
  parameters: string[];
  reason: Exclude<CampaignReason, 'interrupted' | 'provider'> | null;
  message: Said | null;
}

export async function checkRows(db: Queryable, contacts: readonly CsvContact[]): Promise<CheckedRow[]> {
  const seen = new Map<string, number>();
  const rows = contacts.map((c): CheckedRow => {
    const base = { line: c.line, name: c.name, parameters: c.parameters };
    if (c.extraCells) return { ...base, phone: c.phoneText || null, reason: 'invalid_row', message: CAMPAIGN_REASONS.invalid_row };
    const phone = campaignPhone(c.phoneText);
    if (!phone) {
      const said = CAMPAIGN_REASONS.invalid_phone;
      return { ...base, phone: c.phoneText || null, reason: 'invalid_phone', message: c.phoneText ? { en: `${said.en}: ${c.phoneText}`, pt: `${said.pt}: ${c.phoneText}` } : { en: 'the phone is empty', pt: 'o telefone está vazio' } };
    }
    const empty = c.parameters.findIndex((p) => p === '');
    if (empty >= 0) {
      return { ...base, phone, reason: 'missing_parameter', message: { en: `param${empty + 1} is empty`, pt: `param${empty + 1} está vazio` } };
    }
    const first = seen.get(phone);
    if (first !== undefined) {
      return { ...base, phone, reason: 'duplicate', message: { en: `the same number as line ${first}`, pt: `o mesmo número da linha ${first}` } };
    }
    seen.set(phone, c.line);
    return { ...base, phone, reason: null, message: null };
  });
  const candidates = rows.filter((r) => r.reason === null).map((r) => r.phone!);
  const optedOut = new Map<string, string | null>();
  // in slices: one array parameter of 100,000 numbers is fine for PostgreSQL, less so for a plan's memory
  for (let i = 0; i < candidates.length; i += 10_000) {
    const { rows: found } = await db.query<{ phone: string; opted_out_reason: string | null }>(
      'SELECT phone, opted_out_reason FROM contacts WHERE phone = ANY($1::text[]) AND opted_out_at IS NOT NULL',
      [candidates.slice(i, i + 10_000)],
    );
    for (const f of found) optedOut.set(f.phone, f.opted_out_reason);
  }
  for (const r of rows) {
    if (r.reason !== null || !optedOut.has(r.phone!)) continue;
    const why = optedOut.get(r.phone!);
    r.reason = 'opted_out';
    r.message = why ? { en: `${CAMPAIGN_REASONS.opted_out.en} (${why})`, pt: `${CAMPAIGN_REASONS.opted_out.pt} (${why})` } : CAMPAIGN_REASONS.opted_out;
  }
  return rows;
}
