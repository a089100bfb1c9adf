-- Relatórios → Mensagens ativas from rollups (issue 16, "Fast on millions"): per local 15-minute slot
-- of the contact center's time zone (like 0036's cells, summed into any interval by localBucketSql) ×
-- template name × the conversation's service × channel × agent, the report's counts with the raw
-- report's definitions (engine/reports/outbound.ts):
--   sent       every message with content_type 'template' (its slot: the message's created_at)
--   delivered  delivery_status delivered or read
--   read       delivery_status read
--   failed     delivery_status failed
--   answered   a customer message with a higher id in the same conversation
-- The template is coalesce(payload → template → name, '?') (retention and anonymisation clear the
-- payload: the raw report then says '?', and so do these rows). Service, channel and agent are the
-- conversation's current ones, so a transfer or a reassignment moves the conversation's templates.
--
-- Kept in the writer's transaction by row triggers, each adding the exact difference its row makes:
--   messages  BEFORE INSERT / DELETE / UPDATE, only for templates and customer messages (WHEN). A
--             BEFORE row trigger sees the rows its statement already wrote and not its own, so a
--             statement that writes several messages of one conversation (the inbound batch, a bulk
--             load, a DELETE of several) adds each row's difference to the state before it: exact in
--             any order (an AFTER row trigger sees the whole statement and would count twice a
--             template and the customer message that answers it written together).
--   conversations AFTER UPDATE of service_id, channel or agent_id (WHEN): the conversation's templates
--             leave the old cells for the new ones; one probe of the partial index below when the
--             conversation has none (inbound conversations: the routing hot path).
--   conversations BEFORE DELETE: the conversation's templates leave (for a delete that cascades to the
--             messages, whose own trigger then no longer finds the conversation).
-- Concurrency: the engine writes a conversation's messages holding its row (inbound.ts, inbound-plan.ts,
-- thread.ts lock it FOR UPDATE), which a change of its service or agent also takes. The provider's
-- receipts update a template without that lock: the conversations' trigger locks the conversation's
-- templates (FOR SHARE) before reading them, so a receipt in flight is either read committed or waits
-- and then adds its difference to the new cells.

CREATE TABLE template_rollups_15m (
  slot        timestamp NOT NULL,
  template    text      NOT NULL,
  service_id  uuid      NOT NULL,
  channel     text      NOT NULL,
  agent_id    uuid,
  sent        integer   NOT NULL DEFAULT 0,
  delivered   integer   NOT NULL DEFAULT 0,
  read        integer   NOT NULL DEFAULT 0,
  failed      integer   NOT NULL DEFAULT 0,
  answered    integer   NOT NULL DEFAULT 0,
  CONSTRAINT template_rollups_15m_key UNIQUE NULLS NOT DISTINCT (slot, template, service_id, channel, agent_id)
);

-- A conversation's templates at once (the triggers' probes and reads; a few entries per outbound
-- conversation, none for an inbound one).
CREATE INDEX messages_template_conversation_idx ON messages (conversation_id, id) WHERE content_type = 'template';

-- The local 15-minute slot of an instant (0036's bins).
CREATE FUNCTION template_rollup_slot(at timestamptz, tz text) RETURNS timestamp LANGUAGE sql STABLE AS $$
  SELECT date_bin('15 minutes', at AT TIME ZONE tz, timestamp '2000-01-01')
$$;

-- The report's template name of a message's payload.
CREATE FUNCTION template_rollup_name(payload jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(payload -> 'template' ->> 'name', '?')
$$;

-- Adds one difference to a cell. (plpgsql, as every function here that writes: its plans are kept for
-- the session, where a SQL function's INSERT is planned again on each call, 1.5 ms a reassignment.)
CREATE FUNCTION template_rollup_add(s timestamp, tpl text, svc uuid, ch text, agent uuid,
                                    d_sent integer, d_delivered integer, d_read integer, d_failed integer, d_answered integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO template_rollups_15m AS r (slot, template, service_id, channel, agent_id, sent, delivered, read, failed, answered)
  VALUES (s, tpl, svc, ch, agent, d_sent, d_delivered, d_read, d_failed, d_answered)
  ON CONFLICT ON CONSTRAINT template_rollups_15m_key DO UPDATE SET
    sent = r.sent + EXCLUDED.sent, delivered = r.delivered + EXCLUDED.delivered, read = r.read + EXCLUDED.read,
    failed = r.failed + EXCLUDED.failed, answered = r.answered + EXCLUDED.answered;
END
$$;

-- The difference one message makes (sign 1) or takes away (sign -1) when it joins (leaves) the
-- messages of its conversation, read without the message itself (id <> mid): as a template, its
-- own counts (answered: a customer message after it); as a customer message, the templates before it
-- that no other customer message follows (those with an id at or above every other customer
-- message's) become (cease to be) answered. Nothing when the conversation is gone (its delete took them away).
CREATE FUNCTION template_rollup_message(conv uuid, mid bigint, ctype text, author text, created timestamptz, payload jsonb,
                                        status text, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k record;
  tz text;
  last_customer bigint;
BEGIN
  -- a customer message in a conversation with no template before it (every inbound conversation):
  -- one probe of the partial index, and nothing else
  IF ctype <> 'template' AND NOT EXISTS (SELECT 1 FROM messages t WHERE t.conversation_id = conv AND t.content_type = 'template' AND t.id < mid) THEN
    RETURN;
  END IF;
  SELECT c.service_id, c.channel, c.agent_id INTO k FROM conversations c WHERE c.id = conv;
  IF NOT FOUND THEN RETURN; END IF;
  tz := rollup_time_zone();
  IF ctype = 'template' THEN
    PERFORM template_rollup_add(template_rollup_slot(created, tz), template_rollup_name(payload), k.service_id, k.channel, k.agent_id,
      sign, sign * (status IN ('delivered', 'read') IS TRUE)::int, sign * (status = 'read' IS TRUE)::int, sign * (status = 'failed' IS TRUE)::int,
      sign * (EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = conv AND r.author_type = 'customer' AND r.id > mid))::int);
  END IF;
  IF author = 'customer' THEN
    SELECT max(r.id) INTO last_customer FROM messages r WHERE r.conversation_id = conv AND r.author_type = 'customer' AND r.id <> mid;
    INSERT INTO template_rollups_15m AS r (slot, template, service_id, channel, agent_id, answered)
    SELECT template_rollup_slot(t.created_at, tz), template_rollup_name(t.payload), k.service_id, k.channel, k.agent_id, sign * count(*)::int
      FROM messages t
     -- (>=: a template written by the customer is not answered by itself)
     WHERE t.conversation_id = conv AND t.content_type = 'template' AND t.id < mid AND t.id >= coalesce(last_customer, 0)
     GROUP BY 1, 2
    ON CONFLICT ON CONSTRAINT template_rollups_15m_key DO UPDATE SET answered = r.answered + EXCLUDED.answered;
  END IF;
END
$$;

CREATE FUNCTION messages_template_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM template_rollup_message(NEW.conversation_id, NEW.id, NEW.content_type, NEW.author_type, NEW.created_at, NEW.payload, NEW.delivery_status, 1);
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM template_rollup_message(OLD.conversation_id, OLD.id, OLD.content_type, OLD.author_type, OLD.created_at, OLD.payload, OLD.delivery_status, -1);
    RETURN OLD;
  END IF;
  -- a template's receipt (most updates): only its status counts move, in its cell
  IF OLD.content_type = 'template' AND NEW.content_type = 'template'
     AND (OLD.conversation_id, OLD.author_type, OLD.created_at, template_rollup_name(OLD.payload))
         IS NOT DISTINCT FROM (NEW.conversation_id, NEW.author_type, NEW.created_at, template_rollup_name(NEW.payload)) THEN
    SELECT c.service_id, c.channel, c.agent_id INTO k FROM conversations c WHERE c.id = NEW.conversation_id;
    IF FOUND THEN
      PERFORM template_rollup_add(template_rollup_slot(NEW.created_at, rollup_time_zone()), template_rollup_name(NEW.payload),
        k.service_id, k.channel, k.agent_id, 0,
        (NEW.delivery_status IN ('delivered', 'read') IS TRUE)::int - (OLD.delivery_status IN ('delivered', 'read') IS TRUE)::int,
        (NEW.delivery_status = 'read' IS TRUE)::int - (OLD.delivery_status = 'read' IS TRUE)::int,
        (NEW.delivery_status = 'failed' IS TRUE)::int - (OLD.delivery_status = 'failed' IS TRUE)::int, 0);
    END IF;
    RETURN NEW;
  END IF;
  -- anything else (a payload cleared, a message moved or retyped): the old row leaves, the new joins
  PERFORM template_rollup_message(OLD.conversation_id, OLD.id, OLD.content_type, OLD.author_type, OLD.created_at, OLD.payload, OLD.delivery_status, -1);
  PERFORM template_rollup_message(NEW.conversation_id, NEW.id, NEW.content_type, NEW.author_type, NEW.created_at, NEW.payload, NEW.delivery_status, 1);
  RETURN NEW;
END
$$;

-- Named to run after any other BEFORE trigger (alphabetical order) that might still change the row.
CREATE TRIGGER zz_messages_template_rollups_insert BEFORE INSERT ON messages
  FOR EACH ROW WHEN (NEW.content_type = 'template' OR NEW.author_type = 'customer')
  EXECUTE FUNCTION messages_template_rollups();
CREATE TRIGGER zz_messages_template_rollups_delete BEFORE DELETE ON messages
  FOR EACH ROW WHEN (OLD.content_type = 'template' OR OLD.author_type = 'customer')
  EXECUTE FUNCTION messages_template_rollups();
-- a template whose status, name, time, conversation or type changed; a customer message moved or
-- retyped (no path does either; the trigger keeps them exact). Receipts of other messages, and the
-- retention of their text, do not run it.
CREATE TRIGGER zz_messages_template_rollups_update BEFORE UPDATE ON messages
  FOR EACH ROW WHEN (
    ((OLD.content_type = 'template' OR NEW.content_type = 'template')
      AND (OLD.delivery_status, OLD.payload -> 'template' ->> 'name', OLD.created_at, OLD.conversation_id, OLD.author_type, OLD.content_type)
          IS DISTINCT FROM (NEW.delivery_status, NEW.payload -> 'template' ->> 'name', NEW.created_at, NEW.conversation_id, NEW.author_type, NEW.content_type))
    OR ((OLD.author_type = 'customer' OR NEW.author_type = 'customer')
      AND (OLD.conversation_id, OLD.author_type) IS DISTINCT FROM (NEW.conversation_id, NEW.author_type)))
  EXECUTE FUNCTION messages_template_rollups();

-- A conversation's templates in the cells of its service, channel and agent, with `sign`.
CREATE FUNCTION template_rollup_conversation(conv uuid, svc uuid, ch text, agent uuid, sign integer, tz text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO template_rollups_15m AS r (slot, template, service_id, channel, agent_id, sent, delivered, read, failed, answered)
  SELECT template_rollup_slot(t.created_at, tz), template_rollup_name(t.payload), svc, ch, agent,
         sign * count(*)::int, sign * count(*) FILTER (WHERE t.delivery_status IN ('delivered', 'read'))::int,
         sign * count(*) FILTER (WHERE t.delivery_status = 'read')::int, sign * count(*) FILTER (WHERE t.delivery_status = 'failed')::int,
         sign * count(*) FILTER (WHERE t.id < lc.id)::int
    FROM messages t
   CROSS JOIN (SELECT max(c.id) AS id FROM messages c WHERE c.conversation_id = conv AND c.author_type = 'customer') lc
   WHERE t.conversation_id = conv AND t.content_type = 'template'
   GROUP BY 1, 2
  ON CONFLICT ON CONSTRAINT template_rollups_15m_key DO UPDATE SET
    sent = r.sent + EXCLUDED.sent, delivered = r.delivered + EXCLUDED.delivered, read = r.read + EXCLUDED.read,
    failed = r.failed + EXCLUDED.failed, answered = r.answered + EXCLUDED.answered;
END
$$;

CREATE FUNCTION conversations_template_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  -- the common case, a conversation without templates: one probe of the partial index. Otherwise its
  -- templates are locked first (receipts in flight finish, or wait for this transaction), then read.
  PERFORM 1 FROM messages t WHERE t.conversation_id = OLD.id AND t.content_type = 'template' FOR SHARE;
  IF NOT FOUND THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
  END IF;
  tz := rollup_time_zone();
  PERFORM template_rollup_conversation(OLD.id, OLD.service_id, OLD.channel, OLD.agent_id, -1, tz);
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  PERFORM template_rollup_conversation(NEW.id, NEW.service_id, NEW.channel, NEW.agent_id, 1, tz);
  RETURN NULL;
END
$$;

-- a transfer (service), a reassignment (agent), a channel changed: only then (WHEN), on the routing path
CREATE TRIGGER conversations_template_rollups_move AFTER UPDATE ON conversations
  FOR EACH ROW WHEN ((OLD.service_id, OLD.channel, OLD.agent_id) IS DISTINCT FROM (NEW.service_id, NEW.channel, NEW.agent_id))
  EXECUTE FUNCTION conversations_template_rollups();
CREATE TRIGGER conversations_template_rollups_delete BEFORE DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION conversations_template_rollups();

-- The rebuild: the cells of the local days [d_from, d_to] (all when null) recomputed from the
-- messages. Idempotent. The lock holds the triggers' writers (not the readers) while it recounts.
CREATE FUNCTION rebuild_template_rollups(d_from date, d_to date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  written integer;
BEGIN
  LOCK TABLE template_rollups_15m IN EXCLUSIVE MODE;
  DELETE FROM template_rollups_15m r
   WHERE (d_from IS NULL OR r.slot >= d_from::timestamp) AND (d_to IS NULL OR r.slot < (d_to + 1)::timestamp);
  INSERT INTO template_rollups_15m (slot, template, service_id, channel, agent_id, sent, delivered, read, failed, answered)
  SELECT template_rollup_slot(m.created_at, tz), template_rollup_name(m.payload), c.service_id, c.channel, c.agent_id,
         count(*)::int, count(*) FILTER (WHERE m.delivery_status IN ('delivered', 'read'))::int,
         count(*) FILTER (WHERE m.delivery_status = 'read')::int, count(*) FILTER (WHERE m.delivery_status = 'failed')::int,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id AND r.author_type = 'customer' AND r.id > m.id))::int
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
   WHERE m.content_type = 'template'
     AND (d_from IS NULL OR m.created_at >= (d_from::timestamp AT TIME ZONE tz) - interval '1 day')
     AND (d_to IS NULL OR m.created_at < ((d_to + 1)::timestamp AT TIME ZONE tz) + interval '1 day')
     AND (d_from IS NULL OR template_rollup_slot(m.created_at, tz) >= d_from::timestamp)
     AND (d_to IS NULL OR template_rollup_slot(m.created_at, tz) < (d_to + 1)::timestamp)
   GROUP BY 1, 2, 3, 4, 5
   -- in slot order, so a month's cells lie together on disk (as 0036's)
   ORDER BY 1, 2, 3, 4, 5;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

-- The time zone changed: every slot moves (0031's trigger rebuilds its own tables).
CREATE FUNCTION settings_template_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.value IS NOT DISTINCT FROM NEW.value THEN RETURN NULL; END IF;
  PERFORM rebuild_template_rollups(NULL, NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_template_rollups_ins_upd AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'timezone')
  EXECUTE FUNCTION settings_template_rollups_rebuild();
CREATE TRIGGER settings_template_rollups_del AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'timezone')
  EXECUTE FUNCTION settings_template_rollups_rebuild();

SELECT rebuild_template_rollups(NULL, NULL);
ANALYZE template_rollups_15m;
