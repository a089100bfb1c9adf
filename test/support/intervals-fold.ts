// Relatórios → Atendimentos por intervalo computed the plain way, for the tests: a loop over raw
// conversation rows, each milestone counted in the local interval it happened in (the local time
// taken from Intl in the zone given, not from PostgreSQL), with docs/REPORTS.md section 1's
// definitions written out here. Sums are whole milliseconds (the tests' timestamps have no finer part).

export interface IntervalRaw {
  serviceId: string;
  channel: string;
  state: string;
  agentId: string | null;
  firstQueuedAt: Date | null;
  queuedAt: Date | null;
  firstAssignedAt: Date | null;
  firstAgentMessageAt: Date | null;
  finishedAt: Date | null;
}

export type FoldInterval = '15m' | '30m' | 'hour' | 'day';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local wall-clock time of `d` in `tz` as `YYYY-MM-DD HH:MM:SS`. */
export function localTime(d: Date, tz: string): string {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The local start of the interval `d` falls in, as the report writes it. */
export function localBucket(d: Date, tz: string, interval: FoldInterval): string {
  const t = localTime(d, tz);
  if (interval === 'day') return `${t.slice(0, 10)} 00:00:00`;
  if (interval === 'hour') return `${t.slice(0, 13)}:00:00`;
  const step = interval === '15m' ? 15 : 30;
  const m = Math.floor(Number(t.slice(14, 16)) / step) * step;
  return `${t.slice(0, 13)}:${String(m).padStart(2, '0')}:00`;
}

export interface IntervalCell {
  bucket: string;
  serviceId: string;
  channel: string;
  /** milestones counted in the cell */
  n: number;
  offered: number;
  answered: number;
  inTarget: number;
  waitMs: number;
  abandoned: number;
  short: number;
  handled: number;
  handleMs: number;
  responded: number;
  responseMs: number;
  longestMs: number | null;
}

const empty = (bucket: string, serviceId: string, channel: string): IntervalCell => ({
  bucket, serviceId, channel, n: 0, offered: 0, answered: 0, inTarget: 0, waitMs: 0, abandoned: 0, short: 0, handled: 0, handleMs: 0,
  responded: 0, responseMs: 0, longestMs: null,
});

/**
 * The cells per local interval × service × channel of the milestones in the local days [from, to]
 * (every day when absent). `targetOf` gives a service's NS target in seconds; `shortSeconds` is the
 * short-abandon limit.
 */
export function foldIntervalCells(
  rows: IntervalRaw[],
  o: { tz: string; interval: FoldInterval; targetOf: (serviceId: string) => number; shortSeconds: number; from?: string; to?: string },
): Map<string, IntervalCell> {
  const out = new Map<string, IntervalCell>();
  const inP = (d: Date | null): d is Date => {
    if (!d) return false;
    const day = localTime(d, o.tz).slice(0, 10);
    return (!o.from || day >= o.from) && (!o.to || day <= o.to);
  };
  const at = (d: Date, c: IntervalRaw) => {
    const bucket = localBucket(d, o.tz, o.interval);
    const key = `${bucket}|${c.serviceId}|${c.channel}`;
    let cell = out.get(key);
    if (!cell) out.set(key, (cell = empty(bucket, c.serviceId, c.channel)));
    cell.n++;
    return cell;
  };
  const longest = (cell: IntervalCell, ms: number) => {
    cell.longestMs = cell.longestMs === null ? ms : Math.max(cell.longestMs, ms);
  };
  for (const c of rows) {
    if (inP(c.firstQueuedAt)) at(c.firstQueuedAt, c).offered++;
    if (inP(c.firstAssignedAt)) {
      const wait = c.firstAssignedAt.getTime() - (c.firstQueuedAt ?? c.firstAssignedAt).getTime();
      const cell = at(c.firstAssignedAt, c);
      cell.answered++;
      cell.waitMs += wait;
      if (wait <= o.targetOf(c.serviceId) * 1000) cell.inTarget++;
      longest(cell, wait);
    }
    const gaveUp = ['abandoned', 'customer_gave_up'].includes(c.state) && c.firstQueuedAt !== null && c.firstAssignedAt === null;
    if (inP(c.finishedAt) && (c.firstAssignedAt || gaveUp)) {
      const cell = at(c.finishedAt, c);
      if (c.firstAssignedAt) {
        cell.handled++;
        cell.handleMs += c.finishedAt.getTime() - c.firstAssignedAt.getTime();
      }
      if (gaveUp) {
        const wait = c.finishedAt.getTime() - (c.queuedAt ?? c.firstQueuedAt)!.getTime();
        cell.abandoned++;
        if (wait <= o.shortSeconds * 1000) cell.short++;
        longest(cell, wait);
      }
    }
    if (c.firstAssignedAt && inP(c.firstAgentMessageAt)) {
      const cell = at(c.firstAgentMessageAt, c);
      cell.responded++;
      cell.responseMs += c.firstAgentMessageAt.getTime() - c.firstAssignedAt.getTime();
    }
  }
  return out;
}

const mean = (ms: number, n: number) => (n ? Math.round(ms / 1000 / n) : null);

/** A cell's figures as the report shows them (NS over answered + abandoned − short). */
export function intervalFigures(c: IntervalCell) {
  const base = c.answered + c.abandoned - c.short;
  return {
    offered: c.offered, answered: c.answered, abandoned: c.abandoned, short_abandoned: c.short,
    service_level: base > 0 ? Math.round((c.inTarget * 10_000) / base) / 100 : null,
    tme: mean(c.waitMs, c.answered), tma: mean(c.handleMs, c.handled), tpr: mean(c.responseMs, c.responded),
    longest_wait: c.longestMs === null ? null : Math.round(c.longestMs / 1000),
  };
}

/** Every cell added into one (the totals row). */
export function addIntervalCells(cells: Iterable<IntervalCell>): IntervalCell {
  const t = empty('', '', '');
  for (const c of cells) {
    for (const k of ['n', 'offered', 'answered', 'inTarget', 'waitMs', 'abandoned', 'short', 'handled', 'handleMs', 'responded', 'responseMs'] as const) t[k] += c[k];
    if (c.longestMs !== null) t.longestMs = t.longestMs === null ? c.longestMs : Math.max(t.longestMs, c.longestMs);
  }
  return t;
}
