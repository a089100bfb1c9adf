-- The reports' rollups out of the writers' transactions (issue 13). Until now the triggers of 0031/0036
-- (conversations: Gráficos, Abandono, Indicadores, Atendimentos por intervalo) and 0033 (agents' time
-- and session marks: Produtividade, Pausas, Sessões) computed a written row's contributions in the
-- transaction that wrote it: half of every routing assignment's time (measured, docs/BENCHMARKS.md).
-- Now those triggers only note the row's before and after in a journal, in that transaction (so
-- nothing accepted is ever missing from it); the contributions are computed later by a fold, which
-- runs (engine/rollups/fold.ts):
--   - in the background on every node, every second (RollupFolder), in batches;
--   - before every read of these rollups (a report, an export, a chart, Indicadores): the figures
--     are exact as of the read, as before — only the work moved;
--   - before every rebuild (the wrappers below), which must not count an entry twice.
-- A fold applies the entries in the order they were written (id): the sums are exact in any order,
-- and the maxima a leaving row recomputes from the table come out right because every entry's `new`
-- row is the next entry's `old` (a conversation's writes wait for each other's commit, so their ids
-- follow their order). One fold at a time (an advisory lock), so two nodes never apply an entry twice.
-- The journal's columns are of the tables' row types: a column added to or dropped from those tables
-- later is fine; changing a column's type needs the journal folded and its column dropped first
-- (PostgreSQL refuses otherwise). Migration 0038–0040's rollups (bot, wrap-up, templates) stay in the
-- writers' transactions: the routing path does not fire them (their WHEN clauses), or only a probe.

CREATE TABLE conversation_rollup_journal (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  op       text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row  conversations,
  new_row  conversations
);
CREATE TABLE agent_state_rollup_journal (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  op       text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row  agent_state_history,
  new_row  agent_state_history
);

-- The triggers keep their names, order and WHEN clauses (0031, 0033): their functions now note the row.
CREATE OR REPLACE FUNCTION conversation_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_rollup_journal (op, old_row, new_row) VALUES (TG_OP, OLD, NEW);
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION agent_state_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agent_state_rollup_journal (op, old_row, new_row) VALUES (TG_OP, OLD, NEW);
  RETURN NULL;
END
$$;

-- One conversation entry's contributions: the difference between its old and new rows, as 0036's
-- trigger computed it (its body, with op/old_c/new_c for TG_OP/OLD/NEW).
CREATE FUNCTION conversation_rollups_fold_row(op text, old_c conversations, new_c conversations) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  short_s numeric;
  sl_new integer;
  sl_old integer;
BEGIN
  -- Two reads the fold of an assignment does not need: the short-abandon limit counts only for a row
  -- with an end, where both rollup_milestones and rollup_intervals make the abandon's row; and the
  -- service's threshold once when the service did not change.
  IF (op <> 'DELETE' AND new_c.finished_at IS NOT NULL) OR (op <> 'INSERT' AND old_c.finished_at IS NOT NULL) THEN
    short_s := rollup_short_abandon();
  END IF;
  IF op <> 'DELETE' THEN SELECT service_level_seconds INTO sl_new FROM services WHERE id = new_c.service_id; END IF;
  IF op = 'UPDATE' AND old_c.service_id = new_c.service_id THEN sl_old := sl_new;
  ELSIF op <> 'INSERT' THEN SELECT service_level_seconds INTO sl_old FROM services WHERE id = old_c.service_id; END IF;
  INSERT INTO conversation_rollups AS r (day, k, service_id, channel, direction, state, wait_bin, n, n1, s1, n2, s2, in_target, short_n)
  SELECT d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin,
         sum(d.n * d.sign), sum(d.n1 * d.sign), sum(d.s1 * d.sign), sum(d.n2 * d.sign), sum(d.s2 * d.sign),
         sum(d.in_target * d.sign), sum(d.short_n * d.sign)
    FROM (SELECT m.*, 1 AS sign FROM rollup_milestones(new_c, tz, short_s, sl_new) m WHERE op <> 'DELETE'
          UNION ALL
          SELECT m.*, -1 AS sign FROM rollup_milestones(old_c, tz, short_s, sl_old) m WHERE op <> 'INSERT') d
   GROUP BY d.day, d.k, d.service_id, d.channel, d.direction, d.state, d.wait_bin
  HAVING sum(d.n * d.sign) <> 0 OR sum(d.n1 * d.sign) <> 0 OR sum(d.s1 * d.sign) <> 0 OR sum(d.n2 * d.sign) <> 0
      OR sum(d.s2 * d.sign) <> 0 OR sum(d.in_target * d.sign) <> 0 OR sum(d.short_n * d.sign) <> 0
  ON CONFLICT (day, k, service_id, channel, direction, state, wait_bin) DO UPDATE SET
    n = r.n + EXCLUDED.n, n1 = r.n1 + EXCLUDED.n1, s1 = r.s1 + EXCLUDED.s1, n2 = r.n2 + EXCLUDED.n2,
    s2 = r.s2 + EXCLUDED.s2, in_target = r.in_target + EXCLUDED.in_target, short_n = r.short_n + EXCLUDED.short_n;

  -- the 15-minute cells, unless the write changed nothing they read (a row never queued nor assigned
  -- has no milestone there)
  IF NOT ((op = 'INSERT' AND new_c.first_queued_at IS NULL AND new_c.first_assigned_at IS NULL)
          OR (op = 'DELETE' AND old_c.first_queued_at IS NULL AND old_c.first_assigned_at IS NULL)
          OR (op = 'UPDATE'
              AND (old_c.first_queued_at, old_c.queued_at, old_c.first_assigned_at, old_c.first_agent_message_at, old_c.finished_at, old_c.state, old_c.service_id, old_c.channel)
                  IS NOT DISTINCT FROM (new_c.first_queued_at, new_c.queued_at, new_c.first_assigned_at, new_c.first_agent_message_at, new_c.finished_at, new_c.state, new_c.service_id, new_c.channel))) THEN
    INSERT INTO conversation_rollups_15m AS r (slot, service_id, channel, n, offered, answered, in_target, wait_us, abandoned, short_n,
                                               handled, handle_us, responded, response_us, longest_us)
    SELECT d.slot, d.service_id, d.channel, sum(d.n * d.sign), sum(d.offered * d.sign), sum(d.answered * d.sign), sum(d.in_target * d.sign),
           sum(d.wait_us * d.sign), sum(d.abandoned * d.sign), sum(d.short_n * d.sign), sum(d.handled * d.sign), sum(d.handle_us * d.sign),
           sum(d.responded * d.sign), sum(d.response_us * d.sign), max(d.longest_us) FILTER (WHERE d.sign = 1)
      FROM (SELECT i.*, 1 AS sign FROM rollup_intervals(new_c, tz, short_s, sl_new) i WHERE op <> 'DELETE'
            UNION ALL
            SELECT i.*, -1 AS sign FROM rollup_intervals(old_c, tz, short_s, sl_old) i WHERE op <> 'INSERT') d
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
  -- its conversations when that wait may have been it. The table holds each conversation's latest
  -- version (newer than this entry's when later entries follow: they fold after it, in order, and
  -- take back what this one added). The test before it skips the statement when no column of the old
  -- row's waits changed (a first reply, an end after an assignment: most of a conversation's writes).
  IF op = 'DELETE'
     OR (op = 'UPDATE' AND old_c.first_assigned_at IS NOT NULL
         AND (old_c.first_assigned_at, old_c.first_queued_at, old_c.service_id, old_c.channel)
             IS DISTINCT FROM (new_c.first_assigned_at, new_c.first_queued_at, new_c.service_id, new_c.channel))
     OR (op = 'UPDATE' AND old_c.state IN ('abandoned', 'customer_gave_up')
         AND (old_c.state, old_c.finished_at, old_c.queued_at, old_c.first_queued_at, old_c.first_assigned_at, old_c.service_id, old_c.channel)
             IS DISTINCT FROM (new_c.state, new_c.finished_at, new_c.queued_at, new_c.first_queued_at, new_c.first_assigned_at, new_c.service_id, new_c.channel)) THEN
    UPDATE conversation_rollups_15m r
       SET longest_us = rollup_interval_longest(g.slot, g.service_id, g.channel, tz)
      FROM (SELECT o.slot, o.service_id, o.channel, max(o.longest_us) AS gone
              FROM rollup_intervals(old_c, tz, short_s, sl_old) o
             WHERE o.longest_us IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM rollup_intervals(new_c, tz, short_s, sl_new) x
                                WHERE op <> 'DELETE' AND x.slot = o.slot AND x.service_id = o.service_id
                                  AND x.channel = o.channel AND x.longest_us = o.longest_us)
             GROUP BY o.slot, o.service_id, o.channel) g
     WHERE r.slot = g.slot AND r.service_id = g.service_id AND r.channel = g.channel AND r.longest_us <= g.gone;
  END IF;

  -- Indicadores' row: the new contribution added (with its maxima), the old one taken away
  IF op <> 'DELETE' AND new_c.finished_at IS NOT NULL THEN
    INSERT INTO conversation_rollups_finished AS r (day, service_id, channel, agent_id, direction, state, classification_id,
      n, handled, handle_us, handle_max_us, agent_handled, agent_us, agent_max_us, last_finished_at)
    SELECT f.day, f.service_id, f.channel, f.agent_id, f.direction, f.state, f.classification_id,
           1, f.handled, coalesce(f.handle_us, 0), f.handle_us, f.agent_handled, coalesce(f.agent_us, 0), f.agent_us, f.finished_at
      FROM rollup_finished(new_c, tz) f
    ON CONFLICT ON CONSTRAINT conversation_rollups_finished_key DO UPDATE SET
      n = r.n + 1, handled = r.handled + EXCLUDED.handled, handle_us = r.handle_us + EXCLUDED.handle_us,
      handle_max_us = greatest(r.handle_max_us, EXCLUDED.handle_max_us), agent_handled = r.agent_handled + EXCLUDED.agent_handled,
      agent_us = r.agent_us + EXCLUDED.agent_us, agent_max_us = greatest(r.agent_max_us, EXCLUDED.agent_max_us),
      last_finished_at = greatest(r.last_finished_at, EXCLUDED.last_finished_at);
  END IF;
  IF op <> 'INSERT' AND old_c.finished_at IS NOT NULL THEN
    UPDATE conversation_rollups_finished r
       SET n = r.n - 1, handled = r.handled - f.handled, handle_us = r.handle_us - coalesce(f.handle_us, 0),
           agent_handled = r.agent_handled - f.agent_handled, agent_us = r.agent_us - coalesce(f.agent_us, 0)
      FROM rollup_finished(old_c, tz) f
     WHERE r.day = f.day AND r.service_id = f.service_id AND r.channel = f.channel AND r.agent_id IS NOT DISTINCT FROM f.agent_id
       AND r.direction = f.direction AND r.state = f.state AND r.classification_id IS NOT DISTINCT FROM f.classification_id;
    -- the maxima and the last end of the row it left, again from the conversations still in it
    UPDATE conversation_rollups_finished r
       SET handle_max_us = x.handle_max_us, agent_max_us = x.agent_max_us, last_finished_at = x.last_finished_at
      FROM rollup_finished(old_c, tz) f
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
  RETURN 0;
END
$$;

-- One agent state entry's: as 0033's trigger did (its body, with op/old_h/new_h). The session marks
-- are reconciled with the table as it is when the entry folds: every instant a later write changes
-- is reconciled again by that write's entry.
CREATE FUNCTION agent_state_rollups_fold_row(op text, old_h agent_state_history, new_h agent_state_history) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  -- (assignments, not PERFORM: a call as a simple expression runs no statement of its own)
  done integer;
BEGIN
  IF op <> 'INSERT' AND old_h.ended_at IS NOT NULL THEN done := agent_time_rollups_add(old_h, -1); END IF;
  IF op <> 'DELETE' AND new_h.ended_at IS NOT NULL THEN done := agent_time_rollups_add(new_h, 1); END IF;
  IF op = 'INSERT' THEN
    done := agent_session_marks_at(new_h.user_id, new_h.started_at, CASE WHEN new_h.ended_at > new_h.started_at THEN new_h.ended_at END);
  ELSIF op = 'DELETE' THEN
    done := agent_session_marks_at(old_h.user_id, old_h.started_at, CASE WHEN old_h.ended_at > old_h.started_at THEN old_h.ended_at END);
  ELSIF old_h.user_id <> new_h.user_id THEN
    done := agent_session_marks_at(old_h.user_id, old_h.started_at, CASE WHEN old_h.ended_at > old_h.started_at THEN old_h.ended_at END);
    done := agent_session_marks_at(new_h.user_id, new_h.started_at, CASE WHEN new_h.ended_at > new_h.started_at THEN new_h.ended_at END);
  ELSE
    IF (old_h.started_at, old_h.ended_at IS NOT DISTINCT FROM old_h.started_at) IS DISTINCT FROM (new_h.started_at, new_h.ended_at IS NOT DISTINCT FROM new_h.started_at) THEN
      done := agent_session_marks_at(new_h.user_id, old_h.started_at, new_h.started_at);
    END IF;
    IF (CASE WHEN old_h.ended_at > old_h.started_at THEN old_h.ended_at END IS DISTINCT FROM CASE WHEN new_h.ended_at > new_h.started_at THEN new_h.ended_at END) THEN
      done := agent_session_marks_at(new_h.user_id, CASE WHEN old_h.ended_at > old_h.started_at THEN old_h.ended_at END, CASE WHEN new_h.ended_at > new_h.started_at THEN new_h.ended_at END);
    END IF;
  END IF;
  RETURN 0;
END
$$;

-- Folds up to `lim` entries of the journal, oldest first, and returns how many (fewer than `lim`: it
-- is empty, but for the entries of transactions still open). Waits for a fold in progress elsewhere;
-- inside a longer transaction the lock is held to its end, so callers fold on their own first.
CREATE FUNCTION conversation_rollups_fold(lim integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  j record;
  ids bigint[] := '{}';
  done integer;
BEGIN
  -- nothing to fold (the common case of a read): no lock taken
  IF NOT EXISTS (SELECT 1 FROM conversation_rollup_journal) THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(727293);
  FOR j IN SELECT id, op, old_row, new_row FROM conversation_rollup_journal ORDER BY id LIMIT lim LOOP
    done := conversation_rollups_fold_row(j.op, j.old_row, j.new_row);
    ids := ids || j.id;
  END LOOP;
  DELETE FROM conversation_rollup_journal WHERE id = ANY (ids);
  RETURN cardinality(ids);
END
$$;
CREATE FUNCTION agent_state_rollups_fold(lim integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  j record;
  ids bigint[] := '{}';
  done integer;
BEGIN
  -- nothing to fold (the common case of a read): no lock taken
  IF NOT EXISTS (SELECT 1 FROM agent_state_rollup_journal) THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(727294);
  FOR j IN SELECT id, op, old_row, new_row FROM agent_state_rollup_journal ORDER BY id LIMIT lim LOOP
    done := agent_state_rollups_fold_row(j.op, j.old_row, j.new_row);
    ids := ids || j.id;
  END LOOP;
  DELETE FROM agent_state_rollup_journal WHERE id = ANY (ids);
  RETURN cardinality(ids);
END
$$;

-- Before a rebuild: no writer can add an entry until the transaction ends (the rebuild recounts the
-- rows as they are, so an entry folded after it would count twice), and every entry is folded. The
-- agents' rebuilds lock agent_state_history against writers already (SHARE): taken here first, before
-- the journal, in the order a writer takes them.
CREATE FUNCTION conversation_rollups_drain() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  total integer := 0;
  n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(727293);
  LOCK TABLE conversation_rollup_journal IN EXCLUSIVE MODE;
  LOOP
    n := conversation_rollups_fold(10000);
    total := total + n;
    EXIT WHEN n < 10000;
  END LOOP;
  RETURN total;
END
$$;
CREATE FUNCTION agent_state_rollups_drain() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  total integer := 0;
  n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(727294);
  LOCK TABLE agent_state_history IN SHARE MODE;
  LOCK TABLE agent_state_rollup_journal IN EXCLUSIVE MODE;
  LOOP
    n := agent_state_rollups_fold(10000);
    total := total + n;
    EXIT WHEN n < 10000;
  END LOOP;
  RETURN total;
END
$$;

-- The rebuilds keep their names for their callers (the settings' and services' triggers, the scripts,
-- the benches): each drains its journal, then recounts as before.
ALTER FUNCTION rebuild_conversation_rollups(date, date, uuid, boolean) RENAME TO rebuild_conversation_rollups_recount;
CREATE FUNCTION rebuild_conversation_rollups(d_from date, d_to date, svc uuid, only_milestones boolean DEFAULT false) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  folded integer := conversation_rollups_drain();
BEGIN
  RETURN rebuild_conversation_rollups_recount(d_from, d_to, svc, only_milestones);
END
$$;
ALTER FUNCTION agent_time_rollups_rebuild() RENAME TO agent_time_rollups_recount;
CREATE FUNCTION agent_time_rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  folded integer := agent_state_rollups_drain();
BEGIN
  RETURN agent_time_rollups_recount();
END
$$;
ALTER FUNCTION agent_session_marks_rebuild() RENAME TO agent_session_marks_recount;
CREATE FUNCTION agent_session_marks_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  folded integer := agent_state_rollups_drain();
BEGIN
  RETURN agent_session_marks_recount();
END
$$;
