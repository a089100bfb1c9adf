import type { Queryable } from '../../db/database.js';
import type { LoadedChannelAccount } from '../../engine/channel-accounts.js';
import type { ParsedMessage } from '../adapter.js';
import { graphBase, graphCall } from '../meta/graph.js';

// Messenger and Instagram webhooks carry only the customer's id. The name comes from Graph
// (`/{psid}?fields=name`, Instagram `?fields=name,username`), asked while the webhook waits, so it is
// bounded: only for customers whose contact has no name yet, all at once, within PROFILE_TIMEOUT_MS;
// a slow or refused lookup leaves the name out (a later message fills it) and is not asked again
// for an hour.

export const PROFILE_TIMEOUT_MS = 1500;
const MISS_TTL_MS = 3_600_000;
const MAX_MISSES = 10_000;
/** `${accountId}:${customerId}` → when a lookup last failed */
const misses = new Map<string, number>();

async function namedAlready(db: Queryable, channel: string, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ external_id: string }>(
    `SELECT ci.external_id FROM contact_identities ci JOIN contacts ct ON ct.id = ci.contact_id
      WHERE ci.channel = $1 AND ci.external_id = ANY($2::text[]) AND coalesce(ct.name, ci.display_name) IS NOT NULL`,
    [channel, ids],
  );
  return new Set(rows.map((r) => r.external_id));
}

async function lookup(account: LoadedChannelAccount, id: string, signal: AbortSignal): Promise<string | null> {
  const token = account.credentials.pageAccessToken;
  if (!token) return null;
  const fields = account.channel === 'instagram' ? 'name,username' : 'name';
  const r = await graphCall<{ name?: string; username?: string }>(graphBase(account.config), `/${encodeURIComponent(id)}`, { token, query: { fields }, signal });
  const name = (r?.name ?? r?.username ?? '').trim();
  return name ? name.slice(0, 200) : null;
}

/** Fills `contact.name` of the messages whose customers Mirante has no name for, within the time limit. */
export async function withProfileNames(db: Queryable | undefined, account: LoadedChannelAccount, messages: ParsedMessage[], now = Date.now()): Promise<void> {
  const ids = [...new Set(messages.map((m) => m.contact.externalId))].filter((id) => {
    const missed = misses.get(`${account.id}:${id}`);
    return missed === undefined || now - missed > MISS_TTL_MS;
  });
  if (!ids.length) return;
  const known = db ? await namedAlready(db, account.channel, ids) : new Set<string>();
  const wanted = ids.filter((id) => !known.has(id));
  if (!wanted.length) return;
  const signal = AbortSignal.timeout(PROFILE_TIMEOUT_MS);
  const names = new Map<string, string>();
  await Promise.all(
    wanted.map(async (id) => {
      const name = await lookup(account, id, signal).catch(() => null);
      if (name) names.set(id, name);
      else {
        if (misses.size >= MAX_MISSES) misses.clear();
        misses.set(`${account.id}:${id}`, now);
      }
    }),
  );
  for (const m of messages) {
    const name = names.get(m.contact.externalId);
    if (name && !m.contact.name) m.contact = { ...m.contact, name };
  }
}
