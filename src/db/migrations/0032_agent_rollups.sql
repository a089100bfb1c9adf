-- Produtividade por agente, Pausas and Sessões over millions (issue 16).
--
-- TMR: an agent's reply is an agent message that follows customer messages; its time is the reply's
-- instant minus the first of those customer messages (not before the conversation's first
-- assignment). Reading it from the messages means pairing every message of the period's
-- conversations in a window (30 M messages: 18 s for a month); instead each reply is counted when it
-- is written, per 15-minute UTC bucket (every time zone's offset is a multiple of 15 minutes, so a
-- period of local days is whole buckets) × author × the conversation's service and channel at that
-- moment.
CREATE TABLE agent_reply_rollups (
  bucket         timestamptz NOT NULL,
  agent_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  service_id     uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  channel        text NOT NULL,
  replies        integer NOT NULL,
  reply_seconds  float8 NOT NULL,
  PRIMARY KEY (bucket, agent_id, service_id, channel)
);
-- a period's rows read from the index alone (the heap's pages of a month are scattered after a rebuild)
CREATE INDEX agent_reply_rollups_period_idx ON agent_reply_rollups (bucket) INCLUDE (agent_id, service_id, channel, replies, reply_seconds);

-- Written by the insert itself (every path: the engine's addMessage, the inbound batch, the demo's
-- history, bulk loads), in its transaction: one statement-level pass over the new rows, each agent
-- message looking back in its own conversation for the previous agent message and the customer
-- messages since (messages_conversation_idx).
CREATE FUNCTION agent_reply_rollups_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agent_reply_rollups AS r (bucket, agent_id, service_id, channel, replies, reply_seconds)
  SELECT date_bin('15 minutes', n.created_at, timestamptz '2000-01-01 00:00:00+00'), n.author_id, c.service_id, c.channel,
         count(*)::int, sum(extract(epoch FROM n.created_at - greatest(asked.at, c.first_assigned_at)))::float8
    FROM new_messages n
    JOIN conversations c ON c.id = n.conversation_id AND c.first_assigned_at IS NOT NULL
    CROSS JOIN LATERAL (SELECT max(p.id) AS id FROM messages p
                         WHERE p.conversation_id = n.conversation_id AND p.author_type = 'agent' AND p.id < n.id) prev
    CROSS JOIN LATERAL (SELECT min(q.created_at) AS at FROM messages q
                         WHERE q.conversation_id = n.conversation_id AND q.author_type = 'customer' AND q.id < n.id
                           AND q.id > coalesce(prev.id, 0)) asked
   WHERE n.author_type = 'agent' AND n.author_id IS NOT NULL AND asked.at IS NOT NULL
   GROUP BY 1, 2, 3, 4
  ON CONFLICT (bucket, agent_id, service_id, channel)
    DO UPDATE SET replies = r.replies + excluded.replies, reply_seconds = r.reply_seconds + excluded.reply_seconds;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_agent_reply_rollups AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION agent_reply_rollups_add();

-- The rebuild (scripts/rollups-rebuild-agents.ts, and below for the rows already stored): the same
-- figure computed the other way round, over all messages at once (which customer messages each agent
-- message answers, counted in a window). Writes to messages wait while it runs.
CREATE FUNCTION agent_reply_rollups_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  written bigint;
BEGIN
  LOCK TABLE messages IN SHARE MODE;
  DELETE FROM agent_reply_rollups;
  INSERT INTO agent_reply_rollups (bucket, agent_id, service_id, channel, replies, reply_seconds)
  SELECT date_bin('15 minutes', g.created_at, timestamptz '2000-01-01 00:00:00+00'), g.author_id, c.service_id, c.channel,
         count(*)::int, sum(extract(epoch FROM g.created_at - greatest(g.asked, c.first_assigned_at)))::float8
    FROM (SELECT m.conversation_id, m.author_type, m.author_id, m.created_at,
                 -- the first customer message among those since the previous agent message (same count of agent messages before)
                 min(m.created_at) FILTER (WHERE m.author_type = 'customer') OVER (PARTITION BY m.conversation_id, m.answered) AS asked
            FROM (SELECT m.conversation_id, m.author_type, m.author_id, m.created_at,
                         count(*) FILTER (WHERE m.author_type = 'agent')
                           OVER (PARTITION BY m.conversation_id ORDER BY m.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS answered
                    FROM messages m WHERE m.author_type IN ('agent', 'customer')) m) g
    JOIN conversations c ON c.id = g.conversation_id AND c.first_assigned_at IS NOT NULL
   WHERE g.author_type = 'agent' AND g.author_id IS NOT NULL AND g.asked IS NOT NULL
   GROUP BY 1, 2, 3, 4
   ORDER BY 1;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
SELECT agent_reply_rollups_rebuild();

-- Agents' time (Produtividade por agente, Pausas): the period's state rows are read by their start,
-- and every column the sums need rides in the index (an index-only scan of a month's rows); the row
-- each agent was in when the period began is found by agent_state_history_user_idx.
CREATE INDEX agent_state_history_period_idx ON agent_state_history (started_at) INCLUDE (user_id, state, pause_reason_id, ended_at);
DROP INDEX agent_state_history_started_idx;

-- Transfers made and received: the transfer rows of a period, not every state change.
CREATE INDEX conversation_state_history_transfers_idx ON conversation_state_history (started_at) WHERE reason = 'transferred';
