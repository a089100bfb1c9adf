-- Relatórios → Atendimentos por intervalo from rollups (issue 16, "Fast on millions"): per local
-- 15-minute slot of the contact center's time zone × service × channel, the figures of
-- engine/reports/intervals.ts, kept by 0031's trigger (an UPSERT after its day rows') as the
-- difference between the row's old and new contributions, and rebuilt with 0031's rows.
--
-- Why 15 minutes now, when 0031 chose a day: 0031 weighed 15 minutes × agent × every dimension of its
-- table (direction, state, wait bucket), whose rows are as many as the milestones. This table has only
-- the report's own dimensions: on the looking-back seed a month at 15 minutes × service × channel is
-- ~37,000 cells against the ~740,000 milestones the raw report reads. 15 minutes divides every
-- interval the report offers (15 and 30 minutes, hour, day, week, month), and the slot is local time,
-- so a zone with a :30 or :45 offset still bins alike. The agent filter (the conversation's last
-- agent) is not a dimension: with it the report reads the raw rows (docs/REPORTS.md).
--
-- Each milestone counts in the slot it happened in, with the raw report's definitions:
--   first_queued_at         offered
--   first_assigned_at       answered; wait = first_assigned − coalesce(first_queued, first_assigned),
--                           in_target = wait ≤ the service's service_level_seconds; the wait is a candidate
--                           for the longest
--   finished_at             if an agent handled it (first_assigned_at): handled, its time since the first
--                           assignment; if abandoned (abandoned / customer_gave_up, queued, never assigned):
--                           abandoned, short when its wait (finished − coalesce(queued, first_queued)) ≤
--                           shortAbandonSeconds, and that wait a candidate for the longest
--   first_agent_message_at  if assigned: responded, its time since the first assignment
-- n counts the milestones in the cell (a cell with n = 0 is one the raw report would not show).
-- Sums are whole microseconds (bigint), so adding and removing is exact. The longest wait is a
-- maximum, which cannot be taken back: when a contribution leaves a cell, the trigger reads that
-- slot's conversations of the service and channel again (a few, through 0034's and 0024's indexes).
-- Its thresholds are 0031's: a service's service_level_seconds, Parâmetros → shortAbandonSeconds and
-- the time zone; a change recomputes the rows through rebuild_conversation_rollups, as for 0031's.

CREATE TABLE conversation_rollups_15m (
  slot        timestamp NOT NULL,
  service_id  uuid      NOT NULL,
  channel     text      NOT NULL,
  n           integer   NOT NULL DEFAULT 0,
  offered     integer   NOT NULL DEFAULT 0,
  answered    integer   NOT NULL DEFAULT 0,
  in_target   integer   NOT NULL DEFAULT 0,
  wait_us     bigint    NOT NULL DEFAULT 0,
  abandoned   integer   NOT NULL DEFAULT 0,
  short_n     integer   NOT NULL DEFAULT 0,
  handled     integer   NOT NULL DEFAULT 0,
  handle_us   bigint    NOT NULL DEFAULT 0,
  responded   integer   NOT NULL DEFAULT 0,
  response_us bigint    NOT NULL DEFAULT 0,
  longest_us  bigint,
  PRIMARY KEY (slot, service_id, channel)
);

-- One conversation's contributions to the 15-minute cells (one row per milestone the report counts),
-- given the settings and its service's NS threshold. Shared by the trigger and the rebuild.
CREATE FUNCTION rollup_intervals(c conversations, tz text, short_s numeric, sl integer)
RETURNS TABLE (slot timestamp, service_id uuid, channel text, n integer, offered integer, answered integer, in_target integer,
               wait_us bigint, abandoned integer, short_n integer, handled integer, handle_us bigint, responded integer,
               response_us bigint, longest_us bigint)
LANGUAGE sql STABLE AS $$
  SELECT date_bin('15 minutes', m.at AT TIME ZONE tz, timestamp '2000-01-01'), c.service_id, c.channel, 1,
         m.offered, m.answered, m.in_target, m.wait_us, m.abandoned, m.short_n, m.handled, m.handle_us, m.responded, m.response_us, m.longest_us
    FROM (SELECT c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL AS ab,
                 rollup_us(c.first_assigned_at, coalesce(c.first_queued_at, c.first_assigned_at)) AS wait_us,
                 rollup_us(c.finished_at, coalesce(c.queued_at, c.first_queued_at)) AS aw) w
   CROSS JOIN LATERAL (VALUES
     (c.first_queued_at, 1, 0, 0, 0::bigint, 0, 0, 0, 0::bigint, 0, 0::bigint, NULL::bigint),
     (c.first_assigned_at, 0, 1, (w.wait_us <= sl::bigint * 1000000)::int, w.wait_us, 0, 0, 0, 0::bigint, 0, 0::bigint, w.wait_us),
     (CASE WHEN c.first_assigned_at IS NOT NULL OR w.ab THEN c.finished_at END, 0, 0, 0, 0::bigint,
      w.ab::int, (w.ab AND w.aw <= short_s * 1000000)::int,
      (c.first_assigned_at IS NOT NULL)::int, coalesce(rollup_us(c.finished_at, c.first_assigned_at), 0), 0, 0::bigint,
      CASE WHEN w.ab THEN w.aw END),
     (CASE WHEN c.first_assigned_at IS NOT NULL THEN c.first_agent_message_at END, 0, 0, 0, 0::bigint, 0, 0, 0, 0::bigint,
      1, rollup_us(c.first_agent_message_at, c.first_assigned_at), NULL::bigint)
   ) AS m(at, offered, answered, in_target, wait_us, abandoned, short_n, handled, handle_us, responded, response_us, longest_us)
   WHERE m.at IS NOT NULL
$$;

-- The longest wait of one cell, from its conversations: the waits answered in the slot and the
-- abandons that ended in it. The instant range is widened by two hours and the slot tested in local
-- time, so a slot that a clock change puts twice on the line (summer time ending) is read whole.
CREATE FUNCTION rollup_interval_longest(s timestamp, svc uuid, ch text, tz text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT max(v) FROM (
    SELECT rollup_us(c.first_assigned_at, coalesce(c.first_queued_at, c.first_assigned_at)) AS v
      FROM conversations c
     WHERE c.first_assigned_at >= (s AT TIME ZONE tz) - interval '2 hours' AND c.first_assigned_at < ((s + interval '15 minutes') AT TIME ZONE tz) + interval '2 hours'
       AND date_bin('15 minutes', c.first_assigned_at AT TIME ZONE tz, timestamp '2000-01-01') = s
       AND c.service_id = svc AND c.channel = ch
    UNION ALL
    SELECT rollup_us(c.finished_at, coalesce(c.queued_at, c.first_queued_at))
      FROM conversations c
     WHERE c.finished_at >= (s AT TIME ZONE tz) - interval '2 hours' AND c.finished_at < ((s + interval '15 minutes') AT TIME ZONE tz) + interval '2 hours'
       AND date_bin('15 minutes', c.finished_at AT TIME ZONE tz, timestamp '2000-01-01') = s
       AND c.service_id = svc AND c.channel = ch
       AND c.state IN ('abandoned', 'customer_gave_up') AND c.first_queued_at IS NOT NULL AND c.first_assigned_at IS NULL) x
$$;

-- 0031's trigger with the 15-minute level: after 0031's UPSERT of the day rows, a second UPSERT adds
-- the 15-minute difference, skipped when the write changed no column the cells read (a conversation
-- created in the bot, a reassignment, a classification: 0031's trigger fires for those); then, only
-- when an old contribution with a wait left its cell (a deletion, a state taken back, a move), that
-- cell's longest wait is read again. 0031's Indicadores part is unchanged. (One statement for both
-- UPSERTs, a data-modifying WITH, cost the same as two in bench/rollups-write, and cannot be skipped.)
CREATE OR REPLACE FUNCTION conversation_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric;
  sl_new integer;
  sl_old integer;
BEGIN
  -- Two reads an assignment (which fires this on every conversation it takes) does not need (measured
  -- on the routing bench, issue 13): the short-abandon limit counts only for a row with an end, where
  -- both rollup_milestones and rollup_intervals make the abandon's row; and the service's threshold
  -- once when the service did not change.
  IF (TG_OP <> 'DELETE' AND NEW.finished_at IS NOT NULL) OR (TG_OP <> 'INSERT' AND OLD.finished_at IS NOT NULL) THEN
    short_s := rollup_short_abandon();
  END IF;
  IF TG_OP <> 'DELETE' THEN SELECT service_level_seconds INTO sl_new FROM services WHERE id = NEW.service_id; END IF;
  IF TG_OP = 'UPDATE' AND OLD.service_id = NEW.service_id THEN sl_old := sl_new;
  ELSIF TG_OP <> 'INSERT' THEN SELECT service_level_seconds INTO sl_old FROM services WHERE id = OLD.service_id; END IF;
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

  -- the 15-minute cells, unless the write changed nothing they read (a row never queued nor assigned
  -- has no milestone there)
  IF NOT ((TG_OP = 'INSERT' AND NEW.first_queued_at IS NULL AND NEW.first_assigned_at IS NULL)
          OR (TG_OP = 'DELETE' AND OLD.first_queued_at IS NULL AND OLD.first_assigned_at IS NULL)
          OR (TG_OP = 'UPDATE'
              AND (OLD.first_queued_at, OLD.queued_at, OLD.first_assigned_at, OLD.first_agent_message_at, OLD.finished_at, OLD.state, OLD.service_id, OLD.channel)
                  IS NOT DISTINCT FROM (NEW.first_queued_at, NEW.queued_at, NEW.first_assigned_at, NEW.first_agent_message_at, NEW.finished_at, NEW.state, NEW.service_id, NEW.channel))) THEN
    INSERT INTO conversation_rollups_15m AS r (slot, service_id, channel, n, offered, answered, in_target, wait_us, abandoned, short_n,
                                               handled, handle_us, responded, response_us, longest_us)
    SELECT d.slot, d.service_id, d.channel, sum(d.n * d.sign), sum(d.offered * d.sign), sum(d.answered * d.sign), sum(d.in_target * d.sign),
           sum(d.wait_us * d.sign), sum(d.abandoned * d.sign), sum(d.short_n * d.sign), sum(d.handled * d.sign), sum(d.handle_us * d.sign),
           sum(d.responded * d.sign), sum(d.response_us * d.sign), max(d.longest_us) FILTER (WHERE d.sign = 1)
      FROM (SELECT i.*, 1 AS sign FROM rollup_intervals(NEW, tz, short_s, sl_new) i WHERE TG_OP <> 'DELETE'
            UNION ALL
            SELECT i.*, -1 AS sign FROM rollup_intervals(OLD, tz, short_s, sl_old) i WHERE TG_OP <> 'INSERT') d
     GROUP BY d.slot, d.service_id, d.channel
    -- a cell the old and the new row give alike (a reassignment, a reclassification) is left alone
    HAVING sum(d.n * d.sign) <> 0 OR sum(d.offered * d.sign) <> 0 OR sum(d.answered * d.sign) <> 0 OR sum(d.in_target * d.sign) <> 0
        OR sum(d.wait_us * d.sign) <> 0 OR sum(d.abandoned * d.sign) <> 0 OR sum(d.short_n * d.sign) <> 0 OR sum(d.handled * d.sign) <> 0
        OR sum(d.handle_us * d.sign) <> 0 OR sum(d.responded * d.sign) <> 0 OR sum(d.response_us * d.sign) <> 0
        OR max(d.longest_us) FILTER (WHERE d.sign = 1) IS DISTINCT FROM max(d.longest_us) FILTER (WHERE d.sign = -1)
    ON CONFLICT (slot, service_id, channel) DO UPDATE SET
      n = r.n + EXCLUDED.n, offered = r.offered + EXCLUDED.offered, answered = r.answered + EXCLUDED.answered,
      in_target = r.in_target + EXCLUDED.in_target, wait_us = r.wait_us + EXCLUDED.wait_us, abandoned = r.abandoned + EXCLUDED.abandoned,
      short_n = r.short_n + EXCLUDED.short_n, handled = r.handled + EXCLUDED.handled, handle_us = r.handle_us + EXCLUDED.handle_us,
      responded = r.responded + EXCLUDED.responded, response_us = r.response_us + EXCLUDED.response_us,
      longest_us = greatest(r.longest_us, EXCLUDED.longest_us);
  END IF;

  -- a wait that left its cell (not given again, alike, by the new row): the cell's longest, again from
  -- its conversations when that wait may have been it. After the statement, the table holds every row's
  -- new version, so the reading is the cell's final one whatever order the rows' triggers run in. The
  -- test before it skips the statement when no column of the old row's waits changed (a first reply, an
  -- end after an assignment: most of a conversation's writes).
  IF TG_OP = 'DELETE'
     OR (TG_OP = 'UPDATE' AND OLD.first_assigned_at IS NOT NULL
         AND (OLD.first_assigned_at, OLD.first_queued_at, OLD.service_id, OLD.channel)
             IS DISTINCT FROM (NEW.first_assigned_at, NEW.first_queued_at, NEW.service_id, NEW.channel))
     OR (TG_OP = 'UPDATE' AND OLD.state IN ('abandoned', 'customer_gave_up')
         AND (OLD.state, OLD.finished_at, OLD.queued_at, OLD.first_queued_at, OLD.first_assigned_at, OLD.service_id, OLD.channel)
             IS DISTINCT FROM (NEW.state, NEW.finished_at, NEW.queued_at, NEW.first_queued_at, NEW.first_assigned_at, NEW.service_id, NEW.channel)) THEN
    UPDATE conversation_rollups_15m r
       SET longest_us = rollup_interval_longest(g.slot, g.service_id, g.channel, tz)
      FROM (SELECT o.slot, o.service_id, o.channel, max(o.longest_us) AS gone
              FROM rollup_intervals(OLD, tz, short_s, sl_old) o
             WHERE o.longest_us IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM rollup_intervals(NEW, tz, short_s, sl_new) x
                                WHERE TG_OP <> 'DELETE' AND x.slot = o.slot AND x.service_id = o.service_id
                                  AND x.channel = o.channel AND x.longest_us = o.longest_us)
             GROUP BY o.slot, o.service_id, o.channel) g
     WHERE r.slot = g.slot AND r.service_id = g.service_id AND r.channel = g.channel AND r.longest_us <= g.gone;
  END IF;

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

-- The 15-minute cells of the local days [d_from, d_to] (all when null), of one service (all when
-- null), recomputed from the conversations, with the same choice of conversations as 0031's rebuild.
CREATE FUNCTION rebuild_interval_rollups(d_from date, d_to date, svc uuid, tz text, short_s numeric) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM conversation_rollups_15m r
   WHERE (d_from IS NULL OR r.slot >= d_from::timestamp) AND (d_to IS NULL OR r.slot < (d_to + 1)::timestamp)
     AND (svc IS NULL OR r.service_id = svc);
  INSERT INTO conversation_rollups_15m (slot, service_id, channel, n, offered, answered, in_target, wait_us, abandoned, short_n,
                                        handled, handle_us, responded, response_us, longest_us)
  SELECT i.slot, i.service_id, i.channel, sum(i.n), sum(i.offered), sum(i.answered), sum(i.in_target), sum(i.wait_us), sum(i.abandoned),
         sum(i.short_n), sum(i.handled), sum(i.handle_us), sum(i.responded), sum(i.response_us), max(i.longest_us)
    FROM conversations c
    JOIN services s ON s.id = c.service_id
   CROSS JOIN LATERAL rollup_intervals(c, tz, short_s, s.service_level_seconds) i
   WHERE (svc IS NULL OR c.service_id = svc)
     AND (d_to IS NULL OR c.created_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
     AND (d_from IS NULL OR c.finished_at IS NULL OR greatest(c.finished_at, c.first_agent_message_at) >= (d_from::timestamp AT TIME ZONE tz))
     AND (d_from IS NULL OR i.slot >= d_from::timestamp) AND (d_to IS NULL OR i.slot < (d_to + 1)::timestamp)
   GROUP BY 1, 2, 3
   -- written in slot order, so a month's cells lie together on disk (in hash order, a month's 73,000
   -- cells of the 3 M seed were spread over every page of the table's 13 months)
   ORDER BY 1, 2, 3;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

-- 0031's rebuild with the 15-minute level: recomputed with the milestones' rows, so whatever rebuilds
-- those (`npm run rollups:rebuild`, a service's NS threshold, the short-abandon limit, the time zone:
-- 0031's triggers) rebuilds these too. Both tables are locked in one statement, in the order the
-- trigger writes them, so a writer and a rebuild cannot wait on each other.
CREATE OR REPLACE FUNCTION rebuild_conversation_rollups(d_from date, d_to date, svc uuid, only_milestones boolean DEFAULT false) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric := rollup_short_abandon();
  written integer;
BEGIN
  LOCK TABLE conversation_rollups, conversation_rollups_15m IN EXCLUSIVE MODE;
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
  PERFORM rebuild_interval_rollups(d_from, d_to, svc, tz, short_s);
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

SELECT rebuild_interval_rollups(NULL, NULL, NULL, rollup_time_zone(), rollup_short_abandon());
ANALYZE conversation_rollups_15m;
