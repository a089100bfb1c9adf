import type { Queryable } from '../../db/database.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { loadCampaignRow, presentCampaign } from './present.js';

// A campaign's counts live on its row and move in the transaction of every recipient change (claim,
// send result, receipt, answer), by deltas: reading the progress never counts the recipients. A
// recipient being sent (`sending`) is counted as queued until its result is stored.

export const COUNT_COLUMNS = ['queued', 'sent', 'delivered', 'read', 'failed', 'answered', 'skipped'] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

const columnOf = (status: string): CountColumn => (status === 'sending' ? 'queued' : (status as CountColumn));

/** One recipient's move, as an UPDATE … RETURNING gives it. */
export interface StatusMove {
  campaign_id: string;
  before: string;
  after: string;
}

/** Adds the moves to their campaigns' counts (one UPDATE per campaign touched). Returns the campaigns touched. */
export async function applyCountMoves(tx: Queryable, moves: readonly StatusMove[], now: Date): Promise<string[]> {
  const byCampaign = new Map<string, Map<CountColumn, number>>();
  for (const m of moves) {
    const from = columnOf(m.before);
    const to = columnOf(m.after);
    if (from === to) continue;
    const d = byCampaign.get(m.campaign_id) ?? new Map<CountColumn, number>();
    d.set(from, (d.get(from) ?? 0) - 1);
    d.set(to, (d.get(to) ?? 0) + 1);
    byCampaign.set(m.campaign_id, d);
  }
  for (const [id, d] of byCampaign) {
    const deltas = COUNT_COLUMNS.map((c) => d.get(c) ?? 0);
    await tx.query(
      `UPDATE campaigns SET ${COUNT_COLUMNS.map((c, i) => `${c} = ${c} + $${i + 2}`).join(', ')}, updated_at = $${COUNT_COLUMNS.length + 2} WHERE id = $1`,
      [id, ...deltas, now],
    );
  }
  return [...byCampaign.keys()];
}

/** A running campaign with nothing left to send is finished. */
export async function finishIfDone(tx: Queryable, campaignId: string, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE campaigns SET status = 'finished', finished_at = $2, updated_at = $2 WHERE id = $1 AND status = 'running' AND queued = 0`,
    [campaignId, now],
  );
  return (rowCount ?? 0) > 0;
}

/** Raises `campaign.updated` with the campaign's current view (read in the command's transaction). */
export async function announceCampaign(u: UnitOfWork, campaignId: string): Promise<void> {
  const row = await loadCampaignRow(u.tx, campaignId);
  if (row) u.emit({ type: 'campaign.updated', serviceId: row.service_id, agentId: null, campaign: presentCampaign(row) });
}

/**
 * Progress pushes, throttled per node: the first change of a campaign is announced in its own
 * transaction, later ones at most once a `intervalMs` (a trailing announcement carries the last
 * state), so 100,000 rows make a few hundred events, not 100,000.
 */
export class CampaignAnnouncer {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = 1000,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** In a command that changed the campaigns' progress: announce now, or schedule it. */
  async changed(u: UnitOfWork, campaignIds: readonly string[], force = false): Promise<void> {
    const t = Date.now();
    for (const id of campaignIds) {
      if (force || t - (this.last.get(id) ?? 0) >= this.intervalMs) {
        this.last.set(id, t);
        clearTimeout(this.pending.get(id));
        this.pending.delete(id);
        await announceCampaign(u, id);
      } else if (!this.pending.has(id)) {
        const wait = this.intervalMs - (t - (this.last.get(id) ?? 0));
        const timer = setTimeout(() => {
          this.pending.delete(id);
          this.last.set(id, Date.now());
          this.engine.execute((v) => announceCampaign(v, id)).catch(this.onError);
        }, wait);
        timer.unref();
        this.pending.set(id, timer);
      }
    }
  }

  /** Announces what is still pending now (a stopping node, a test that wants the last state). */
  async flush(): Promise<void> {
    const ids = [...this.pending.keys()];
    for (const id of ids) clearTimeout(this.pending.get(id));
    this.pending.clear();
    if (ids.length) await this.engine.execute(async (u) => { for (const id of ids) await announceCampaign(u, id); });
  }
}

const announcers = new WeakMap<Engine, CampaignAnnouncer>();
/** The node's announcer of an engine (one per engine, so a test's two nodes keep their own). */
export function campaignAnnouncer(engine: Engine): CampaignAnnouncer {
  let a = announcers.get(engine);
  if (!a) announcers.set(engine, (a = new CampaignAnnouncer(engine)));
  return a;
}
