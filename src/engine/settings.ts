import type { Database, Queryable } from '../db/database.js';
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from '../contracts/settings.js';
import type { Actor } from './actor.js';
import { writeAudit } from './audit.js';

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The operation's parameters: stored values over the defaults of contracts/settings.ts. */
export async function getSettings(db: Queryable): Promise<Settings & { _stored: SettingKey[] }> {
  const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const out = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const key of SETTING_KEYS) {
    if (!stored.has(key)) continue;
    const value = stored.get(key);
    const fallback = DEFAULT_SETTINGS[key];
    // a group stored before one of its fields existed takes that field's default
    out[key] = isGroup(value) && isGroup(fallback) ? { ...fallback, ...value } : value;
  }
  return Object.assign(out as Settings, { _stored: SETTING_KEYS.filter((k) => stored.has(k)) });
}

export async function setSettings(db: Database, actor: Actor, values: Partial<Settings>): Promise<Settings> {
  await db.transaction(async (tx) => {
    const before = await getSettings(tx);
    for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
      if (value === undefined) continue;
      await tx.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [key, JSON.stringify(value), actor.id],
      );
      await writeAudit(tx, actor, { action: 'update', entity: 'setting', entityId: key, before: { value: before[key] }, after: { value } });
    }
  });
  return withoutMeta(await getSettings(db));
}

export async function resetSetting(db: Database, actor: Actor, key: SettingKey): Promise<Settings> {
  await db.transaction(async (tx) => {
    const before = await getSettings(tx);
    await tx.query('DELETE FROM settings WHERE key = $1', [key]);
    await writeAudit(tx, actor, { action: 'reset', entity: 'setting', entityId: key, before: { value: before[key] }, after: { value: DEFAULT_SETTINGS[key] } });
  });
  return withoutMeta(await getSettings(db));
}

export function withoutMeta(s: Settings & { _stored?: SettingKey[] }): Settings {
  const { _stored: _, ...rest } = s;
  return rest as Settings;
}
