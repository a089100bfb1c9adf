import type { Queryable } from '../../db/database.js';
import type { AlertView } from '../../contracts/alerts.js';
import { ALERT_RULES, evaluateAlerts, type AlertFinding } from '../../core/alert-rules.js';
import type { Actor } from '../actor.js';
import { policyOf, SEES_ALL } from '../access.js';
import type { Engine, UnitOfWork } from '../engine.js';
import { notFound, NOUNS } from '../errors.js';
import type { LiveProjection } from '../projection.js';
import { getSettings } from '../settings.js';
import { dayBounds } from './day-sql.js';
import type { MonitorService } from './monitor-service.js';
import { localDay } from '../protocol.js';

const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);

export function presentAlert(r: Record<string, unknown>): AlertView {
  return {
    id: r.id as number,
    rule: r.rule as AlertView['rule'],
    severity: r.severity as AlertView['severity'],
    subjectType: r.subject_type as AlertView['subjectType'],
    subjectId: r.subject_id as string,
    serviceId: (r.service_id as string | null) ?? null,
    teamIds: (r.team_ids as string[] | null) ?? [],
    message: r.message as string,
    payload: (r.payload as Record<string, unknown>) ?? {},
    createdAt: (r.created_at as Date).toISOString(),
    resolvedAt: r.resolved_at ? (r.resolved_at as Date).toISOString() : null,
    read: Boolean(r.read),
  };
}

const ALERT_SELECT = `SELECT a.*, a.team_ids::text[] AS team_ids, EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = a.id AND r.user_id = $1) AS read FROM alerts a`;

/**
 * Evaluates the alert rules on this node's live picture every few seconds (in memory) and records
 * each breach once: the partial unique index keeps one open alert per rule and subject, whatever
 * the number of nodes. A breach that ends is resolved; the alert stays for the day's review.
 */
export class AlertEngine {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<unknown> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly projection: LiveProjection,
    private readonly monitor: MonitorService,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(intervalMs = 5000): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = this.evaluate()
        .catch(this.onError)
        .finally(() => (this.busy = null));
    }, intervalMs);
    this.timer.unref();
  }

  /** Starts no other evaluation and lets the current one finish (it writes alerts). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  async evaluate(): Promise<number> {
    const db = this.engine.db;
    const [settings, reasons, figures] = await Promise.all([
      getSettings(db),
      db.query<{ id: string; name: string; max_minutes: number | null }>('SELECT id, name, max_minutes FROM pause_reasons'),
      this.monitor.figures(SEES_ALL, {}),
    ]);
    const catalog = this.monitor.catalog();
    const findings = evaluateAlerts({
      now: this.engine.clock.now().getTime(),
      thresholds: settings.alerts,
      agents: [...this.projection.agents.values()].map((a) => ({ ...a, stateSince: Date.parse(a.stateSince) })),
      pauseReasons: new Map(reasons.rows.map((r) => [r.id, { name: r.name, maxMinutes: r.max_minutes }])),
      conversations: [...this.projection.conversations.values()].map((c) => ({
        ...c, queuedAt: ms(c.queuedAt), assignedAt: ms(c.assignedAt), lastMessageAt: ms(c.lastMessageAt),
      })),
      services: new Map(
        catalog.map((s) => [s.id, { ...s, serviceLevel: figures.services.find((f) => f.serviceId === s.id)?.serviceLevel ?? null }]),
      ),
    });
    return this.record(findings);
  }

  private async record(findings: AlertFinding[]): Promise<number> {
    return this.engine.execute(async (u) => {
      let created = 0;
      for (const f of findings) if (await raiseAlert(u, f)) created++;
      // only the rules evaluated here end here: the wallet's alerts end with the wallet's readings
      const open = new Set(findings.map((f) => `${f.rule}|${f.subjectType}|${f.subjectId}`));
      const { rows: current } = await u.tx.query<{ id: number; rule: string; subject_type: string; subject_id: string }>(
        'SELECT id, rule, subject_type, subject_id FROM alerts WHERE resolved_at IS NULL AND rule = ANY($1::text[])',
        [ALERT_RULES],
      );
      await resolveAlerts(u, current.filter((a) => !open.has(`${a.rule}|${a.subject_type}|${a.subject_id}`)).map((a) => a.id));
      return created;
    });
  }
}

type Finding = Omit<AlertFinding, 'rule'> & { rule: AlertView['rule'] };

/** Records a breach unless its alert is open already (one open alert per rule and subject); pushes it when new. */
export async function raiseAlert(u: UnitOfWork, f: Finding): Promise<AlertView | null> {
  const { rows } = await u.tx.query(
    `INSERT INTO alerts (rule, severity, subject_type, subject_id, service_id, team_ids, message, payload, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8, $9)
     ON CONFLICT (rule, subject_type, subject_id) WHERE resolved_at IS NULL DO NOTHING
     RETURNING *, team_ids::text[] AS team_ids, false AS read`,
    [f.rule, f.severity, f.subjectType, f.subjectId, f.serviceId, f.teamIds, f.message, JSON.stringify(f.payload), u.now],
  );
  if (!rows[0]) return null;
  const alert = presentAlert(rows[0]);
  u.emit({ type: 'alert.created', serviceId: f.serviceId, agentId: f.subjectType === 'agent' ? f.subjectId : null, alert });
  return alert;
}

/** Marks open alerts resolved (their condition ended) and pushes each. */
export async function resolveAlerts(u: UnitOfWork, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const { rows: resolved } = await u.tx.query(
    `UPDATE alerts SET resolved_at = $2 WHERE id = ANY($1::bigint[]) AND resolved_at IS NULL RETURNING *, team_ids::text[] AS team_ids, false AS read`,
    [ids, u.now],
  );
  for (const r of resolved) {
    const alert = presentAlert(r);
    u.emit({ type: 'alert.resolved', serviceId: alert.serviceId, agentId: alert.subjectType === 'agent' ? alert.subjectId : null, alert });
  }
}

/** Alerts of one day that the actor supervises (admins: all), newest first, with my read mark. */
export async function listAlerts(db: Queryable, actor: Actor, opts: { date?: string; unread?: boolean; now: Date }) {
  const { timezone } = await getSettings(db);
  const { start, end } = await dayBounds(db, opts.date ?? localDay(opts.now, timezone), timezone);
  const scope = policyOf(actor).alertsSql('a', 4);
  const { rows } = await db.query(`${ALERT_SELECT} WHERE a.created_at >= $2 AND a.created_at < $3 AND ${scope.sql} ORDER BY a.id DESC LIMIT 500`, [actor.id, start, end, ...scope.params]);
  const items = rows.map(presentAlert).filter((a) => !opts.unread || !a.read);
  return { items, unread: items.filter((a) => !a.read).length };
}

/** Read marks on alerts the actor's scope shows; one alert outside it is a 404, as an unknown one. */
export async function markAlertsRead(db: Queryable, actor: Actor, ids: number[] | 'all', now: Date): Promise<void> {
  const policy = policyOf(actor);
  if (ids === 'all') {
    const scope = policy.alertsSql('a', 3);
    await db.query(
      `INSERT INTO alert_reads (alert_id, user_id, read_at) SELECT a.id, $1, $2 FROM alerts a
        WHERE a.created_at > $2::timestamptz - interval '2 days' AND ${scope.sql} ON CONFLICT DO NOTHING`,
      [actor.id, now, ...scope.params],
    );
    return;
  }
  const scope = policy.alertsSql('a', 4);
  const { rowCount } = await db.query(
    `INSERT INTO alert_reads (alert_id, user_id, read_at) SELECT a.id, $2, $3 FROM alerts a WHERE a.id = ANY($1::bigint[]) AND ${scope.sql} ON CONFLICT DO NOTHING`,
    [ids, actor.id, now, ...scope.params],
  );
  if (!rowCount && ids.length === 1) {
    const seen = policy.alertsSql('a', 2);
    const { rows } = await db.query(`SELECT 1 FROM alerts a WHERE a.id = $1 AND ${seen.sql}`, [ids[0], ...seen.params]);
    if (!rows[0]) throw notFound(NOUNS.alert, String(ids[0]));
  }
}
