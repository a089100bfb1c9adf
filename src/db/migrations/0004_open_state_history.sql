-- An agent's open state-history row (ended_at IS NULL) is closed on every change of state: an
-- assignment that makes them busy, a pause, a resume, a logout. Found through this index instead of
-- through all of the agent's history, which grows every working day.
CREATE INDEX agent_state_history_open_idx ON agent_state_history (user_id) WHERE ended_at IS NULL;
