-- Relatórios → Classificações from rollups (issue 16, "Fast on millions"): the wrap-up form's answers
-- (conversations.wrapup) of the conversations that ended, per local day of finished_at (Parâmetros →
-- timezone) × service × channel × last agent × field key × answer, `n` answers, and the same without
-- the agent (the level the report reads unless an agent is asked: 15× fewer rows). The report's
-- classification section reads 0031's conversation_rollups_finished (it has classification_id); these
-- tables are its wrap-up section. Kept by a trigger in the same transaction as every write to a
-- conversation, as UPSERTs of the difference between the row's old and new contributions (0031's way).
--
-- What a row groups by is what the report groups by (engine/reports/classifications.ts): the answer's
-- value as text (`value #>> '{}'`), except for a field the service's form types 'text' (free text, a
-- different answer per conversation), whose answers are one "filled in" answer, stored as answer NULL,
-- so the rows stay few. A JSON null or an empty answer is not counted (nor is it by the report). The
-- labels, the positions and the yes/no words are read from wrapup_fields when the report runs: a label
-- renamed or a field moved needs nothing here. Only whether a (service, key) is a text field is
-- stored in the rows, so when that changes (a text field added or deleted, a key or a type changed
-- to or from text) the rows of that service and key are rebuilt (trigger on wrapup_fields below).
-- A field of another type added or deleted groups its answers by value before and after: nothing to do.

CREATE TABLE conversation_rollups_wrapup (
  day         date    NOT NULL,
  service_id  uuid    NOT NULL,
  channel     text    NOT NULL,
  agent_id    uuid,
  field       text    NOT NULL,
  -- the value as text; NULL: a free-text field's answer (counted as "(preenchido)")
  answer      text,
  n           integer NOT NULL DEFAULT 0,
  -- led by (service, key): the rows a field's change rebuilds (a form's save must not scan the table;
  -- a rebuild of a range of days, a maintenance command, does)
  CONSTRAINT conversation_rollups_wrapup_key UNIQUE NULLS NOT DISTINCT (service_id, field, day, channel, agent_id, answer)
);
-- the report with an agent asked
CREATE INDEX conversation_rollups_wrapup_agent_idx ON conversation_rollups_wrapup (agent_id, day);

-- The same answers without the agent: the report without an agent asked (every other caller and
-- filter) reads these. With the agent, a month of the 230,000-end test seed was 278,000 rows (an
-- agent ends ~4 conversations a day, so a row holds ~1.7 answers) read in 180–230 ms; without it,
-- 18,700 rows in 5–28 ms (docs/REPORTS.md).
CREATE TABLE conversation_rollups_wrapup_services (
  day         date    NOT NULL,
  service_id  uuid    NOT NULL,
  channel     text    NOT NULL,
  field       text    NOT NULL,
  answer      text,
  n           integer NOT NULL DEFAULT 0,
  CONSTRAINT conversation_rollups_wrapup_services_key UNIQUE NULLS NOT DISTINCT (day, service_id, channel, field, answer)
);
CREATE INDEX conversation_rollups_wrapup_services_field_idx ON conversation_rollups_wrapup_services (service_id, field);

-- One conversation's answers as rows of the table (none while it has not ended). Shared by the trigger
-- and the rebuild, so both count alike. The field's type is read from wrapup_fields (its unique key).
CREATE FUNCTION rollup_wrapup(c conversations, tz text)
RETURNS TABLE (day date, service_id uuid, channel text, agent_id uuid, field text, answer text)
LANGUAGE sql STABLE AS $$
  SELECT (c.finished_at AT TIME ZONE tz)::date, c.service_id, c.channel, c.agent_id, kv.key,
         CASE WHEN f.key IS NULL THEN kv.value #>> '{}' END
    FROM jsonb_each(CASE WHEN c.finished_at IS NOT NULL AND jsonb_typeof(c.wrapup) = 'object' THEN c.wrapup END) AS kv
    LEFT JOIN wrapup_fields f ON f.service_id = c.service_id AND f.key = kv.key AND f.type = 'text'
   WHERE jsonb_typeof(kv.value) <> 'null' AND kv.value #>> '{}' <> ''
$$;

-- The trigger: the new row's answers minus the old row's, summed per key, added in place; a row the
-- old answers leave at zero is deleted (below).
CREATE FUNCTION conversation_wrapup_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  emptied integer;
  emptied_s integer := 0;
BEGIN
  WITH up AS (
    INSERT INTO conversation_rollups_wrapup AS r (day, service_id, channel, agent_id, field, answer, n)
    SELECT d.day, d.service_id, d.channel, d.agent_id, d.field, d.answer, sum(d.sign)
      FROM (SELECT w.*, 1 AS sign FROM rollup_wrapup(NEW, tz) w WHERE TG_OP <> 'DELETE'
            UNION ALL
            SELECT w.*, -1 AS sign FROM rollup_wrapup(OLD, tz) w WHERE TG_OP <> 'INSERT') d
     GROUP BY d.day, d.service_id, d.channel, d.agent_id, d.field, d.answer
    -- an answer the old and the new row give alike (a write that changed another answer) is left alone
    HAVING sum(d.sign) <> 0
    ON CONFLICT ON CONSTRAINT conversation_rollups_wrapup_key DO UPDATE SET n = r.n + EXCLUDED.n
    RETURNING r.n)
  SELECT count(*) FILTER (WHERE up.n = 0) INTO emptied FROM up;
  -- the level without the agent, unless only the agent changed (a reassignment after the end)
  IF TG_OP <> 'UPDATE' OR (OLD.wrapup, OLD.finished_at, OLD.service_id, OLD.channel) IS DISTINCT FROM (NEW.wrapup, NEW.finished_at, NEW.service_id, NEW.channel) THEN
    WITH up AS (
      INSERT INTO conversation_rollups_wrapup_services AS r (day, service_id, channel, field, answer, n)
      SELECT d.day, d.service_id, d.channel, d.field, d.answer, sum(d.sign)
        FROM (SELECT w.*, 1 AS sign FROM rollup_wrapup(NEW, tz) w WHERE TG_OP <> 'DELETE'
              UNION ALL
              SELECT w.*, -1 AS sign FROM rollup_wrapup(OLD, tz) w WHERE TG_OP <> 'INSERT') d
       GROUP BY d.day, d.service_id, d.channel, d.field, d.answer
      HAVING sum(d.sign) <> 0
      ON CONFLICT ON CONSTRAINT conversation_rollups_wrapup_services_key DO UPDATE SET n = r.n + EXCLUDED.n
      RETURNING r.n)
    SELECT count(*) FILTER (WHERE up.n = 0) INTO emptied_s FROM up;
  END IF;
  -- A row the old answers left at zero goes (only a row of the old row's day, service, channel and
  -- agent can: the new answers add): an answer stored as text may be a person's words (a key the form
  -- lacks, a free-text field deleted), and an erasure (engine/contacts/anonymize.ts) or the retention's
  -- deletion must not leave it behind in an empty row.
  IF emptied > 0 THEN
    DELETE FROM conversation_rollups_wrapup r
     WHERE r.service_id = OLD.service_id AND r.field = ANY (ARRAY(SELECT jsonb_object_keys(OLD.wrapup)))
       AND r.day = (OLD.finished_at AT TIME ZONE tz)::date AND r.channel = OLD.channel
       AND r.agent_id IS NOT DISTINCT FROM OLD.agent_id AND r.n = 0;
  END IF;
  IF emptied_s > 0 THEN
    DELETE FROM conversation_rollups_wrapup_services r
     WHERE r.day = (OLD.finished_at AT TIME ZONE tz)::date AND r.service_id = OLD.service_id AND r.channel = OLD.channel
       AND r.field = ANY (ARRAY(SELECT jsonb_object_keys(OLD.wrapup))) AND r.n = 0;
  END IF;
  RETURN NULL;
END
$$;

-- Only for a conversation that has ended with an answer, before or after the write, and only when a
-- column the rows read changed: routing's assignments, messages, state changes of open conversations
-- (no end) and the ends without a form (most of them) do not even call the function.
CREATE TRIGGER conversations_wrapup_rollups_insert AFTER INSERT ON conversations
  FOR EACH ROW WHEN (NEW.finished_at IS NOT NULL AND jsonb_typeof(NEW.wrapup) = 'object' AND NEW.wrapup <> '{}'::jsonb)
  EXECUTE FUNCTION conversation_wrapup_rollups_apply();
CREATE TRIGGER conversations_wrapup_rollups_delete AFTER DELETE ON conversations
  FOR EACH ROW WHEN (OLD.finished_at IS NOT NULL AND jsonb_typeof(OLD.wrapup) = 'object' AND OLD.wrapup <> '{}'::jsonb)
  EXECUTE FUNCTION conversation_wrapup_rollups_apply();
CREATE TRIGGER conversations_wrapup_rollups_update AFTER UPDATE ON conversations
  FOR EACH ROW WHEN ((OLD.wrapup, OLD.finished_at, OLD.service_id, OLD.channel, OLD.agent_id)
                     IS DISTINCT FROM (NEW.wrapup, NEW.finished_at, NEW.service_id, NEW.channel, NEW.agent_id)
                     AND ((OLD.finished_at IS NOT NULL AND jsonb_typeof(OLD.wrapup) = 'object' AND OLD.wrapup <> '{}'::jsonb)
                          OR (NEW.finished_at IS NOT NULL AND jsonb_typeof(NEW.wrapup) = 'object' AND NEW.wrapup <> '{}'::jsonb)))
  EXECUTE FUNCTION conversation_wrapup_rollups_apply();

-- The rebuild: the rows of the local days [d_from, d_to] (all when null), of one service (all when
-- null) and one field key (all when null), recomputed from the conversations. Idempotent. The lock holds
-- the trigger's writers (not the readers) for the statement, as 0031's rebuild does. Only the ends with
-- an answer are read (0034's partial index on them; a service's through 0012's service index).
CREATE FUNCTION rebuild_wrapup_rollups(d_from date, d_to date, svc uuid, fkey text DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  written integer;
BEGIN
  LOCK TABLE conversation_rollups_wrapup, conversation_rollups_wrapup_services IN EXCLUSIVE MODE;
  DELETE FROM conversation_rollups_wrapup r
   WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to)
     AND (svc IS NULL OR r.service_id = svc) AND (fkey IS NULL OR r.field = fkey);
  DELETE FROM conversation_rollups_wrapup_services r
   WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to)
     AND (svc IS NULL OR r.service_id = svc) AND (fkey IS NULL OR r.field = fkey);
  INSERT INTO conversation_rollups_wrapup (day, service_id, channel, agent_id, field, answer, n)
  SELECT w.day, w.service_id, w.channel, w.agent_id, w.field, w.answer, count(*)
    FROM conversations c
   CROSS JOIN LATERAL rollup_wrapup(c, tz) w
   WHERE jsonb_typeof(c.wrapup) = 'object' AND c.wrapup <> '{}'::jsonb AND c.finished_at IS NOT NULL
     AND (svc IS NULL OR c.service_id = svc)
     AND (fkey IS NULL OR c.wrapup ? fkey)
     AND (d_from IS NULL OR c.finished_at >= (d_from::timestamp AT TIME ZONE tz))
     AND (d_to IS NULL OR c.finished_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
     AND (fkey IS NULL OR w.field = fkey)
   GROUP BY 1, 2, 3, 4, 5, 6;
  GET DIAGNOSTICS written = ROW_COUNT;
  -- the level without the agent, from the rows just written
  INSERT INTO conversation_rollups_wrapup_services (day, service_id, channel, field, answer, n)
  SELECT r.day, r.service_id, r.channel, r.field, r.answer, sum(r.n)
    FROM conversation_rollups_wrapup r
   WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to)
     AND (svc IS NULL OR r.service_id = svc) AND (fkey IS NULL OR r.field = fkey)
   GROUP BY 1, 2, 3, 4, 5
   -- in day order, so a month's rows lie together on disk (as 0036's)
   ORDER BY 1, 2, 3, 4, 5;
  RETURN written;
END
$$;

-- A field of a service's form became, or stopped being, a free-text field (added, deleted, its key or
-- type changed): the rows of that service and key again, for the old and the new key. Saving the form
-- (engine/admin/wrapup-fields.ts) deletes and inserts every field: only its text fields rebuild.
CREATE FUNCTION wrapup_fields_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM rebuild_wrapup_rollups(NULL, NULL, OLD.service_id, OLD.key); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.service_id, OLD.key) IS DISTINCT FROM (NEW.service_id, NEW.key)) THEN
    PERFORM rebuild_wrapup_rollups(NULL, NULL, NEW.service_id, NEW.key);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER wrapup_fields_rollups_insert AFTER INSERT ON wrapup_fields
  FOR EACH ROW WHEN (NEW.type = 'text')
  EXECUTE FUNCTION wrapup_fields_rollups_rebuild();
CREATE TRIGGER wrapup_fields_rollups_delete AFTER DELETE ON wrapup_fields
  FOR EACH ROW WHEN (OLD.type = 'text')
  EXECUTE FUNCTION wrapup_fields_rollups_rebuild();
CREATE TRIGGER wrapup_fields_rollups_update AFTER UPDATE ON wrapup_fields
  FOR EACH ROW WHEN ((OLD.type = 'text' OR NEW.type = 'text')
                     AND (OLD.service_id, OLD.key, OLD.type) IS DISTINCT FROM (NEW.service_id, NEW.key, NEW.type))
  EXECUTE FUNCTION wrapup_fields_rollups_rebuild();

-- The time zone changed: every row's day moves (0031's settings trigger rebuilds its own tables).
CREATE FUNCTION settings_wrapup_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.value IS NOT DISTINCT FROM NEW.value THEN RETURN NULL; END IF;
  PERFORM rebuild_wrapup_rollups(NULL, NULL, NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_wrapup_rollups_rebuild_ins_upd AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'timezone')
  EXECUTE FUNCTION settings_wrapup_rollups_rebuild();
CREATE TRIGGER settings_wrapup_rollups_rebuild_del AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'timezone')
  EXECUTE FUNCTION settings_wrapup_rollups_rebuild();

SELECT rebuild_wrapup_rollups(NULL, NULL, NULL);
ANALYZE conversation_rollups_wrapup;
ANALYZE conversation_rollups_wrapup_services;
