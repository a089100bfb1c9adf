import type { Database } from '../../db/database.js';
import { getSettings } from '../settings.js';

// The rollups of migrations 0031 and 0036 (the 15-minute cells of Atendimentos por intervalo, rebuilt
// by the same SQL function), 0038 (Pré-atendimento's outcomes and options chosen, per local day of
// the conversations' creation) and 0039 (Classificações' wrap-up answers) recomputed from the raw rows,
// and migration 0040's template cells (Mensagens ativas) from the messages (`npm run rollups:rebuild`):
// a month of days at a time, the conversations' tables in one transaction and the templates' in
// another, so a live system's writers wait for one chunk only (the SQL functions lock the rollup
// tables against writes, never against reads) and a writer holding the templates' lock never waits on
// a rebuild that holds the conversations'. Idempotent: a chunk's rows are deleted and summed again.

export interface RebuildChunk {
  from: string;
  to: string;
  /** conversation milestone rows (0031) written */
  rows: number;
  /** the bot rows (migration 0038: outcomes and options chosen) */
  botRows: number;
  /** migration 0039's wrap-up answer rows written */
  wrapupRows: number;
  /** template cells (0040) written */
  templateRows: number;
  ms: number;
}

/** Every local day from the first conversation to today (or [from, to] when given), month by month. */
export async function rebuildRollups(
  db: Database, opts: { from?: string; to?: string; onChunk?: (c: RebuildChunk) => void } = {},
): Promise<RebuildChunk[]> {
  const { timezone } = await getSettings(db);
  const { rows: [range] } = await db.query<{ first: string | null; today: string }>(
    `SELECT to_char((min(created_at) AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS first,
            to_char((now() AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS today FROM conversations`,
    [timezone],
  );
  const from = opts.from ?? range.first;
  const to = opts.to ?? range.today;
  if (!from) return [];
  const { rows: months } = await db.query<{ from: string; to: string }>(
    `SELECT to_char(greatest(m, $1::date), 'YYYY-MM-DD') AS from,
            to_char(least((m + interval '1 month')::date - 1, $2::date), 'YYYY-MM-DD') AS to
       FROM generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') AS m`,
    [from, to],
  );
  const done: RebuildChunk[] = [];
  for (const m of months) {
    const t = performance.now();
    // in the order a conversation's triggers take the tables (their names sort bot, rollups, wrapup),
    // so a rebuild that locked them the other way round cannot deadlock with a writer
    const [rows, botRows, wrapupRows] = await db.transaction(async (tx) => {
      const bot = (await tx.query<{ n: number }>('SELECT rebuild_bot_rollups($1::date, $2::date) AS n', [m.from, m.to])).rows[0].n;
      const conv = (await tx.query<{ n: number }>('SELECT rebuild_conversation_rollups($1::date, $2::date, NULL) AS n', [m.from, m.to])).rows[0].n;
      const wrapup = (await tx.query<{ n: number }>('SELECT rebuild_wrapup_rollups($1::date, $2::date, NULL) AS n', [m.from, m.to])).rows[0].n;
      return [conv, bot, wrapup];
    });
    const templateRows = await db.transaction(async (tx) =>
      (await tx.query<{ n: number }>('SELECT rebuild_template_rollups($1::date, $2::date) AS n', [m.from, m.to])).rows[0].n);
    const chunk = {
      from: m.from, to: m.to, rows: Number(rows), botRows: Number(botRows), wrapupRows: Number(wrapupRows), templateRows: Number(templateRows),
      ms: Math.round(performance.now() - t),
    };
    opts.onChunk?.(chunk);
    done.push(chunk);
  }
  return done;
}
