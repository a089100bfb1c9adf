import type { ReportRow } from '../../contracts/reports.js';
import { seconds, SqlParams, usersWhere, type ReportContext, type ReportDefinition } from './definition.js';

// 8. Sessões de agentes, from the agent state history (one row per state; a logout closes the open row
// and opens none): a login is a row the agent's previous row does not end at, a logout an ended row
// the next one does not start at. Connection losses are the logouts the grace timer made (event agent.updated, reason
// connection_lost); sign-ins to the application are the audit's 'login' records.

const LOCAL = (col: string, tz: string) => `to_char((${col}) AT TIME ZONE ${tz}, 'YYYY-MM-DD HH24:MI:SS')`;

async function run(ctx: ReportContext) {
  const { start, end, timeZone } = ctx.period;
  const q = new SqlParams();
  const [s, e, now, tz] = [q.p(start), q.p(end), q.p(ctx.now), q.p(timeZone)];
  const history = await ctx.db.query<{ id: string; name: string; logins: number; logouts: number; losses: number; first_login: string | null; last_logout: string | null; logged: number | null }>(
    `SELECT u.id, u.name,
            count(*) FILTER (WHERE h.is_login AND h.started_at >= ${s})::int AS logins,
            count(*) FILTER (WHERE h.is_logout AND h.ended_at < ${e})::int AS logouts,
            count(*) FILTER (WHERE h.is_logout AND h.ended_at < ${e} AND h.is_lost)::int AS losses,
            ${LOCAL(`min(h.started_at) FILTER (WHERE h.is_login AND h.started_at >= ${s})`, tz)} AS first_login,
            ${LOCAL(`max(h.ended_at) FILTER (WHERE h.is_logout AND h.ended_at < ${e})`, tz)} AS last_logout,
            sum(extract(epoch FROM least(coalesce(h.ended_at, ${now}::timestamptz), ${e}::timestamptz) - greatest(h.started_at, ${s}::timestamptz)))::float8 AS logged
       FROM (SELECT y.*,
                    -- the grace timer's logout: its event bears the same instant (one transaction), found by the events' time index
                    CASE WHEN y.is_logout AND y.ended_at < ${e}::timestamptz THEN EXISTS (SELECT 1 FROM events ev WHERE ev.at = y.ended_at
                      AND ev.type = 'agent.updated' AND ev.agent_id = y.user_id AND ev.payload->>'reason' = 'connection_lost') ELSE false END AS is_lost
               FROM (SELECT x.*,
                            -- the agent's previous row (in time, then id: two changes can share an instant) ended elsewhere: a login
                            lag(x.ended_at) OVER w IS DISTINCT FROM x.started_at AS is_login,
                            x.ended_at IS NOT NULL AND lead(x.started_at) OVER w IS DISTINCT FROM x.ended_at AS is_logout
                       FROM (SELECT a.* FROM agent_state_history a
                              WHERE a.started_at >= ${s}::timestamptz AND a.started_at < ${e}::timestamptz AND a.started_at <= ${now}::timestamptz
                             UNION ALL
                             -- a user's rows never overlap: only their last row begun before the period can reach into it (and
                             -- tell whether the period's first row is a login); a later row ending in the period starts in it
                             SELECT o.* FROM users w CROSS JOIN LATERAL (SELECT b.* FROM agent_state_history b WHERE b.user_id = w.id AND b.started_at < ${s}::timestamptz
                                                                          ORDER BY b.started_at DESC, b.id DESC LIMIT 1) o
                              WHERE coalesce(o.ended_at, ${now}::timestamptz) >= ${s}::timestamptz) x
                      WHERE ${usersWhere(ctx, q, 'x.user_id')}
                     WINDOW w AS (PARTITION BY x.user_id ORDER BY x.started_at, x.id)) y) h
       JOIN users u ON u.id = h.user_id
      GROUP BY u.id, u.name`,
    q.list,
  );
  const a = new SqlParams();
  const signIns = await ctx.db.query<{ id: string; n: number }>(
    `SELECT l.actor_id AS id, count(*)::int AS n FROM audit_log l
      WHERE l.action = 'login' AND l.entity = 'session' AND l.at >= ${a.p(start)} AND l.at < ${a.p(end)} AND ${usersWhere(ctx, a, 'l.actor_id')}
      GROUP BY l.actor_id`,
    a.list,
  );
  const rows = new Map<string, ReportRow>();
  const blank = (name: string): ReportRow => ({ agent: name, signIns: 0, logins: 0, logouts: 0, connectionLosses: 0, firstLogin: null, lastLogout: null, timeLogged: 0 });
  for (const h of history.rows) {
    rows.set(h.id, { ...blank(h.name), logins: h.logins, logouts: h.logouts, connectionLosses: h.losses, firstLogin: h.first_login, lastLogout: h.last_logout, timeLogged: seconds(h.logged) ?? 0 });
  }
  // sign-ins only beside an agent's presence (a supervisor who never logs in as an agent is not listed)
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
