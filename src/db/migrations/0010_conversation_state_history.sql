-- A conversation's state history (issue 11, point 2): one row per state it was in, written by the
-- same statement as the change itself (engine/conversations/transitions.ts), so reports can tell
-- how long a conversation waited in each queue and stayed with each agent across transfers.
-- The open row (ended_at IS NULL) is the current state; a finished state's row stays open.
CREATE TABLE conversation_state_history (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id  uuid NOT NULL REFERENCES conversations (id),
  state            text NOT NULL,
  service_id       uuid NOT NULL REFERENCES services (id),
  agent_id         uuid REFERENCES users (id),
  -- who moved it there (core/conversation-state.ts Actor) and why (the event's reason)
  actor            text NOT NULL CHECK (actor IN ('customer', 'agent', 'supervisor', 'bot', 'system')),
  reason           text NOT NULL,
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz
);
CREATE INDEX conversation_state_history_conv_idx ON conversation_state_history (conversation_id, started_at);
CREATE INDEX conversation_state_history_open_idx ON conversation_state_history (conversation_id) WHERE ended_at IS NULL;
CREATE INDEX conversation_state_history_started_idx ON conversation_state_history (started_at);

-- the conversations of before this file: their current state, from its latest stamp
INSERT INTO conversation_state_history (conversation_id, state, service_id, agent_id, actor, reason, started_at)
SELECT id, state, service_id, agent_id, coalesce(finished_by, 'system'), 'migrated',
       coalesce(finished_at, assigned_at, queued_at, bot_started_at, triage_at, created_at)
  FROM conversations;
