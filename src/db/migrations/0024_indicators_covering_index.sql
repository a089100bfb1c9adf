-- Indicadores over millions (issue 16): the period's range of finished conversations carries every
-- column the one pass reads (the grouped columns and the two assignment times), so a month is an
-- index-only scan instead of a heap fetch per conversation. Same key as the index it replaces, so
-- the other readers of (finished_at, service_id) keep their plans.
DROP INDEX conversations_finished_idx;
CREATE INDEX conversations_finished_idx ON conversations (finished_at, service_id)
  INCLUDE (channel, agent_id, direction, state, classification_id, first_assigned_at, assigned_at);
-- The planner multiplies the six columns' distinct counts (hundreds of thousands of groups) where a
-- year has ~16,000 combinations: it then sorted on disk instead of hashing. Their real joint count:
CREATE STATISTICS conversations_indicators_stats (ndistinct)
  ON service_id, channel, agent_id, direction, state, classification_id FROM conversations;
ANALYZE conversations;
