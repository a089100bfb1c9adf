import type { Queryable } from '../db/database.js';

/** Fields with a column of their own on the contact; everything else goes to `contacts.data`. */
const COLUMNS = ['name', 'cpf', 'email', 'phone'] as const;

/**
 * Keeps what a customer told the bot or the pre-chat form (already validated and normalised): a
 * column is filled only when empty (a known name is never overwritten by a later answer); other keys
 * (order number, free text) are merged into `data`.
 */
export async function saveContactFields(tx: Queryable, contactId: string, fields: Readonly<Record<string, string>>, at: Date): Promise<void> {
  const given = Object.entries(fields).filter(([, v]) => typeof v === 'string' && v !== '');
  if (!given.length) return;
  const column = (k: (typeof COLUMNS)[number]) => given.find(([key]) => key === k)?.[1] ?? null;
  const data = Object.fromEntries(given.filter(([k]) => !(COLUMNS as readonly string[]).includes(k)));
  await tx.query(
    `UPDATE contacts SET name = coalesce(name, $2), cpf = coalesce(cpf, $3), email = coalesce(email, $4), phone = coalesce(phone, $5),
        data = data || $6::jsonb, updated_at = $7
      WHERE id = $1`,
    [contactId, column('name'), column('cpf'), column('email'), column('phone'), JSON.stringify(data), at],
  );
}
