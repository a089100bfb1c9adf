import type { Queryable } from '../../db/database.js';
import type { MachineKind } from './parse.js';

// What a mailbox watcher has read (migration 0022): per account and folder, the folder's UIDVALIDITY
// and the last UID stored. The watcher moves last_uid only after the message is durable, so a crash
// repeats at most that message, which the Message-ID dedup then ignores.

export interface MailboxState {
  uidValidity: bigint;
  lastUid: number;
}

export async function readMailboxState(db: Queryable, accountId: string, folder: string): Promise<MailboxState | null> {
  const { rows } = await db.query<{ uid_validity: string; last_uid: string }>(
    'SELECT uid_validity::text, last_uid::text FROM email_mailbox_state WHERE account_id = $1 AND folder = $2',
    [accountId, folder],
  );
  return rows[0] ? { uidValidity: BigInt(rows[0].uid_validity), lastUid: Number(rows[0].last_uid) } : null;
}

/** Records how far the folder was read; never backwards within one UIDVALIDITY. */
export async function saveMailboxState(db: Queryable, accountId: string, folder: string, state: MailboxState, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO email_mailbox_state AS s (account_id, folder, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3::bigint, $4, $5)
     ON CONFLICT (account_id, folder) DO UPDATE
        SET last_uid = CASE WHEN s.uid_validity = excluded.uid_validity THEN greatest(s.last_uid, excluded.last_uid) ELSE excluded.last_uid END,
            uid_validity = excluded.uid_validity, updated_at = excluded.updated_at`,
    [accountId, folder, state.uidValidity.toString(), state.lastUid, at],
  );
}

export interface Recognised {
  accountId: string;
  folder: string;
  uidValidity: bigint;
  uid: number;
  kind: MachineKind;
  messageId: string | null;
  sender: string | null;
  subject: string | null;
}

/** A bounce, auto-reply or report: kept for the record (once per UID), never a demand. */
export async function recordRecognised(db: Queryable, r: Recognised, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO email_recognised (account_id, folder, uid_validity, uid, kind, message_id, sender, subject, received_at)
     VALUES ($1, $2, $3::bigint, $4, $5, $6, $7, $8, $9) ON CONFLICT (account_id, folder, uid_validity, uid) DO NOTHING`,
    [r.accountId, r.folder, r.uidValidity.toString(), r.uid, r.kind, r.messageId?.slice(0, 998) ?? null, r.sender?.slice(0, 998) ?? null, r.subject?.slice(0, 998) ?? null, at],
  );
}

/** How many machine messages were recognised, by kind (/metrics). */
export async function recognisedCounts(db: Queryable): Promise<Record<MachineKind, number>> {
  const { rows } = await db.query<{ kind: MachineKind; n: number }>('SELECT kind, count(*)::int AS n FROM email_recognised GROUP BY kind');
  const out: Record<MachineKind, number> = { bounce: 0, auto_reply: 0, report: 0 };
  for (const r of rows) out[r.kind] = r.n;
  return out;
}
