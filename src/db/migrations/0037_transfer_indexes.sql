-- Produtividade por agente's transfers (issue 16: each report for a month ≤ 500 ms): each transfer row
-- of the period and the row before it in its conversation (whose agent made the transfer), both read
-- from an index alone. Before, the period's rows came from 0032's partial index through the heap,
-- and each one's previous row from conversation_state_history_conv_idx (every row of the
-- conversation fetched from the heap, filtered on id and sorted): ~120 ms for the ~5,900 transfers
-- of a month on the 3 M seed, against ~30 ms now (docs/BENCHMARKS.md, "Produtividade por agente").
--
-- Cost on writes: the transfer index holds only `transferred` rows; the previous-row index takes one
-- entry per state row, and one more when the row is closed (setting ended_at is not a HOT update
-- already: the open rows' partial index reads it). On the 3 M seed (3.2 M state rows) it builds in ~3 s.

-- the period's transfers with what the report reads of them
DROP INDEX conversation_state_history_transfers_idx;
CREATE INDEX conversation_state_history_transfers_idx ON conversation_state_history (started_at)
  INCLUDE (conversation_id, id, state, agent_id) WHERE reason = 'transferred';

-- a state row's predecessor in its conversation (the last row of a smaller id) and its agent
CREATE INDEX conversation_state_history_previous_idx ON conversation_state_history (conversation_id, id) INCLUDE (agent_id);
