-- Relatórios → Pré-atendimento (bot) from rollups (issue 16, "Fast on millions"): the report read a
-- month of bot conversations raw and matched each bot menu's next customer message to the menu's
-- options in JavaScript (6.3 s for a month on the 3 M seed). Now:
--
-- 1. `bot_choices`: the option the bot runner actually chose, written by engine/bot/stage.ts in the
--    transaction that applies the answer (a typed number, label or keyword, or a WebChat button by its
--    id). Conversations from before this migration (and the bench seed's bulk-loaded messages) get
--    theirs from `bot_choices_backfill()`, which matches the messages in SQL as the report used to.
-- 2. Two rollups per local day of the conversation's created_at (Parâmetros → timezone, 0031's
--    rollup_time_zone()) × service × channel:
--    - bot_rollups: the conversations with a bot stage by outcome (bot_outcome(), the report's
--      definition) and, for those who gave up, the step they stopped at (bot_state->>'stepId'); the
--      service is the flow's, coalesce(entry_service_id, service_id);
--    - bot_choice_rollups: the options chosen, by label, under the day and channel of their
--      conversation (one with a bot stage) and the service recorded with the choice (the flow's).
--    Kept by triggers in the same transaction as the old-minus-new difference of a row's
--    contribution (as 0031), rebuilt by rebuild_bot_rollups() (all, or a range of days), which a change
--    of time zone runs (settings trigger below) and `npm run rollups:rebuild` runs month by month.

CREATE TABLE bot_choices (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  -- the service whose flow ran (the conversation's service when the answer came: the flow's)
  service_id      uuid        NOT NULL REFERENCES services (id),
  option_id       text        NOT NULL,
  label           text        NOT NULL,
  chosen_at       timestamptz NOT NULL
);
CREATE INDEX bot_choices_conversation_idx ON bot_choices (conversation_id);

-- ---- Matching typed answers to a menu's options, as core/bot-flow-text.ts matchOption does -------
-- (without the keywords, which a stored menu message does not carry)

-- normalizeForMatch: Portuguese (and Latin-1) accents removed, lower case, every run of characters
-- that are not ASCII letters or digits one space, trimmed. Other scripts' letters become spaces here
-- (the runner keeps them): the one difference, which no Portuguese menu meets.
CREATE FUNCTION bot_match_normalize(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(lower(translate(t,
           'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ',
           'aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnnyyy')), '[^a-z0-9]+', ' ', 'g'))
$$;

-- The option ({id, label}) an answer picks among a menu's `options` (a JSON array), or null. In
-- order: the option's number; the first option whose whole normalized label is the whole normalized
-- answer; a normalized label found as whole words inside the answer, when exactly one option is found so.
CREATE FUNCTION bot_match_option(options jsonb, answer text) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH a AS (SELECT bot_match_normalize(answer) AS a),
       o AS (SELECT e.opt, e.i, bot_match_normalize(e.opt ->> 'label') AS l
               FROM jsonb_array_elements(CASE WHEN jsonb_typeof(options) = 'array' THEN options ELSE '[]'::jsonb END)
                    WITH ORDINALITY AS e(opt, i))
  SELECT CASE WHEN a.a = '' THEN NULL ELSE coalesce(
           (SELECT o.opt FROM o WHERE o.i = CASE WHEN a.a ~ '^[0-9]{1,9}$' THEN a.a::bigint END),
           (SELECT o.opt FROM o WHERE o.l = a.a ORDER BY o.i LIMIT 1),
           (SELECT (array_agg(o.opt))[1] FROM o WHERE o.l <> '' AND strpos(' ' || a.a || ' ', ' ' || o.l || ' ') > 0 HAVING count(*) = 1))
         END
    FROM a
$$;

-- The choices of the conversations that have none yet, from their messages: each bot message whose
-- payload has `options`, the next message of the conversation when it is the customer's and not after
-- bot_ended_at (what the report probed before this migration), matched by bot_match_option. Run by this
-- migration and by the bench seed after it bulk-loads messages; a conversation that already has a
-- choice (the runner's own, more exact: keywords, buttons by id) is left alone, so running it again
-- adds nothing. Returns the number of choices written.
CREATE FUNCTION bot_choices_backfill() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  INSERT INTO bot_choices (conversation_id, service_id, option_id, label, chosen_at)
  SELECT c.id, coalesce(c.entry_service_id, c.service_id), x.chosen ->> 'id', x.chosen ->> 'label', m.created_at
    FROM messages p
    JOIN conversations c ON c.id = p.conversation_id
   CROSS JOIN LATERAL (SELECT n.author_type, n.body, n.created_at FROM messages n
                        WHERE n.conversation_id = p.conversation_id AND n.id > p.id ORDER BY n.id LIMIT 1) m
   CROSS JOIN LATERAL (SELECT bot_match_option(p.payload -> 'options', m.body) AS chosen) x
   WHERE p.author_type = 'bot' AND jsonb_typeof(p.payload -> 'options') = 'array'
     AND c.bot_started_at IS NOT NULL
     AND m.author_type = 'customer' AND m.created_at <= coalesce(c.bot_ended_at, 'infinity')
     AND x.chosen ->> 'id' IS NOT NULL AND x.chosen ->> 'label' IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM bot_choices b WHERE b.conversation_id = c.id);
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

-- ---- The rollups ----------------------------------------------------------------------------------

-- How a conversation left the bot (the report's definition, engine/reports/bot.ts reads it too):
-- queued afterwards (transferred), still in the bot, given up or abandoned without a queue, finished
-- by the bot (ended), otherwise finished.
CREATE FUNCTION bot_outcome(state text, first_queued_at timestamptz, finished_by text, finished_at timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN first_queued_at IS NOT NULL THEN 'transferred'
    WHEN state = 'bot' THEN 'in_bot'
    WHEN state IN ('customer_gave_up', 'abandoned') THEN 'gave_up'
    WHEN state = 'completed' AND finished_by = 'bot' THEN 'ended'
    WHEN finished_at IS NOT NULL THEN 'other' ELSE 'in_bot' END
$$;

CREATE TABLE bot_rollups (
  day        date    NOT NULL,
  service_id uuid    NOT NULL,
  channel    text    NOT NULL,
  outcome    text    NOT NULL,
  -- the step a conversation that gave up stopped at (null for the other outcomes, and when unknown)
  step       text,
  n          integer NOT NULL DEFAULT 0,
  CONSTRAINT bot_rollups_key UNIQUE NULLS NOT DISTINCT (day, service_id, channel, outcome, step)
);

CREATE TABLE bot_choice_rollups (
  day        date    NOT NULL,
  service_id uuid    NOT NULL,
  channel    text    NOT NULL,
  label      text    NOT NULL,
  n          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, service_id, channel, label)
);

-- One conversation's row in bot_rollups (none without a bot stage). Shared by the trigger and the rebuild.
CREATE FUNCTION bot_rollup_row(c conversations, tz text)
RETURNS TABLE (day date, service_id uuid, channel text, outcome text, step text) LANGUAGE sql STABLE AS $$
  SELECT (c.created_at AT TIME ZONE tz)::date, coalesce(c.entry_service_id, c.service_id), c.channel, o.outcome,
         CASE WHEN o.outcome = 'gave_up' THEN c.bot_state ->> 'stepId' END
    FROM (SELECT bot_outcome(c.state, c.first_queued_at, c.finished_by, c.finished_at) AS outcome) o
   WHERE c.bot_started_at IS NOT NULL
$$;

-- The conversations' trigger: the new row's contribution minus the old row's. Its choices move with it
-- when their key changed (the day, the channel, whether it has a bot stage: never on the engine's
-- paths); they are written first, so every writer takes bot_choice_rollups before bot_rollups, the
-- order the rebuild locks them in. A deletion runs BEFORE the row goes: the cascade deletes the
-- choices after it, when their own trigger can no longer find the conversation's day and skips them.
CREATE FUNCTION bot_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
BEGIN
  IF TG_OP = 'DELETE'
     OR (TG_OP = 'UPDATE' AND (OLD.created_at, OLD.channel, OLD.bot_started_at IS NULL) IS DISTINCT FROM (NEW.created_at, NEW.channel, NEW.bot_started_at IS NULL)) THEN
    INSERT INTO bot_choice_rollups AS r (day, service_id, channel, label, n)
    SELECT d.day, b.service_id, d.channel, b.label, sum(d.sign)
      FROM bot_choices b
     CROSS JOIN (SELECT (NEW.created_at AT TIME ZONE tz)::date, NEW.channel, 1 WHERE TG_OP = 'UPDATE' AND NEW.bot_started_at IS NOT NULL
                 UNION ALL
                 SELECT (OLD.created_at AT TIME ZONE tz)::date, OLD.channel, -1 WHERE OLD.bot_started_at IS NOT NULL) AS d(day, channel, sign)
     WHERE b.conversation_id = OLD.id
     GROUP BY d.day, b.service_id, d.channel, b.label
    HAVING sum(d.sign) <> 0
    ON CONFLICT (day, service_id, channel, label) DO UPDATE SET n = r.n + EXCLUDED.n;
  END IF;
  INSERT INTO bot_rollups AS r (day, service_id, channel, outcome, step, n)
  SELECT d.day, d.service_id, d.channel, d.outcome, d.step, sum(d.sign)
    FROM (SELECT o.*, 1 AS sign FROM bot_rollup_row(NEW, tz) o WHERE TG_OP <> 'DELETE'
          UNION ALL
          SELECT o.*, -1 AS sign FROM bot_rollup_row(OLD, tz) o WHERE TG_OP <> 'INSERT') d
   GROUP BY d.day, d.service_id, d.channel, d.outcome, d.step
  HAVING sum(d.sign) <> 0
  ON CONFLICT ON CONSTRAINT bot_rollups_key DO UPDATE SET n = r.n + EXCLUDED.n;
  IF TG_WHEN = 'BEFORE' THEN RETURN OLD; END IF;
  RETURN NULL;
END
$$;

-- Only conversations with a bot stage (an e-mail, an outbound conversation, one queued from the start
-- never fire them), and an update only when its row's key changes: not the routing's assignments of
-- a transferred conversation (its outcome stays `transferred`), not the inbound messages'
-- last_message_at, not the bot_state of a conversation still in the bot.
CREATE TRIGGER conversations_bot_rollups_insert AFTER INSERT ON conversations
  FOR EACH ROW WHEN (NEW.bot_started_at IS NOT NULL) EXECUTE FUNCTION bot_rollups_apply();
CREATE TRIGGER conversations_bot_rollups_delete BEFORE DELETE ON conversations
  FOR EACH ROW WHEN (OLD.bot_started_at IS NOT NULL) EXECUTE FUNCTION bot_rollups_apply();
CREATE TRIGGER conversations_bot_rollups_update AFTER UPDATE ON conversations
  FOR EACH ROW WHEN ((OLD.bot_started_at IS NOT NULL OR NEW.bot_started_at IS NOT NULL)
    AND (OLD.bot_started_at IS NULL, OLD.created_at, OLD.channel, coalesce(OLD.entry_service_id, OLD.service_id),
         bot_outcome(OLD.state, OLD.first_queued_at, OLD.finished_by, OLD.finished_at),
         CASE WHEN bot_outcome(OLD.state, OLD.first_queued_at, OLD.finished_by, OLD.finished_at) = 'gave_up' THEN OLD.bot_state ->> 'stepId' END)
    IS DISTINCT FROM
        (NEW.bot_started_at IS NULL, NEW.created_at, NEW.channel, coalesce(NEW.entry_service_id, NEW.service_id),
         bot_outcome(NEW.state, NEW.first_queued_at, NEW.finished_by, NEW.finished_at),
         CASE WHEN bot_outcome(NEW.state, NEW.first_queued_at, NEW.finished_by, NEW.finished_at) = 'gave_up' THEN NEW.bot_state ->> 'stepId' END))
  EXECUTE FUNCTION bot_rollups_apply();

-- The choices' trigger, once per statement over its transition tables (the engine writes one choice
-- per answer; the backfill writes a whole history in one statement): each choice counted under its
-- conversation's day and channel, when the conversation has a bot stage and is still there.
CREATE FUNCTION bot_choice_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO bot_choice_rollups AS r (day, service_id, channel, label, n)
    SELECT (c.created_at AT TIME ZONE tz)::date, b.service_id, c.channel, b.label, count(*)
      FROM bot_choice_ins b JOIN conversations c ON c.id = b.conversation_id
     WHERE c.bot_started_at IS NOT NULL
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, service_id, channel, label) DO UPDATE SET n = r.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO bot_choice_rollups AS r (day, service_id, channel, label, n)
    SELECT (c.created_at AT TIME ZONE tz)::date, b.service_id, c.channel, b.label, -count(*)
      FROM bot_choice_del b JOIN conversations c ON c.id = b.conversation_id
     WHERE c.bot_started_at IS NOT NULL
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, service_id, channel, label) DO UPDATE SET n = r.n + EXCLUDED.n;
  ELSE
    INSERT INTO bot_choice_rollups AS r (day, service_id, channel, label, n)
    SELECT (c.created_at AT TIME ZONE tz)::date, b.service_id, c.channel, b.label, sum(b.sign)
      FROM (SELECT i.conversation_id, i.service_id, i.label, 1 AS sign FROM bot_choice_ins i
            UNION ALL
            SELECT d.conversation_id, d.service_id, d.label, -1 FROM bot_choice_del d) b
      JOIN conversations c ON c.id = b.conversation_id
     WHERE c.bot_started_at IS NOT NULL
     GROUP BY 1, 2, 3, 4
    HAVING sum(b.sign) <> 0
    ON CONFLICT (day, service_id, channel, label) DO UPDATE SET n = r.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER bot_choices_rollups_insert AFTER INSERT ON bot_choices
  REFERENCING NEW TABLE AS bot_choice_ins FOR EACH STATEMENT EXECUTE FUNCTION bot_choice_rollups_apply();
CREATE TRIGGER bot_choices_rollups_delete AFTER DELETE ON bot_choices
  REFERENCING OLD TABLE AS bot_choice_del FOR EACH STATEMENT EXECUTE FUNCTION bot_choice_rollups_apply();
CREATE TRIGGER bot_choices_rollups_update AFTER UPDATE ON bot_choices
  REFERENCING OLD TABLE AS bot_choice_del NEW TABLE AS bot_choice_ins FOR EACH STATEMENT EXECUTE FUNCTION bot_choice_rollups_apply();

-- The rebuild: both tables' rows of the local days [d_from, d_to] (all when null) recomputed from the
-- conversations created in them and their choices. Idempotent. The lock holds the triggers' writers
-- (not the readers) for the chunk, taken in the order the writers take the tables (choices first);
-- rollups:rebuild runs it before 0031's rebuild in each chunk, the order a conversation's triggers
-- write (this file's trigger names sort before 0031's).
CREATE FUNCTION rebuild_bot_rollups(d_from date, d_to date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tz text := rollup_time_zone();
  outcomes integer;
  choices integer;
BEGIN
  LOCK TABLE bot_choice_rollups, bot_rollups IN EXCLUSIVE MODE;
  DELETE FROM bot_choice_rollups r WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to);
  INSERT INTO bot_choice_rollups (day, service_id, channel, label, n)
  SELECT (c.created_at AT TIME ZONE tz)::date, b.service_id, c.channel, b.label, count(*)
    FROM bot_choices b JOIN conversations c ON c.id = b.conversation_id
   WHERE c.bot_started_at IS NOT NULL
     AND (d_from IS NULL OR c.created_at >= (d_from::timestamp AT TIME ZONE tz))
     AND (d_to IS NULL OR c.created_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
   GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS choices = ROW_COUNT;
  DELETE FROM bot_rollups r WHERE (d_from IS NULL OR r.day >= d_from) AND (d_to IS NULL OR r.day <= d_to);
  INSERT INTO bot_rollups (day, service_id, channel, outcome, step, n)
  SELECT o.day, o.service_id, o.channel, o.outcome, o.step, count(*)
    FROM conversations c
   CROSS JOIN LATERAL bot_rollup_row(c, tz) o
   WHERE c.bot_started_at IS NOT NULL
     AND (d_from IS NULL OR c.created_at >= (d_from::timestamp AT TIME ZONE tz))
     AND (d_to IS NULL OR c.created_at < ((d_to + 1)::timestamp AT TIME ZONE tz))
   GROUP BY 1, 2, 3, 4, 5;
  GET DIAGNOSTICS outcomes = ROW_COUNT;
  RETURN outcomes + choices;
END
$$;

-- The time zone changed: every day moves. (0031's settings trigger rebuilds its own rollups; this one
-- sorts before it, so the bot tables are locked first, as in rollups:rebuild.)
CREATE FUNCTION settings_bot_rollups_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.value IS NOT DISTINCT FROM NEW.value THEN RETURN NULL; END IF;
  PERFORM rebuild_bot_rollups(NULL, NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_bot_rollups_rebuild_ins_upd AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'timezone') EXECUTE FUNCTION settings_bot_rollups_rebuild();
CREATE TRIGGER settings_bot_rollups_rebuild_del AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'timezone') EXECUTE FUNCTION settings_bot_rollups_rebuild();

SELECT bot_choices_backfill();
SELECT rebuild_bot_rollups(NULL, NULL);
ANALYZE bot_choices;
ANALYZE bot_rollups;
ANALYZE bot_choice_rollups;
