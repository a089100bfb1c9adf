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
--    N + Z > 0 and P = 0, and a logout when P + Z > 0 and N = 0. They are kept by reconciling the
--    instants a written row changed with the table as its statement left it (index probes on
--    agent_state_history_user_idx): whichever order a statement's rows fire in, the marks come out the
--    same. Logins and logouts do not depend on the time zone.
-- Row triggers (AFTER, so fired once the statement is done), not statement triggers with transition
-- tables: measured (bench/agent-states.ts), the engine's change of state costs less with them — its
-- insert of an open row and its close of the previous one each reconcile one instant, and only the
-- close adds time; a statement trigger builds its transition tables and probes every instant.
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
-- length: its day and month). Shared by the trigger and the rebuild. PL/pgSQL, not SQL: its plan is
-- kept for the session, where a SQL function's would be made again at every statement.
CREATE FUNCTION agent_time_units(a timestamptz, b timestamptz, tz text)
RETURNS TABLE (level text, period date, us bigint, started_n integer, zero_n integer, continued_n integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  d0 date := (a AT TIME ZONE tz)::date;
  d1 date := CASE WHEN b > a THEN ((b - interval '1 microsecond') AT TIME ZONE tz)::date ELSE d0 END;
  u0 timestamptz;
  u1 timestamptz;
  d date;
BEGIN
  d := d0;
  WHILE d <= d1 LOOP
    u0 := d::timestamp AT TIME ZONE tz;
    u1 := (d + 1)::timestamp AT TIME ZONE tz;
    level := 'day'; period := d; us := rollup_us(least(b, u1), greatest(a, u0));
    started_n := (d = d0)::int; zero_n := (d = d0 AND a = b AND a = u0)::int; continued_n := (d > d0)::int;
    RETURN NEXT;
    d := d + 1;
  END LOOP;
  d := date_trunc('month', d0)::date;
  WHILE d <= d1 LOOP
    u0 := d::timestamp AT TIME ZONE tz;
    u1 := (d + interval '1 month')::timestamp AT TIME ZONE tz;
    level := 'month'; period := d; us := rollup_us(least(b, u1), greatest(a, u0));
    started_n := (d <= d0)::int; zero_n := (d <= d0 AND a = b AND a = u0)::int; continued_n := (d > d0)::int;
    RETURN NEXT;
    d := (d + interval '1 month')::date;
  END LOOP;
END
$$;

-- The session marks of an agent's instants a1 and a2 (either may be null), again from the table as the
-- statement left it (row triggers fire after the statement: whichever order its rows fire in, the
-- marks come out the same). An instant usually stays as it was: one statement of index probes
-- (agent_state_history_user_idx, the marks' key), and a write only when it changed.
CREATE FUNCTION agent_session_marks_at(agent uuid, a1 timestamptz, a2 timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz;
  n bigint;
  z bigint;
  p boolean;
  is_login boolean;
  is_logout boolean;
  was_login boolean;
  was_logout boolean;
BEGIN
  FOREACH t IN ARRAY ARRAY[a1, CASE WHEN a2 IS DISTINCT FROM a1 THEN a2 END] LOOP
    CONTINUE WHEN t IS NULL;
    SELECT count(*) FILTER (WHERE h.ended_at IS DISTINCT FROM h.started_at), count(*) FILTER (WHERE h.ended_at = h.started_at),
           -- the row of positive length ending at t is the agent's last row begun before t
           EXISTS (SELECT 1 FROM agent_state_history b
                    WHERE b.user_id = agent AND b.ended_at = t
                      AND b.started_at = (SELECT max(c.started_at) FROM agent_state_history c WHERE c.user_id = agent AND c.started_at < t)),
           (SELECT m.login FROM agent_session_marks m WHERE m.user_id = agent AND m.at = t),
           (SELECT m.logout FROM agent_session_marks m WHERE m.user_id = agent AND m.at = t)
      INTO n, z, p, was_login, was_logout
      FROM agent_state_history h WHERE h.user_id = agent AND h.started_at = t;
    is_login := n + z > 0 AND NOT p;
    is_logout := (p OR z > 0) AND n = 0;
    IF was_login IS NULL THEN
      IF is_login OR is_logout THEN INSERT INTO agent_session_marks (user_id, at, login, logout) VALUES (agent, t, is_login, is_logout); END IF;
    ELSIF NOT (is_login OR is_logout) THEN
      DELETE FROM agent_session_marks m WHERE m.user_id = agent AND m.at = t;
    ELSIF (was_login, was_logout) IS DISTINCT FROM (is_login, is_logout) THEN
      UPDATE agent_session_marks m SET login = is_login, logout = is_logout WHERE m.user_id = agent AND m.at = t;
    END IF;
  END LOOP;
  RETURN 0;
END
$$;

-- One row's contributions to the time rollups, added (sign 1) or taken away (-1).
CREATE FUNCTION agent_time_rollups_add(r agent_state_history, sign integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
BEGIN
  INSERT INTO agent_time_rollups AS x (level, period, user_id, state, pause_reason_id, us, started_n, zero_n, continued_n)
  SELECT u.level, u.period, r.user_id, r.state, r.pause_reason_id, u.us * sign, u.started_n * sign, u.zero_n * sign, u.continued_n * sign
    FROM agent_time_units(r.started_at, r.ended_at, tz) u
  ON CONFLICT ON CONSTRAINT agent_time_rollups_key DO UPDATE SET
    us = x.us + EXCLUDED.us, started_n = x.started_n + EXCLUDED.started_n, zero_n = x.zero_n + EXCLUDED.zero_n,
    continued_n = x.continued_n + EXCLUDED.continued_n;
  RETURN 0;
END
$$;

-- A row added, changed or taken away: its closed contributions to the time rollups, and the marks of
-- the instants where what it brings changed (a row brings its start, as a row of no length or not,
-- and its end if after its start): the engine's closing of the open row changes one instant (its
-- end), its insert of the next one (its start).
CREATE FUNCTION agent_state_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- (assignments, not PERFORM: a call as a simple expression runs no statement of its own)
  done integer;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.ended_at IS NOT NULL THEN done := agent_time_rollups_add(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' AND NEW.ended_at IS NOT NULL THEN done := agent_time_rollups_add(NEW, 1); END IF;
  IF TG_OP = 'INSERT' THEN
    done := agent_session_marks_at(NEW.user_id, NEW.started_at, CASE WHEN NEW.ended_at > NEW.started_at THEN NEW.ended_at END);
  ELSIF TG_OP = 'DELETE' THEN
    done := agent_session_marks_at(OLD.user_id, OLD.started_at, CASE WHEN OLD.ended_at > OLD.started_at THEN OLD.ended_at END);
  ELSIF OLD.user_id <> NEW.user_id THEN
    done := agent_session_marks_at(OLD.user_id, OLD.started_at, CASE WHEN OLD.ended_at > OLD.started_at THEN OLD.ended_at END);
    done := agent_session_marks_at(NEW.user_id, NEW.started_at, CASE WHEN NEW.ended_at > NEW.started_at THEN NEW.ended_at END);
  ELSE
    IF (OLD.started_at, OLD.ended_at IS NOT DISTINCT FROM OLD.started_at) IS DISTINCT FROM (NEW.started_at, NEW.ended_at IS NOT DISTINCT FROM NEW.started_at) THEN
      done := agent_session_marks_at(NEW.user_id, OLD.started_at, NEW.started_at);
    END IF;
    IF (CASE WHEN OLD.ended_at > OLD.started_at THEN OLD.ended_at END IS DISTINCT FROM CASE WHEN NEW.ended_at > NEW.started_at THEN NEW.ended_at END) THEN
      done := agent_session_marks_at(NEW.user_id, CASE WHEN OLD.ended_at > OLD.started_at THEN OLD.ended_at END, CASE WHEN NEW.ended_at > NEW.started_at THEN NEW.ended_at END);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER agent_state_rollups_insert AFTER INSERT ON agent_state_history
  FOR EACH ROW EXECUTE FUNCTION agent_state_rollups_apply();
CREATE TRIGGER agent_state_rollups_update AFTER UPDATE ON agent_state_history
  FOR EACH ROW WHEN ((OLD.user_id, OLD.state, OLD.pause_reason_id, OLD.started_at, OLD.ended_at)
                     IS DISTINCT FROM (NEW.user_id, NEW.state, NEW.pause_reason_id, NEW.started_at, NEW.ended_at))
  EXECUTE FUNCTION agent_state_rollups_apply();
CREATE TRIGGER agent_state_rollups_delete AFTER DELETE ON agent_state_history
  FOR EACH ROW EXECUTE FUNCTION agent_state_rollups_apply();

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
