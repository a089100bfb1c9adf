// Indicadores computed the plain way, for the tests: random raw conversations (seeded), and the
// tables as loops over those rows — written from reference/metrics.md and contracts/indicators.ts,
// not from the route's SQL. São Paulo is UTC−3 all year (no DST since 2019).

export interface RawConversation {
  serviceId: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  state: string;
  agentId: string | null;
  createdAt: Date;
  botStartedAt: Date | null;
  firstQueuedAt: Date | null;
  firstAssignedAt: Date | null;
  assignedAt: Date | null;
  finishedAt: Date | null;
  classificationId: string | null;
  /** its WebChat calls as stored (migration 0028); none when absent */
  calls?: RawCall[];
}

/** A call row, the columns TMídia reads. */
export interface RawCall {
  state: 'ringing' | 'active' | 'ended' | 'missed' | 'declined' | 'failed';
  answeredAt: Date | null;
  audioSeconds: number;
  videoSeconds: number;
}

/** TMídia of one conversation: the seconds of its calls that were answered and are over. */
export const mediaOf = (c: RawConversation) =>
  (c.calls ?? []).reduce((a, k) => a + (k.answeredAt && k.state !== 'active' ? k.audioSeconds + k.videoSeconds : 0), 0);

/**
 * Random calls for some of the conversations an agent handled: 0–3 each, in every end state, an
 * answered one with whole seconds of audio and video (a failed one may have been answered first).
 */
export function randomCalls(seed: number, conversations: RawConversation[]): RawCall[][] {
  const r = seeded(seed);
  return conversations.map((c) => {
    if (!c.assignedAt || !c.finishedAt || r.next() < 0.5) return [];
    return Array.from({ length: r.int(1, 3) }, (): RawCall => {
      const state = r.pick(['ended', 'ended', 'ended', 'missed', 'declined', 'failed'] as const);
      const answered = state === 'ended' || (state === 'failed' && r.next() < 0.5);
      return {
        state, answeredAt: answered ? c.assignedAt : null,
        audioSeconds: answered ? r.int(0, 900) : 0, videoSeconds: answered && r.next() < 0.5 ? r.int(0, 900) : 0,
      };
    });
  });
}

/** mulberry32: a small seeded generator, so a failure can be replayed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

/** `count` finished conversations over `days` days from `start`, timestamps in whole seconds. */
export function randomTraffic(
  seed: number, count: number,
  o: { services: { id: string; channel: string }[]; agents: string[]; classifications: string[]; start: number; days: number },
): RawConversation[] {
  const r = seeded(seed);
  const sec = (base: number, lo: number, hi: number) => new Date(base + r.int(lo, hi) * 1000);
  const out: RawConversation[] = [];
  for (let i = 0; i < count; i++) {
    const svc = r.pick(o.services);
    const createdAt = sec(o.start, 0, o.days * 86_400 - 1);
    const c: RawConversation = {
      serviceId: svc.id, channel: svc.channel, direction: r.next() < 0.85 ? 'inbound' : 'outbound', state: 'completed', agentId: null, createdAt,
      botStartedAt: r.next() < 0.3 ? createdAt : null, firstQueuedAt: null, firstAssignedAt: null, assignedAt: null, finishedAt: null, classificationId: null,
    };
    const kind = r.next();
    if (kind < 0.6) {
      c.firstQueuedAt = sec(createdAt.getTime(), 0, 600);
      c.firstAssignedAt = sec(c.firstQueuedAt.getTime(), 0, 300);
      // one in five was transferred: the last agent's own assignment came later
      c.assignedAt = r.next() < 0.2 ? sec(c.firstAssignedAt.getTime(), 1, 200) : c.firstAssignedAt;
      c.finishedAt = sec(c.assignedAt.getTime(), 1, 3600);
      c.agentId = r.pick(o.agents);
      c.state = r.pick(['completed', 'completed', 'completed', 'cancelled', 'connection_lost', 'inactive_in_service']);
      if (c.state === 'completed' && r.next() < 0.5) c.classificationId = r.pick(o.classifications);
    } else if (kind < 0.8) {
      c.firstQueuedAt = sec(createdAt.getTime(), 0, 600);
      c.finishedAt = sec(c.firstQueuedAt.getTime(), 1, 900);
      c.state = r.pick(['abandoned', 'customer_gave_up']);
    } else if (kind < 0.95 || svc.channel !== 'email') {
      c.finishedAt = sec(createdAt.getTime(), 1, 600);
      c.state = r.pick(['completed', 'customer_gave_up']);
    } else {
      c.finishedAt = sec(createdAt.getTime(), 1, 86_400);
      c.state = 'discarded';
    }
    out.push(c);
  }
  return out;
}

const SP_OFFSET_MS = 3 * 3600_000;
const spDay = (d: Date) => new Date(d.getTime() - SP_OFFSET_MS).toISOString().slice(0, 10);
const END_STATE_ORDER = ['completed', 'cancelled', 'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded'];
const CHANNEL_NAME: Record<string, string> = {
  webchat: 'WebChat', email: 'E-mail', whatsapp: 'WhatsApp', instagram: 'Instagram', facebook: 'Messenger', telegram: 'Telegram', sms: 'SMS', api: 'API',
};
const STATUS_COLUMN: Record<string, string> = {
  webchat: 'webchat', email: 'email', facebook: 'facebook', instagram: 'instagram', sms: 'sms', whatsapp: 'whatsapp', telegram: 'other', api: 'other',
};
const pct = (n: number, total: number) => (total ? Math.round((n * 10_000) / total) / 100 : 0);
const inboundFirst = (a: string, b: string) => (a === b ? 0 : a === 'inbound' ? -1 : 1);

type Group = { name: string; secs: number[]; media: number };

function table(groups: Map<string, Group>) {
  const rows = [...groups.entries()].map(([key, g]) => {
    const sum = g.secs.reduce((a, s) => a + s, 0);
    return { key, name: g.name, count: g.secs.length, totalSeconds: Math.round(sum), meanSeconds: Math.round(sum / g.secs.length), maxSeconds: Math.round(Math.max(...g.secs)), media: g.media };
  });
  const all = [...groups.values()].flatMap((g) => g.secs);
  const sum = all.reduce((a, s) => a + s, 0);
  const media = [...groups.values()].reduce((a, g) => a + g.media, 0);
  return {
    rows: rows
      .map((x) => ({ key: x.key, name: x.name, count: x.count, pct: pct(x.count, all.length), totalSeconds: x.totalSeconds, meanSeconds: x.meanSeconds, maxSeconds: x.maxSeconds, mediaSeconds: x.media }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'pt-BR') || (a.key < b.key ? -1 : 1)),
    total: all.length
      ? { count: all.length, totalSeconds: Math.round(sum), meanSeconds: Math.round(sum / all.length), maxSeconds: Math.round(Math.max(...all)), mediaSeconds: media }
      : { count: 0, totalSeconds: null, meanSeconds: null, maxSeconds: null, mediaSeconds: 0 },
  };
}

/** The five tables of GET /api/indicators (for an admin) over `rows`; `names` gives service, agent and classification names. */
export function foldIndicators(rows: RawConversation[], q: { from: string; to: string; serviceId?: string; channel?: string }, names: Map<string, string>) {
  const ended = rows.filter((c) =>
    c.finishedAt && spDay(c.finishedAt) >= q.from && spDay(c.finishedAt) <= q.to
    && (!q.serviceId || c.serviceId === q.serviceId) && (!q.channel || c.channel === q.channel));
  const secs = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;
  const add = (m: Map<string, Group>, key: string, name: string, s: number, media: number) => {
    const g = m.get(key) ?? { name, secs: [], media: 0 };
    g.secs.push(s);
    g.media += media;
    m.set(key, g);
  };
  const service = new Map<string, Group>();
  const channel = new Map<string, Group>();
  const agent = new Map<string, Group>();
  for (const c of ended) {
    const media = mediaOf(c);
    if (c.firstAssignedAt) {
      add(service, c.serviceId, names.get(c.serviceId)!, secs(c.firstAssignedAt, c.finishedAt!), media);
      add(channel, c.channel, CHANNEL_NAME[c.channel], secs(c.firstAssignedAt, c.finishedAt!), media);
    }
    if (c.agentId && c.assignedAt) add(agent, c.agentId, names.get(c.agentId)!, secs(c.assignedAt, c.finishedAt!), media);
  }
  const status = new Map<string, { direction: string; state: string; count: number; pct: number; channels: Record<string, number> }>();
  const day = new Map<string, { direction: string; serviceId: string; serviceName: string; channel: string; state: string; classificationName: string | null; lastFinishedAt: string; count: number }>();
  for (const c of ended) {
    const s = status.get(`${c.direction}/${c.state}`) ?? {
      direction: c.direction, state: c.state, count: 0, pct: 0,
      channels: { webchat: 0, email: 0, facebook: 0, instagram: 0, sms: 0, voice: 0, whatsapp: 0, other: 0 },
    };
    s.count++;
    s.channels[STATUS_COLUMN[c.channel]]++;
    status.set(`${c.direction}/${c.state}`, s);
    const key = [c.direction, c.serviceId, c.channel, c.state, c.classificationId].join('/');
    const d = day.get(key) ?? {
      direction: c.direction, serviceId: c.serviceId, serviceName: names.get(c.serviceId)!, channel: c.channel, state: c.state,
      classificationName: c.classificationId ? names.get(c.classificationId)! : null, lastFinishedAt: c.finishedAt!.toISOString(), count: 0,
    };
    d.count++;
    if (c.finishedAt!.toISOString() > d.lastFinishedAt) d.lastFinishedAt = c.finishedAt!.toISOString();
    day.set(key, d);
  }
  const order = (s: string) => END_STATE_ORDER.indexOf(s);
  return {
    byService: table(service),
    byChannel: table(channel),
    byAgent: table(agent),
    byStatus: {
      rows: [...status.values()].map((s) => ({ ...s, pct: pct(s.count, ended.length) })).sort((a, b) => inboundFirst(a.direction, b.direction) || order(a.state) - order(b.state)),
      total: ended.length,
    },
    daySummary: [...day.values()].sort((a, b) =>
      inboundFirst(a.direction, b.direction) || a.serviceName.localeCompare(b.serviceName, 'pt-BR') || a.channel.localeCompare(b.channel)
      || order(a.state) - order(b.state) || (a.classificationName ?? '').localeCompare(b.classificationName ?? '', 'pt-BR')),
  };
}
