import type { Database, Queryable } from '../../db/database.js';
import type { ConversationView } from '../../contracts/conversations.js';
import type { MonitorSnapshot } from '../../contracts/monitor.js';
import { isOpenState } from '../../shared/states.js';
import { applyToDay, emptyDay, type DayContext } from '../../core/monitor-day.js';
import { computeMonitor, type DayAggregates, type LiveConversation, type ServiceInfo } from '../../core/monitor-figures.js';
import type { ScopeIds } from '../access.js';
import type { Clock } from '../clock.js';
import type { Engine } from '../engine.js';
import type { LiveProjection } from '../projection.js';
import { localDay } from '../protocol.js';
import { getSettings } from '../settings.js';
import { dayBounds, loadDayAggregates } from './day-sql.js';

export interface FigureFilter {
  serviceId?: string;
  channel?: string;
  date?: string;
  allQueued?: boolean;
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);
const liveOf = (c: ConversationView): LiveConversation => ({
  id: c.id, serviceId: c.serviceId, channel: c.channel, state: c.state, agentId: c.agentId, createdAt: Date.parse(c.createdAt),
  queuedAt: ms(c.queuedAt), lastMessageAt: ms(c.lastMessageAt), lastMessageFrom: c.lastMessageFrom,
});

/**
 * The monitor's figures on this node: today's aggregates kept current from the projection's
 * changes, the services and parameters cached (refreshed on a slow node-wide timer, never per
 * screen), and everything computed in memory by core/monitor-figures.
 */
export class MonitorService {
  private today: DayAggregates = emptyDay('');
  private bounds = { start: 0, end: 0 };
  private services: ServiceInfo[] = [];
  private timezone = 'America/Sao_Paulo';
  private noInteractionMinutes = 5;
  private shortAbandonSeconds = 10;
  private pastDays = new Map<string, { at: number; day: DayAggregates; start: number; end: number }>();
  private refresher: NodeJS.Timeout | null = null;
  /** the open conversations with their times as numbers: parsed once per change, not per computation */
  private readonly live = new Map<string, LiveConversation>();

  constructor(
    private readonly db: Database,
    private readonly projection: LiveProjection,
    private readonly clock: Clock,
  ) {
    projection.track({
      rebuild: (tx) => this.rebuild(tx),
      reset: (open) => {
        this.live.clear();
        for (const c of open) this.live.set(c.id, liveOf(c));
      },
      apply: (prev, next) => this.apply(prev, next),
    });
    projection.onCatalogUpdated(() => void this.refreshCatalog().catch(() => undefined));
  }

  /** Tells every node (this one included) that services, teams or parameters changed. */
  static async announceCatalogChange(engine: Engine): Promise<void> {
    await engine.execute(async (u) => u.emit({ type: 'catalog.updated', serviceId: null, agentId: null }));
  }

  start(refreshMs = 30_000): void {
    this.refresher = setInterval(() => void this.refreshCatalog(this.db).catch(() => undefined), refreshMs);
    this.refresher.unref();
  }

  stop(): void {
    if (this.refresher) clearInterval(this.refresher);
  }

  /** TME today (mean queue wait of the conversations answered today) of one service, in seconds; null before the first. */
  meanWaitSeconds(serviceId: string): number | null {
    this.rollover();
    const s = this.today.services[serviceId];
    return s && s.answered > 0 ? Math.round(s.waitSumMs / s.answered / 1000) : null;
  }

  /** The active services as this node knows them. */
  catalog(): readonly ServiceInfo[] {
    return this.services;
  }

  /** Services, teams and parameters changed (an admin edit on this node, or the slow timer). */
  async refreshCatalog(db: Queryable = this.db): Promise<void> {
    // one after the other: during a rebuild `db` is a transaction on one connection
    const settings = await getSettings(db);
    const [services] = [
      await db.query<{ id: string; name: string; channel: string; team_ids: string[]; service_level_seconds: number; tma_goal_seconds: number }>(
        `SELECT s.id, s.name, s.channel, s.service_level_seconds, s.tma_goal_seconds,
            coalesce(array(SELECT team_id::text FROM service_teams WHERE service_id = s.id), '{}') AS team_ids
           FROM services s WHERE s.active ORDER BY s.name`,
      ),
    ];
    this.ctx = null;
    this.timezone = settings.timezone;
    this.noInteractionMinutes = settings.noInteractionMinutes;
    this.shortAbandonSeconds = settings.shortAbandonSeconds;
    this.services = services.rows.map((s) => ({
      id: s.id, name: s.name, channel: s.channel, teamIds: s.team_ids, serviceLevelSeconds: s.service_level_seconds, tmaGoalSeconds: s.tma_goal_seconds,
    }));
  }

  private async rebuild(tx: Queryable): Promise<void> {
    await this.refreshCatalog(tx);
    const day = localDay(this.clock.now(), this.timezone);
    const b = await dayBounds(tx, day, this.timezone);
    this.bounds = { start: b.start.getTime(), end: b.end.getTime() };
    this.today = await loadDayAggregates(tx, day, this.timezone, this.shortAbandonSeconds);
  }

  private ctx: DayContext | null = null;

  /** Built once per catalog or day change: an Intl formatter per event would dominate the cost. */
  private context(): DayContext {
    if (this.ctx && this.ctx.dayStart === this.bounds.start) return this.ctx;
    const hourFmt = new Intl.DateTimeFormat('en-GB', { timeZone: this.timezone, hour: '2-digit', hourCycle: 'h23' });
    const targets = new Map(this.services.map((s) => [s.id, s.serviceLevelSeconds]));
    this.ctx = {
      dayStart: this.bounds.start,
      dayEnd: this.bounds.end,
      hourOf: (at) => Number(hourFmt.format(at)),
      serviceLevelSeconds: (id) => targets.get(id) ?? 60,
      shortAbandonSeconds: this.shortAbandonSeconds,
    };
    return this.ctx;
  }

  /** A new day starts with empty aggregates (midnight in the contact center's time zone). */
  private rollover(): void {
    const now = this.clock.now().getTime();
    if (now < this.bounds.end) return;
    const day = localDay(new Date(now), this.timezone);
    // bounds of the new day: 24 h on, corrected by the next rebuild if a DST shift ever applies
    this.bounds = { start: this.bounds.end, end: this.bounds.end + 86_400_000 };
    this.today = emptyDay(day);
  }

  private apply(prev: ConversationView | undefined, next: ConversationView): void {
    this.rollover();
    const times = (c: ConversationView) => ({
      serviceId: c.serviceId, channel: c.channel, state: c.state, createdAt: Date.parse(c.createdAt),
      firstQueuedAt: ms(c.firstQueuedAt), queuedAt: ms(c.queuedAt), firstAssignedAt: ms(c.firstAssignedAt), finishedAt: ms(c.finishedAt),
    });
    applyToDay(this.today, prev && times(prev), times(next), this.context());
    if (isOpenState(next.state)) this.live.set(next.id, liveOf(next));
    else this.live.delete(next.id);
  }

  /** Figures for one viewer and one filter; a past Período reads that day once (cached a minute). */
  async figures(scope: ScopeIds, filter: FigureFilter): Promise<MonitorSnapshot> {
    this.rollover();
    await this.projection.settled();
    const now = this.clock.now();
    let day = this.today;
    let start = this.bounds.start;
    let end = this.bounds.end;
    if (filter.date && filter.date !== this.today.day) {
      const cached = this.pastDays.get(filter.date);
      if (cached && now.getTime() - cached.at < 60_000) ({ day, start, end } = cached);
      else {
        const b = await dayBounds(this.db, filter.date, this.timezone);
        day = await loadDayAggregates(this.db, filter.date, this.timezone, this.shortAbandonSeconds);
        start = b.start.getTime();
        end = b.end.getTime();
        this.pastDays.set(filter.date, { at: now.getTime(), day, start, end });
      }
    }
    const services = scope.all ? this.services : this.services.filter((s) => scope.serviceIds.has(s.id));
    const figures = computeMonitor({
      conversations: this.live.values(),
      agents: this.projection.agents.values(),
      services,
      day,
      filter: { serviceId: filter.serviceId, channel: filter.channel, allQueued: filter.allQueued },
      agentIds: scope.all ? null : scope.agentIds,
      now: now.getTime(),
      dayStart: start,
      dayEnd: end,
      noInteractionMinutes: this.noInteractionMinutes,
    });
    return {
      generatedAt: now.toISOString(),
      seq: this.projection.seq,
      day: day.day,
      timezone: this.timezone,
      ...(figures as Omit<MonitorSnapshot, 'generatedAt' | 'seq' | 'day' | 'timezone'>),
    };
  }
}
