-- The conversation rollups' trigger (0031) ran five statements per row it fired for: the time zone,
-- the short-abandon limit, the new and the old service's NS threshold, then the UPSERT of the
-- difference. The router's guarded assignment of 8 conversations in one UPDATE
-- (engine/conversations/assign.ts) paid that eight times, a third of the statement's time. Now the
-- settings and thresholds are read by the UPSERT itself (one statement per row), and the ended
-- conversations' part reads the time zone only when it runs. Same rows, same triggers, same WHEN.
-- (A trigger per statement over transition tables was tried: it halves the 8-row case but fires on
-- every UPDATE of a conversation, a message's too, which it made ~1.3–1.9 times slower.)

CREATE OR REPLACE FUNCTION conversation_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  INSERT INTO conversation_rollups AS r (day, k, service_id, channel, direction, state, wait_bin, n, n1, s1, n2, s2, in_target, short_n)
  SELECT d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin,
         sum(d.n * d.sign), sum(d.n1 * d.sign), sum(d.s1 * d.sign), sum(d.n2 * d.sign), sum(d.s2 * d.sign),
         sum(d.in_target * d.sign), sum(d.short_n * d.sign)
    FROM (SELECT rollup_time_zone() AS tz, rollup_short_abandon() AS short_s) p
   CROSS JOIN LATERAL (
          SELECT m.*, 1 AS sign
            FROM rollup_milestones(NEW, p.tz, p.short_s, (SELECT service_level_seconds FROM services WHERE id = NEW.service_id)) m
           WHERE TG_OP <> 'DELETE'
          UNION ALL
          SELECT m.*, -1 AS sign
            FROM rollup_milestones(OLD, p.tz, p.short_s, (SELECT service_level_seconds FROM services WHERE id = OLD.service_id)) m
           WHERE TG_OP <> 'INSERT') d
   GROUP BY d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin
  HAVING sum(d.n * d.sign) <> 0 OR sum(d.n1 * d.sign) <> 0 OR sum(d.s1 * d.sign) <> 0 OR sum(d.n2 * d.sign) <> 0
      OR sum(d.s2 * d.sign) <> 0 OR sum(d.in_target * d.sign) <> 0 OR sum(d.short_n * d.sign) <> 0
  ON CONFLICT (day, k, service_id, channel, direction, state, wait_bin) DO UPDATE SET
    n = r.n + EXCLUDED.n, n1 = r.n1 + EXCLUDED.n1, s1 = r.s1 + EXCLUDED.s1, n2 = r.n2 + EXCLUDED.n2,
    s2 = r.s2 + EXCLUDED.s2, in_target = r.in_target + EXCLUDED.in_target, short_n = r.short_n + EXCLUDED.short_n;

  -- Indicadores' row: the new contribution added (with its maxima), the old one taken away
  IF TG_OP <> 'DELETE' AND NEW.finished_at IS NOT NULL THEN
    tz := rollup_time_zone();
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
    tz := coalesce(tz, rollup_time_zone());
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
