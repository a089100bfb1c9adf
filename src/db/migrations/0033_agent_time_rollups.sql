-- Agents' time and sessions over millions (issue 16): Produtividade por agente's time columns,
-- Pausas and Sessões read a month from these instead of windowing every state row of it.
--
-- 1. Time per state (agent_time_rollups): each CLOSED state row contributes, to every local day and
--    every local month (Parâmetros → timezone, rollup_time_zone() of 0031) it overlaps, the
--    microseconds it spent in it (exact add and subtract) and three counts a reader needs to count the
--    rows that overlap a period once: started_n (it began in the unit), zero_n (it began and ended at
--    the unit's first instant: the raw reads leave such a row out of a period that starts there) and
--    continued_n (it began before the unit and ends after the unit's start). An open row contributes
--    nothing (a reader takes it raw: at most one per agent, agent_state_history_open_idx), so the
--    engine's ordinary change (close the open row, open the next) touches 1–2 rows per level.
-- 2. Session marks (agent_session_marks): the instants an agent logged in or out of the omnichannel,
--    one row per instant, with the definitions of the Sessões report (engine/reports/sessions.ts): a
--    login is a row the agent's previous row does not end at, a logout an ended row the agent's next
--    row does not start at. An agent's rows never overlap, so whether an instant t is either depends
--    only on the rows that start or end at t: with P the rows of positive length ending at t, N those
--    starting at t (open or of positive length) and Z those of no length at t, t is a login when
--    N + Z > 0 and P = 0, and a logout when P + Z > 0 and N = 0. They are kept by reconciling, after
--    every statement, the instants its rows start and end at with the table as the statement left it
--    (index probes on agent_state_history_user_idx): whichever order the statement's triggers fire in,
--    the marks come out the same. Logins and logouts do not depend on the time zone.
-- Connection losses stay a read (each logout of the period probes events_at_idx, as before): the
-- grace timer's event is written after the state change, in the same transaction.

CREATE TABLE agent_time_rollups (
  level            text    NOT NULL CHECK (level IN ('day', 'month')),
  period           date    NOT NULL,
  user_id          uuid    NOT NULL,
  state            text    NOT NULL,
  pause_reason_id  uuid,
  us               bigint  NOT NULL DEFAULT 0,
  started_n        integer NOT NULL DEFAULT 0,
  zero_n           integer NOT NULL DEFAULT 0,
  continued_n      integer NOT NULL DEFAULT 0,
  CONSTRAINT agent_time_rollups_key UNIQUE NULLS NOT DISTINCT (level, period, user_id, state, pause_reason_id)
);

CREATE TABLE agent_session_marks (
  user_id  uuid        NOT NULL,
  at       timestamptz NOT NULL,
  login    boolean     NOT NULL,
  logout   boolean     NOT NULL,
  PRIMARY KEY (user_id, at)
);
-- a period's marks from the index alone
CREATE INDEX agent_session_marks_at_idx ON agent_session_marks (at) INCLUDE (user_id, login, logout);

-- One closed row's contributions: a row per local day and per local month it overlaps (a row of no
-- length: its day and month). Shared by the trigger and the rebuild.
CREATE FUNCTION agent_time_units(a timestamptz, b timestamptz, tz text)
RETURNS TABLE (level text, period date, us bigint, started_n integer, zero_n integer, continued_n integer)
LANGUAGE sql STABLE AS $$
  WITH d AS (SELECT (a AT TIME ZONE tz)::date AS d0,
                    CASE WHEN b > a THEN ((b - interval '1 microsecond') AT TIME ZONE tz)::date ELSE (a AT TIME ZONE tz)::date END AS d1),
       u AS (SELECT 'day'::text AS level, g::date AS period, d.d0 AS first, g::timestamp AT TIME ZONE tz AS u0, (g + interval '1 day')::timestamp AT TIME ZONE tz AS u1
               FROM d, generate_series(d.d0::timestamp, d.d1::timestamp, interval '1 day') g
             UNION ALL
             SELECT 'month', g::date, date_trunc('month', d.d0)::date, g::timestamp AT TIME ZONE tz, (g + interval '1 month')::timestamp AT TIME ZONE tz
               FROM d, generate_series(date_trunc('month', d.d0), date_trunc('month', d.d1), interval '1 month') g)
  SELECT u.level, u.period, rollup_us(least(b, u.u1), greatest(a, u.u0)),
         (u.period = u.first)::int, (u.period = u.first AND a = b AND a = u.u0)::int, (u.period > u.first)::int
    FROM u
$$;

-- One statement's change: the rows it added and the rows it removed (an update is both).
CREATE FUNCTION agent_state_rollups_change(added agent_state_history[], removed agent_state_history[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(added || removed) x WHERE x.ended_at IS NOT NULL) THEN
    tz := rollup_time_zone();
    INSERT INTO agent_time_rollups AS r (level, period, user_id, state, pause_reason_id, us, started_n, zero_n, continued_n)
    SELECT u.level, u.period, d.user_id, d.state, d.pause_reason_id,
           sum(u.us * d.sign), sum(u.started_n * d.sign), sum(u.zero_n * d.sign), sum(u.continued_n * d.sign)
      FROM (SELECT x.user_id, x.state, x.pause_reason_id, x.started_at, x.ended_at, 1 AS sign FROM unnest(added) x WHERE x.ended_at IS NOT NULL
            UNION ALL
            SELECT x.user_id, x.state, x.pause_reason_id, x.started_at, x.ended_at, -1 FROM unnest(removed) x WHERE x.ended_at IS NOT NULL) d
     CROSS JOIN LATERAL agent_time_units(d.started_at, d.ended_at, tz) u
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(u.us * d.sign) <> 0 OR sum(u.started_n * d.sign) <> 0 OR sum(u.zero_n * d.sign) <> 0 OR sum(u.continued_n * d.sign) <> 0
    ON CONFLICT ON CONSTRAINT agent_time_rollups_key DO UPDATE SET
      us = r.us + EXCLUDED.us, started_n = r.started_n + EXCLUDED.started_n, zero_n = r.zero_n + EXCLUDED.zero_n,
      continued_n = r.continued_n + EXCLUDED.continued_n;
  END IF;

  -- the instants the rows start and end at, their marks again from the table as it is now
  DELETE FROM agent_session_marks m
   USING unnest(added || removed) x
   WHERE m.user_id = x.user_id AND (m.at = x.started_at OR m.at = x.ended_at);
  INSERT INTO agent_session_marks (user_id, at, login, logout)
  SELECT s.user_id, s.at, s.n + s.z > 0 AND NOT s.p, (s.p OR s.z > 0) AND s.n = 0
    FROM (SELECT t.user_id, t.at,
                 count(h.id) FILTER (WHERE h.ended_at IS DISTINCT FROM h.started_at) AS n,
                 count(h.id) FILTER (WHERE h.ended_at = h.started_at) AS z,
                 -- the row of positive length ending at t is the agent's last row begun before t
                 EXISTS (SELECT 1 FROM agent_state_history b
                          WHERE b.user_id = t.user_id AND b.ended_at = t.at
                            AND b.started_at = (SELECT max(c.started_at) FROM agent_state_history c WHERE c.user_id = t.user_id AND c.started_at < t.at)) AS p
            FROM (SELECT DISTINCT v.user_id, v.at
                    FROM unnest(added || removed) x CROSS JOIN LATERAL (VALUES (x.user_id, x.started_at), (x.user_id, x.ended_at)) v(user_id, at)
                   WHERE v.at IS NOT NULL) t
            LEFT JOIN agent_state_history h ON h.user_id = t.user_id AND h.started_at = t.at
           GROUP BY t.user_id, t.at) s
   WHERE (s.n + s.z > 0 AND NOT s.p) OR ((s.p OR s.z > 0) AND s.n = 0);
END
$$;

CREATE FUNCTION agent_state_rollups_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agent_state_rollups_change(ARRAY(SELECT n::agent_state_history FROM new_rows n), '{}'::agent_state_history[]);
  RETURN NULL;
END
$$;
CREATE FUNCTION agent_state_rollups_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agent_state_rollups_change(ARRAY(SELECT n::agent_state_history FROM new_rows n), ARRAY(SELECT o::agent_state_history FROM old_rows o));
  RETURN NULL;
END
$$;
CREATE FUNCTION agent_state_rollups_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agent_state_rollups_change('{}'::agent_state_history[], ARRAY(SELECT o::agent_state_history FROM old_rows o));
  RETURN NULL;
END
$$;
CREATE TRIGGER agent_state_rollups_insert AFTER INSERT ON agent_state_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_rollups_insert();
CREATE TRIGGER agent_state_rollups_update AFTER UPDATE ON agent_state_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_rollups_update();
CREATE TRIGGER agent_state_rollups_delete AFTER DELETE ON agent_state_history
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_rollups_delete();

-- The rebuild (scripts/rollups-rebuild-agents.ts, bench/lookback-agents-seed.ts, a time-zone change
-- and below for the rows already stored): both tables recomputed from the state rows. The lock holds
-- the writers of agent_state_history (not the readers) while it runs.
CREATE FUNCTION agent_time_rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  written bigint;
BEGIN
  LOCK TABLE agent_state_history IN SHARE MODE;
  DELETE FROM agent_time_rollups;
  INSERT INTO agent_time_rollups (level, period, user_id, state, pause_reason_id, us, started_n, zero_n, continued_n)
  SELECT u.level, u.period, h.user_id, h.state, h.pause_reason_id, sum(u.us), sum(u.started_n), sum(u.zero_n), sum(u.continued_n)
    FROM agent_state_history h CROSS JOIN LATERAL agent_time_units(h.started_at, h.ended_at, tz) u
   WHERE h.ended_at IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5
   ORDER BY 1, 2;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
CREATE FUNCTION agent_session_marks_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  written bigint;
BEGIN
  LOCK TABLE agent_state_history IN SHARE MODE;
  DELETE FROM agent_session_marks;
  -- the same rule as the trigger, every instant at once: n, z and p per agent and instant
  INSERT INTO agent_session_marks (user_id, at, login, logout)
  SELECT i.user_id, i.at, i.n + i.z > 0 AND i.p = 0, i.p + i.z > 0 AND i.n = 0
    FROM (SELECT e.user_id, e.at, sum(e.n) AS n, sum(e.z) AS z, sum(e.p) AS p
            FROM (SELECT h.user_id, h.started_at AS at, (h.ended_at IS DISTINCT FROM h.started_at)::int AS n, (h.ended_at IS NOT DISTINCT FROM h.started_at)::int AS z, 0 AS p
                    FROM agent_state_history h
                  UNION ALL
                  SELECT h.user_id, h.ended_at, 0, 0, 1 FROM agent_state_history h WHERE h.ended_at > h.started_at) e
           GROUP BY e.user_id, e.at) i
   WHERE (i.n + i.z > 0 AND i.p = 0) OR (i.p + i.z > 0 AND i.n = 0)
   ORDER BY i.at;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
SELECT agent_time_rollups_rebuild(), agent_session_marks_rebuild();

-- The time zone changed: the days and months again (the marks are instants).
CREATE FUNCTION settings_agent_time_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.value IS NOT DISTINCT FROM NEW.value THEN RETURN NULL; END IF;
  PERFORM agent_time_rollups_rebuild();
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_agent_time_rollups_ins_upd AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'timezone') EXECUTE FUNCTION settings_agent_time_rollups_rebuild();
CREATE TRIGGER settings_agent_time_rollups_del AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'timezone') EXECUTE FUNCTION settings_agent_time_rollups_rebuild();
