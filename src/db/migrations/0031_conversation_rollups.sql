-- Conversation rollups (issue 16, "Fast on millions"): per day of the contact center's time zone ×
-- milestone × service × channel × direction × final state × abandon-wait bucket, the additive figures
-- of Gráficos and Relatórios → Abandono, kept by a trigger in the same transaction as every write to
-- a conversation (whichever path writes it: transitions, inbound, bot, e-mail triage, retention, the
-- seeds, tests) as an UPSERT of the difference between the row's old and new contributions.
--
-- Why a local day and not 15 minutes × agent: on the looking-back seed (200 services, ~7,700
-- conversations a day) a 15-minute bucket holds ~80 conversations over 200 services, so its rows are
-- as many as the milestones they sum and nothing gets faster; a day per service sums ~40 each.
-- Intervals under a day, the agents' own series and the figures that are not additive keep their raw
-- reads (docs/REPORTS.md). The day depends on Parâmetros → timezone, the NS count on each service's
-- threshold and the short abandons on Parâmetros → shortAbandonSeconds: changing any of them
-- recomputes the rows it affects (triggers below), so every stored figure is exact.
--
-- Milestones (k), each counted on the day it happened, with the definitions of the raw queries
-- (engine/charts/milestones.ts, engine/reports/abandonment.ts, engine/reports/intervals.ts):
--   1 created   created_at
--   2 queued    first_queued_at (offered)
--   3 assigned  first_assigned_at; s1 = wait (first_assigned − coalesce(first_queued, first_assigned)),
--               in_target = wait ≤ the service's service_level_seconds
--   4 responded first_agent_message_at; n1/s1 = those queued (− first_queued_at: Gráficos' TPR),
--               n2/s2 = those assigned (− first_assigned_at: Intervalos' TPR)
--   5 finished  finished_at (every state: readers pick theirs); n1/s1 = handled by an agent (− first_assigned_at);
--               wait_bin ≥ 0 for an abandon (queued, never assigned, abandoned or gave up) by its wait
--               (finished − coalesce(queued_at, first_queued_at)) in Abandono's buckets, short_n those ≤ the short limit
-- Sums are whole microseconds (bigint), so adding and removing contributions is exact.

CREATE TABLE conversation_rollups (
  day         date     NOT NULL,
  k           smallint NOT NULL,
  service_id  uuid     NOT NULL,
  channel     text     NOT NULL,
  direction   text     NOT NULL,
  state       text     NOT NULL,
  wait_bin    smallint NOT NULL,
  n           integer  NOT NULL DEFAULT 0,
  n1          integer  NOT NULL DEFAULT 0,
  s1          bigint   NOT NULL DEFAULT 0,
  n2          integer  NOT NULL DEFAULT 0,
  s2          bigint   NOT NULL DEFAULT 0,
  in_target   integer  NOT NULL DEFAULT 0,
  short_n     integer  NOT NULL DEFAULT 0,
  PRIMARY KEY (day, k, service_id, channel, direction, state, wait_bin)
);
CREATE INDEX conversation_rollups_service_idx ON conversation_rollups (service_id, day);

-- Indicadores' rollup: the conversations that ended (finished_at) per local day × the six columns
-- Indicadores groups by (engine/queries/indicators.ts), with its figures: handled (first assignment)
-- and its duration to the end, the last agent's own assignment and duration, the maxima (DurMaxim) and
-- the last end (Resumo do dia → Último). A maximum cannot be taken back: when a conversation leaves a
-- row the trigger recomputes that row's maxima from its conversations (a day of one service).
CREATE TABLE conversation_rollups_finished (
  day               date    NOT NULL,
  service_id        uuid    NOT NULL,
  channel           text    NOT NULL,
  agent_id          uuid,
  direction         text    NOT NULL,
  state             text    NOT NULL,
  classification_id uuid,
  n                 integer NOT NULL DEFAULT 0,
  handled           integer NOT NULL DEFAULT 0,
  handle_us         bigint  NOT NULL DEFAULT 0,
  handle_max_us     bigint,
  agent_handled     integer NOT NULL DEFAULT 0,
  agent_us          bigint  NOT NULL DEFAULT 0,
  agent_max_us      bigint,
  last_finished_at  timestamptz,
  CONSTRAINT conversation_rollups_finished_key UNIQUE NULLS NOT DISTINCT (day, service_id, channel, agent_id, direction, state, classification_id)
);
CREATE INDEX conversation_rollups_finished_service_idx ON conversation_rollups_finished (service_id, day);

-- The two settings the rows depend on, with the defaults of contracts/settings.ts DEFAULT_SETTINGS
-- (a unit test keeps them equal).
CREATE FUNCTION rollup_time_zone() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT value #>> '{}' FROM settings WHERE key = 'timezone'), 'America/Sao_Paulo')
$$;
CREATE FUNCTION rollup_short_abandon() RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT (value #>> '{}')::numeric FROM settings WHERE key = 'shortAbandonSeconds'), 10)
$$;

-- Microseconds between two instants (exact: timestamps are whole microseconds).
CREATE FUNCTION rollup_us(a timestamptz, b timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT (extract(epoch FROM a - b) * 1000000)::bigint
$$;

-- One conversation's contributions (one row per milestone it has), given the settings and its
-- service's NS threshold. Shared by the trigger and the rebuild, so both count alike.
CREATE FUNCTION rollup_milestones(c conversations, tz text, short_s numeric, sl integer)
RETURNS TABLE (day date, k smallint, service_id uuid, channel text, direction text, state text, wait_bin smallint,
               n integer, n1 integer, s1 bigint, n2 integer, s2 bigint, in_target integer, short_n integer)
LANGUAGE sql STABLE AS $$
  SELECT (m.at AT TIME ZONE tz)::date, m.k, c.service_id, c.channel, c.direction, m.state, m.wait_bin,
         1, m.n1, m.s1, m.n2, m.s2, m.in_target, m.short_n
    FROM (SELECT CASE WHEN c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL
                      THEN extract(epoch FROM c.finished_at - coalesce(c.queued_at, c.first_queued_at)) END AS aw,
                 rollup_us(c.first_assigned_at, coalesce(c.first_queued_at, c.first_assigned_at)) AS wait_us) w
   CROSS JOIN LATERAL (VALUES
     (1::smallint, c.created_at, ''::text, -1::smallint, 0, 0::bigint, 0, 0::bigint, 0, 0),
     (2::smallint, c.first_queued_at, '', -1::smallint, 0, 0::bigint, 0, 0::bigint, 0, 0),
     (3::smallint, c.first_assigned_at, '', -1::smallint, 1, w.wait_us, 0, 0::bigint,
      (w.wait_us <= sl::bigint * 1000000)::int, 0),
     (4::smallint, c.first_agent_message_at, '', -1::smallint,
      (c.first_queued_at IS NOT NULL)::int, coalesce(rollup_us(c.first_agent_message_at, c.first_queued_at), 0),
      (c.first_assigned_at IS NOT NULL)::int, coalesce(rollup_us(c.first_agent_message_at, c.first_assigned_at), 0), 0, 0),
     (5::smallint, c.finished_at, c.state,
      CASE WHEN w.aw IS NULL THEN -1 WHEN w.aw < 30 THEN 0 WHEN w.aw < 60 THEN 1 WHEN w.aw < 120 THEN 2
           WHEN w.aw < 300 THEN 3 WHEN w.aw < 600 THEN 4 ELSE 5 END::smallint,
      (c.first_assigned_at IS NOT NULL)::int, coalesce(rollup_us(c.finished_at, c.first_assigned_at), 0), 0, 0::bigint, 0,
      (w.aw IS NOT NULL AND w.aw <= short_s)::int)
   ) AS m(k, at, state, wait_bin, n1, s1, n2, s2, in_target, short_n)
   WHERE m.at IS NOT NULL
$$;

-- One conversation's row in conversation_rollups_finished (none while it has not ended).
CREATE FUNCTION rollup_finished(c conversations, tz text)
RETURNS TABLE (day date, service_id uuid, channel text, agent_id uuid, direction text, state text, classification_id uuid,
               n integer, handled integer, handle_us bigint, agent_handled integer, agent_us bigint, finished_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT (c.finished_at AT TIME ZONE tz)::date, c.service_id, c.channel, c.agent_id, c.direction, c.state, c.classification_id,
         1, (c.first_assigned_at IS NOT NULL)::int, rollup_us(c.finished_at, c.first_assigned_at),
         (c.agent_id IS NOT NULL AND c.assigned_at IS NOT NULL)::int,
         CASE WHEN c.agent_id IS NOT NULL THEN rollup_us(c.finished_at, c.assigned_at) END, c.finished_at
   WHERE c.finished_at IS NOT NULL
$$;

-- The trigger: the new row's contributions minus the old row's, summed per key, added in place.
-- Rows that reach zero stay (they add nothing); the rebuild drops them.
CREATE FUNCTION conversation_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric := rollup_short_abandon();
  sl_new integer;
  sl_old integer;
BEGIN
  IF TG_OP <> 'DELETE' THEN SELECT service_level_seconds INTO sl_new FROM services WHERE id = NEW.service_id; END IF;
  IF TG_OP <> 'INSERT' THEN SELECT service_level_seconds INTO sl_old FROM services WHERE id = OLD.service_id; END IF;
  INSERT INTO conversation_rollups AS r (day, k, service_id, channel, direction, state, wait_bin, n, n1, s1, n2, s2, in_target, short_n)
  SELECT d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin,
         sum(d.n * d.sign), sum(d.n1 * d.sign), sum(d.s1 * d.sign), sum(d.n2 * d.sign), sum(d.s2 * d.sign),
         sum(d.in_target * d.sign), sum(d.short_n * d.sign)
    FROM (SELECT m.*, 1 AS sign FROM rollup_milestones(NEW, tz, short_s, sl_new) m WHERE TG_OP <> 'DELETE'
          UNION ALL
          SELECT m.*, -1 AS sign FROM rollup_milestones(OLD, tz, short_s, sl_old) m WHERE TG_OP <> 'INSERT') d
   GROUP BY d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin
  HAVING sum(d.n * d.sign) <> 0 OR sum(d.n1 * d.sign) <> 0 OR sum(d.s1 * d.sign) <> 0 OR sum(d.n2 * d.sign) <> 0
      OR sum(d.s2 * d.sign) <> 0 OR sum(d.in_target * d.sign) <> 0 OR sum(d.short_n * d.sign) <> 0
  ON CONFLICT (day, k, service_id, channel, direction, state, wait_bin) DO UPDATE SET
    n = r.n + EXCLUDED.n, n1 = r.n1 + EXCLUDED.n1, s1 = r.s1 + EXCLUDED.s1, n2 = r.n2 + EXCLUDED.n2,
    s2 = r.s2 + EXCLUDED.s2, in_target = r.in_target + EXCLUDED.in_target, short_n = r.short_n + EXCLUDED.short_n;

  -- Indicadores' row: the new contribution added (with its maxima), the old one taken away
  IF TG_OP <> 'DELETE' AND NEW.finished_at IS NOT NULL THEN
    INSERT INTO conversation_rollups_finished AS r (day, service_id, channel, agent_id, direction, state, classification_id,
      n, handled, handle_us, handle_max_us, agent_handled, agent_us, agent_max_us, last_finished_at)
    SELECT f.day, f.service_id, f.channel, f.agent_id, f.direction, f.state, f.classification_id,
           1, f.handled, coalesce(f.handle_us, 0), f.handle_us, f.agent_handled, coalesce(f.agent_us, 0), f.agent_us, f.finished_at
      FROM rollup_finished(NEW, tz) f
    ON CONFLICT ON CONSTRAINT conversation_rollups_finished_key DO UPDATE SET
      n = r.n + 1, handled = r.handled + EXCLUDED.handled, handle_us = r.handle_us + EXCLUDED.handle_us,
      handle_max_us = greatest(r.handle_max_us, EXCLUDED.handle_max_us), agent_handled = r.agent_handled + EXCLUDED.agent_handled,
      agent_us = r.agent_us + EXCLUDED.agent_us, agent_max_us = greatest(r.agent_max_us, EXCLUDED.agent_max_us),
      last_finished_at = greatest(r.last_finished_at, EXCLUDED.last_finished_at);
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.finished_at IS NOT NULL THEN
    UPDATE conversation_rollups_finished r
       SET n = r.n - 1, handled = r.handled - f.handled, handle_us = r.handle_us - coalesce(f.handle_us, 0),
           agent_handled = r.agent_handled - f.agent_handled, agent_us = r.agent_us - coalesce(f.agent_us, 0)
      FROM rollup_finished(OLD, tz) f
     WHERE r.day = f.day AND r.service_id = f.service_id AND r.channel = f.channel AND r.agent_id IS NOT DISTINCT FROM f.agent_id
       AND r.direction = f.direction AND r.state = f.state AND r.classification_id IS NOT DISTINCT FROM f.classification_id;
    -- the maxima and the last end of the row it left, again from the conversations still in it
    UPDATE conversation_rollups_finished r
       SET handle_max_us = x.handle_max_us, agent_max_us = x.agent_max_us, last_finished_at = x.last_finished_at
      FROM rollup_finished(OLD, tz) f
     CROSS JOIN LATERAL (
       SELECT max(rollup_us(c.finished_at, c.first_assigned_at)) AS handle_max_us,
              max(rollup_us(c.finished_at, c.assigned_at)) FILTER (WHERE c.agent_id IS NOT NULL) AS agent_max_us,
              max(c.finished_at) AS last_finished_at
         FROM conversations c
        WHERE c.finished_at >= (f.day::timestamp AT TIME ZONE tz) AND c.finished_at < ((f.day + 1)::timestamp AT TIME ZONE tz)
          AND c.service_id = f.service_id AND c.channel = f.channel AND c.agent_id IS NOT DISTINCT FROM f.agent_id
          AND c.direction = f.direction AND c.state = f.state AND c.classification_id IS NOT DISTINCT FROM f.classification_id) x
     WHERE r.day = f.day AND r.service_id = f.service_id AND r.channel = f.channel AND r.agent_id IS NOT DISTINCT FROM f.agent_id
       AND r.direction = f.direction AND r.state = f.state AND r.classification_id IS NOT DISTINCT FROM f.classification_id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER conversations_rollups_insert AFTER INSERT ON conversations
  FOR EACH ROW EXECUTE FUNCTION conversation_rollups_apply();
CREATE TRIGGER conversations_rollups_delete AFTER DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION conversation_rollups_apply();
-- only when a column a milestone reads changed (most updates are messages: last_message_at…)
CREATE TRIGGER conversations_rollups_update AFTER UPDATE ON conversations
  FOR EACH ROW WHEN ((OLD.created_at, OLD.first_queued_at, OLD.queued_at, OLD.first_assigned_at, OLD.first_agent_message_at,
                      OLD.finished_at, OLD.state, OLD.service_id, OLD.channel, OLD.direction,
                      OLD.assigned_at, OLD.agent_id, OLD.classification_id)
      IS DISTINCT FROM (NEW.created_at, NEW.first_queued_at, NEW.queued_at, NEW.first_assigned_at, NEW.first_agent_message_at,
                        NEW.finished_at, NEW.state, NEW.service_id, NEW.channel, NEW.direction,
                        NEW.assigned_at, NEW.agent_id, NEW.classification_id))
  EXECUTE FUNCTION conversation_rollups_apply();

-- The rebuild: the rows of both tables (only the milestones' when `only_milestones`) of the days [d_from, d_to] (all when null), of one service (all when null),
-- recomputed from the conversations. Idempotent. The lock holds the trigger's writers (not the
-- readers) for the chunk, so a conversation written meanwhile is either in the recount or adds its
-- difference after it. No milestone precedes created_at, and none of an ended conversation follows
-- its end but a first agent message, so only the conversations that can have one in the days are read.
CREATE FUNCTION rebuild_conversation_rollups(d_from date, d_to date, svc uuid, only_milestones boolean DEFAULT false) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric := rollup_short_abandon();
  written integer;
BEGIN
  LOCK TABLE conversation_rollups IN EXCLUSIVE MODE;
  DELETE FROM conversation_rollups r
   WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to) AND (svc IS NULL OR r.service_id = svc);
  INSERT INTO conversation_rollups (day, k, service_id, channel, direction, state, wait_bin, n, n1, s1, n2, s2, in_target, short_n)
  SELECT m.day, m.k, m.service_id, m.channel, m.direction, m.state, m.wait_bin,
         sum(m.n), sum(m.n1), sum(m.s1), sum(m.n2), sum(m.s2), sum(m.in_target), sum(m.short_n)
    FROM conversations c
    JOIN services s ON s.id = c.service_id
   CROSS JOIN LATERAL rollup_milestones(c, tz, short_s, s.service_level_seconds) m
   WHERE (svc IS NULL OR c.service_id = svc)
     AND (d_to IS NULL OR c.created_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
     AND (d_from IS NULL OR c.finished_at IS NULL OR greatest(c.finished_at, c.first_agent_message_at) >= (d_from::timestamp AT TIME ZONE tz))
     AND (d_from IS NULL OR m.day >= d_from) AND (d_to IS NULL OR m.day <= d_to)
   GROUP BY 1, 2, 3, 4, 5, 6, 7;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF NOT only_milestones THEN
    LOCK TABLE conversation_rollups_finished IN EXCLUSIVE MODE;
    DELETE FROM conversation_rollups_finished r
     WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to) AND (svc IS NULL OR r.service_id = svc);
    INSERT INTO conversation_rollups_finished (day, service_id, channel, agent_id, direction, state, classification_id,
      n, handled, handle_us, handle_max_us, agent_handled, agent_us, agent_max_us, last_finished_at)
    SELECT f.day, f.service_id, f.channel, f.agent_id, f.direction, f.state, f.classification_id,
           sum(f.n), sum(f.handled), coalesce(sum(f.handle_us), 0), max(f.handle_us), sum(f.agent_handled), coalesce(sum(f.agent_us), 0),
           max(f.agent_us), max(f.finished_at)
      FROM conversations c
     CROSS JOIN LATERAL rollup_finished(c, tz) f
     WHERE (svc IS NULL OR c.service_id = svc)
       AND (d_from IS NULL OR c.finished_at >= (d_from::timestamp AT TIME ZONE tz))
       AND (d_to IS NULL OR c.finished_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
     GROUP BY 1, 2, 3, 4, 5, 6, 7;
  END IF;
  RETURN written;
END
$$;

-- A service's NS threshold changed: its rows again (the assigned ones depend on it).
CREATE FUNCTION services_rollups_threshold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rebuild_conversation_rollups(NULL, NULL, NEW.id, true);
  RETURN NULL;
END
$$;
CREATE TRIGGER services_rollups_threshold AFTER UPDATE ON services
  FOR EACH ROW WHEN (OLD.service_level_seconds IS DISTINCT FROM NEW.service_level_seconds)
  EXECUTE FUNCTION services_rollups_threshold();

-- The time zone or the short-abandon limit changed: the rows that depend on it again.
CREATE FUNCTION settings_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.value IS NOT DISTINCT FROM NEW.value THEN RETURN NULL; END IF;
  -- the short-abandon limit is only in the milestones; the time zone moves every day
  PERFORM rebuild_conversation_rollups(NULL, NULL, NULL, (CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END) = 'shortAbandonSeconds');
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_rollups_rebuild_ins_upd AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key IN ('timezone', 'shortAbandonSeconds'))
  EXECUTE FUNCTION settings_rollups_rebuild();
CREATE TRIGGER settings_rollups_rebuild_del AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key IN ('timezone', 'shortAbandonSeconds'))
  EXECUTE FUNCTION settings_rollups_rebuild();

SELECT rebuild_conversation_rollups(NULL, NULL, NULL);
