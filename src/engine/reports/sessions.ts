import type { ReportRow } from '../../contracts/reports.js';
import { periodTimes, reportAgents } from './agent-time.js';
import { seconds, SqlParams, usersWhere, type ReportContext, type ReportDefinition } from './definition.js';

// 8. Sessões de agentes, from the agent state history (one row per state; a logout closes the open row
// and opens none): a login is a row the agent's previous row does not end at, a logout an ended row
// the next one does not start at. Connection losses are the logouts the grace timer made (event agent.updated, reason
// connection_lost); sign-ins to the application are the audit's 'login' records. Logins and logouts are read from
// agent_session_marks, the time logged from the agents' time rollups (both migration 0033, agent-time.ts periodTimes).

const LOCAL = (col: string, tz: string) => `to_char((${col}) AT TIME ZONE ${tz}, 'YYYY-MM-DD HH24:MI:SS')`;

async function run(ctx: ReportContext) {
  const { start, end, timeZone } = ctx.period;
  const q = new SqlParams();
  const [s, e, now, tz] = [q.p(start), q.p(end), q.p(ctx.now), q.p(timeZone)];
  const marks = ctx.db.query<{ id: string; logins: number; logouts: number; losses: number; first_login: string | null; last_logout: string | null }>(
    `SELECT m.user_id AS id,
            count(*) FILTER (WHERE m.login AND m.at <= ${now}::timestamptz)::int AS logins,
            count(*) FILTER (WHERE m.logout)::int AS logouts,
            -- the grace timer's logout: its event bears the same instant (one transaction), found by the events' time index
            count(*) FILTER (WHERE m.logout AND EXISTS (SELECT 1 FROM events ev WHERE ev.at = m.at
              AND ev.type = 'agent.updated' AND ev.agent_id = m.user_id AND ev.payload->>'reason' = 'connection_lost'))::int AS losses,
            ${LOCAL(`min(m.at) FILTER (WHERE m.login AND m.at <= ${now}::timestamptz)`, tz)} AS first_login,
            ${LOCAL('max(m.at) FILTER (WHERE m.logout)', tz)} AS last_logout
       FROM agent_session_marks m
      WHERE m.at >= ${s}::timestamptz AND m.at < ${e}::timestamptz AND ${usersWhere(ctx, q, 'm.user_id')}
      GROUP BY m.user_id`,
    q.list,
  );
  const [agents, spans, history] = await Promise.all([reportAgents(ctx), periodTimes(ctx), marks]);
  // an agent is listed with a state row that overlaps the period or a login or logout in it
  const logged = new Map<string, number>();
  for (const t of spans) logged.set(t.user_id, (logged.get(t.user_id) ?? 0) + t.s);
  const marked = new Map(history.rows.map((h) => [h.id, h]));
  const rows = new Map<string, ReportRow>();
  for (const id of new Set([...logged.keys(), ...marked.keys()])) {
    const name = agents.get(id);
    if (name === undefined) continue;
    const h = marked.get(id);
    rows.set(id, {
      ...blankSessionRow(name), logins: h?.logins ?? 0, logouts: h?.logouts ?? 0, connectionLosses: h?.losses ?? 0,
      firstLogin: h?.first_login ?? null, lastLogout: h?.last_logout ?? null, timeLogged: seconds(logged.get(id) ?? 0) ?? 0,
    });
  }
  return withSignIns(ctx, rows);
}

/**
 * The rows by agent with their sign-ins to the application (the audit's 'login' records in the
 * period; only beside an agent's presence: a supervisor who never logs in as an agent is not
 * listed), sorted, and the totals line (first login the earliest, last logout the latest).
 */
export async function withSignIns(ctx: ReportContext, rows: Map<string, ReportRow>): Promise<{ rows: ReportRow[]; total: ReportRow }> {
  const a = new SqlParams();
  const signIns = await ctx.db.query<{ id: string; n: number }>(
    `SELECT l.actor_id AS id, count(*)::int AS n FROM audit_log l
      WHERE l.action = 'login' AND l.entity = 'session' AND l.at >= ${a.p(ctx.period.start)} AND l.at < ${a.p(ctx.period.end)} AND ${usersWhere(ctx, a, 'l.actor_id')}
      GROUP BY l.actor_id`,
    a.list,
  );
  for (const l of signIns.rows) { const r = rows.get(l.id); if (r) r.signIns = l.n; }
  const list = [...rows.values()].sort((x, y) => String(x.agent).localeCompare(String(y.agent)));
  const sum = (k: string) => list.reduce((n, r) => n + Number(r[k]), 0);
  const times = (k: string) => list.map((r) => r[k]).filter((v): v is string => typeof v === 'string').sort();
  return {
    rows: list,
    total: {
      agent: null, signIns: sum('signIns'), logins: sum('logins'), logouts: sum('logouts'), connectionLosses: sum('connectionLosses'),
      firstLogin: times('firstLogin')[0] ?? null, lastLogout: times('lastLogout').at(-1) ?? null, timeLogged: sum('timeLogged'),
    },
  };
}

/** A row of an agent with nothing yet. */
export const blankSessionRow = (name: string): ReportRow => ({ agent: name, signIns: 0, logins: 0, logouts: 0, connectionLosses: 0, firstLogin: null, lastLogout: null, timeLogged: 0 });

export const sessionsReport: ReportDefinition = {
  id: 'sessions',
  title: { pt: 'Sessões de agentes', en: 'Agent sessions' },
  description: {
    pt: 'Por agente: logins e logouts no omnichannel, perdas de conexão, primeiro login, último logout e tempo logado',
    en: 'Per agent: omnichannel logins and logouts, connection losses, first login, last logout and time logged in',
  },
  usesInterval: false,
  filters: ['teamId', 'agentId'],
  columns: [
    { key: 'agent', label: { pt: 'Agente', en: 'Agent' }, kind: 'text' },
    { key: 'signIns', label: { pt: 'Acessos ao sistema', en: 'Sign-ins' }, kind: 'count', definition: { pt: 'entradas no Mirante (e-mail e senha)', en: 'sign-ins to Mirante (e-mail and password)' } },
    { key: 'logins', label: { pt: 'Logins', en: 'Logins' }, kind: 'count', definition: { pt: 'entradas no atendimento (de deslogado para disponível)', en: 'omnichannel logins (from offline to available)' } },
    { key: 'logouts', label: { pt: 'Logouts', en: 'Logouts' }, kind: 'count', definition: { pt: 'saídas do atendimento, inclusive por perda de conexão', en: 'omnichannel logouts, connection losses included' } },
    {
      key: 'connectionLosses', label: { pt: 'Perdas de conexão', en: 'Connection losses' }, kind: 'count',
      definition: { pt: 'logouts feitos pelo sistema quando a mesa do agente parou de dar sinal de vida', en: 'logouts the system made when the agent’s desk stopped showing signs of life' },
    },
    { key: 'firstLogin', label: { pt: 'Primeiro login', en: 'First login' }, kind: 'time' },
    { key: 'lastLogout', label: { pt: 'Último logout', en: 'Last logout' }, kind: 'time' },
    {
      key: 'timeLogged', label: { pt: 'Tempo logado', en: 'Time logged in' }, kind: 'duration',
      definition: { pt: 'tempo em qualquer estado exceto deslogado, dentro do período (até agora)', en: 'time in any state but offline, within the period (until now)' },
    },
  ],
  chart: { type: 'bar', category: 'agent', series: ['logins', 'logouts', 'connectionLosses'] },
  run,
};
