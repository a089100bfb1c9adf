-- The conversation rollups' UPDATE trigger (0031) fired once per row: a statement that changes many
-- conversations (the router's guarded assignment of up to 8 at a time, engine/conversations/assign.ts)
-- paid the settings, the services and an UPSERT per row, a third of the statement's time. It is now
-- one trigger per statement over its transition tables: the same contributions (the new row's minus
-- the old row's, of the rows whose milestone columns changed), summed per cell, written by one UPSERT;
-- the ended conversations' daily rows the same way (added, taken away, maxima recomputed from the
-- conversations of every row a conversation left). INSERT and DELETE keep their row triggers.

CREATE FUNCTION conversation_rollups_apply_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric := rollup_short_abandon();
  finished boolean;
BEGIN
  -- (the condition of 0031's row trigger: only a row whose milestone columns changed contributes)
  INSERT INTO conversation_rollups AS r (day, k, service_id, channel, direction, state, wait_bin, n, n1, s1, n2, s2, in_target, short_n)
  SELECT d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin,
         sum(d.n * d.sign), sum(d.n1 * d.sign), sum(d.s1 * d.sign), sum(d.n2 * d.sign), sum(d.s2 * d.sign),
         sum(d.in_target * d.sign), sum(d.short_n * d.sign)
    FROM (SELECT m.*, 1 AS sign
            FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN services s ON s.id = n.service_id
           CROSS JOIN LATERAL rollup_milestones(n, tz, short_s, s.service_level_seconds) m
           WHERE (o.created_at, o.first_queued_at, o.queued_at, o.first_assigned_at, o.first_agent_message_at, o.finished_at,
                        o.state, o.service_id, o.channel, o.direction, o.assigned_at, o.agent_id, o.classification_id)
                 IS DISTINCT FROM (n.created_at, n.first_queued_at, n.queued_at, n.first_assigned_at, n.first_agent_message_at, n.finished_at,
                        n.state, n.service_id, n.channel, n.direction, n.assigned_at, n.agent_id, n.classification_id)
          UNION ALL
          SELECT m.*, -1 AS sign
            FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN services s ON s.id = o.service_id
           CROSS JOIN LATERAL rollup_milestones(o, tz, short_s, s.service_level_seconds) m
           WHERE (o.created_at, o.first_queued_at, o.queued_at, o.first_assigned_at, o.first_agent_message_at, o.finished_at,
                        o.state, o.service_id, o.channel, o.direction, o.assigned_at, o.agent_id, o.classification_id)
                 IS DISTINCT FROM (n.created_at, n.first_queued_at, n.queued_at, n.first_assigned_at, n.first_agent_message_at, n.finished_at,
                        n.state, n.service_id, n.channel, n.direction, n.assigned_at, n.agent_id, n.classification_id)) d
   GROUP BY d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin
  HAVING sum(d.n * d.sign) <> 0 OR sum(d.n1 * d.sign) <> 0 OR sum(d.s1 * d.sign) <> 0 OR sum(d.n2 * d.sign) <> 0
      OR sum(d.s2 * d.sign) <> 0 OR sum(d.in_target * d.sign) <> 0 OR sum(d.short_n * d.sign) <> 0
  ON CONFLICT (day, k, service_id, channel, direction, state, wait_bin) DO UPDATE SET
    n = r.n + EXCLUDED.n, n1 = r.n1 + EXCLUDED.n1, s1 = r.s1 + EXCLUDED.s1, n2 = r.n2 + EXCLUDED.n2,
    s2 = r.s2 + EXCLUDED.s2, in_target = r.in_target + EXCLUDED.in_target, short_n = r.short_n + EXCLUDED.short_n;

  -- Indicadores' rows concern only ended conversations (most statements, the router's among them, have none)
  SELECT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE (o.finished_at IS NOT NULL OR n.finished_at IS NOT NULL)
                    AND (o.finished_at, o.state, o.service_id, o.channel, o.direction, o.first_assigned_at, o.assigned_at, o.agent_id, o.classification_id)
                        IS DISTINCT FROM (n.finished_at, n.state, n.service_id, n.channel, n.direction, n.first_assigned_at, n.assigned_at, n.agent_id, n.classification_id))
    INTO finished;
  IF NOT finished THEN RETURN NULL; END IF;

  -- the new contributions, per row of the table (maxima with them)
  INSERT INTO conversation_rollups_finished AS r (day, service_id, channel, agent_id, direction, state, classification_id,
    n, handled, handle_us, handle_max_us, agent_handled, agent_us, agent_max_us, last_finished_at)
  SELECT f.day, f.service_id, f.channel, f.agent_id, f.direction, f.state, f.classification_id,
         count(*), sum(f.handled), coalesce(sum(f.handle_us), 0), max(f.handle_us), sum(f.agent_handled), coalesce(sum(f.agent_us), 0),
         max(f.agent_us), max(f.finished_at)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   CROSS JOIN LATERAL rollup_finished(n, tz) f
   WHERE (o.finished_at, o.state, o.service_id, o.channel, o.direction, o.first_assigned_at, o.assigned_at, o.agent_id, o.classification_id)
         IS DISTINCT FROM (n.finished_at, n.state, n.service_id, n.channel, n.direction, n.first_assigned_at, n.assigned_at, n.agent_id, n.classification_id)
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ON CONSTRAINT conversation_rollups_finished_key DO UPDATE SET
    n = r.n + EXCLUDED.n, handled = r.handled + EXCLUDED.handled, handle_us = r.handle_us + EXCLUDED.handle_us,
    handle_max_us = greatest(r.handle_max_us, EXCLUDED.handle_max_us), agent_handled = r.agent_handled + EXCLUDED.agent_handled,
    agent_us = r.agent_us + EXCLUDED.agent_us, agent_max_us = greatest(r.agent_max_us, EXCLUDED.agent_max_us),
    last_finished_at = greatest(r.last_finished_at, EXCLUDED.last_finished_at);

  -- the old ones taken away, then the maxima and the last end of each row they left, again from the
  -- conversations still in it (the table as the statement left it)
  WITH f AS (
    SELECT f.day, f.service_id, f.channel, f.agent_id, f.direction, f.state, f.classification_id,
           count(*) AS n, sum(f.handled) AS handled, coalesce(sum(f.handle_us), 0) AS handle_us,
           sum(f.agent_handled) AS agent_handled, coalesce(sum(f.agent_us), 0) AS agent_us
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     CROSS JOIN LATERAL rollup_finished(o, tz) f
     WHERE (o.finished_at, o.state, o.service_id, o.channel, o.direction, o.first_assigned_at, o.assigned_at, o.agent_id, o.classification_id)
           IS DISTINCT FROM (n.finished_at, n.state, n.service_id, n.channel, n.direction, n.first_assigned_at, n.assigned_at, n.agent_id, n.classification_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7)
  UPDATE conversation_rollups_finished r
     SET n = r.n - f.n, handled = r.handled - f.handled, handle_us = r.handle_us - f.handle_us,
         agent_handled = r.agent_handled - f.agent_handled, agent_us = r.agent_us - f.agent_us,
         handle_max_us = x.handle_max_us, agent_max_us = x.agent_max_us, last_finished_at = x.last_finished_at
    FROM f
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
  RETURN NULL;
END
$$;

DROP TRIGGER conversations_rollups_update ON conversations;
CREATE TRIGGER conversations_rollups_update AFTER UPDATE ON conversations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION conversation_rollups_apply_update();
