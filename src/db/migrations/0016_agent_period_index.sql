-- Atendentes (Análise da Operação): the conversations agents ended in a period, by outcome. The
-- columns the figures read ride along in the index, so a month (hundreds of thousands of rows) is
-- read from the index alone instead of from the table's pages.
CREATE INDEX conversations_agent_period_idx ON conversations (finished_at) INCLUDE (agent_id, state, assigned_at, service_id)
  WHERE agent_id IS NOT NULL;
