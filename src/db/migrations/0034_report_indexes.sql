-- Relatórios over millions (issue 16: each report for a month at 30 minutes ≤ 500 ms): the ranges the
-- conversation reports read, carrying the columns they read, so a month is an index-only scan of its
-- own rows instead of a pass over every conversation (the milestone columns had no index) or a heap
-- fetch per row. Measured in docs/BENCHMARKS.md ("Relatórios over millions").
--
-- Cost on writes: the milestone indexes are partial (a conversation enters each once its milestone
-- is set) and every column they carry is already in another index (0012's lookback index, 0001's
-- open and queue indexes), so they change no update from HOT to non-HOT; a non-HOT update (a state
-- change) writes one index entry more per milestone the conversation has. The wrap-up index's
-- condition reads `wrapup`, so writing the answers is not a HOT update (it comes with the end, which
-- is not one either). The two message indexes hold only bot menus and templates (a few of a
-- conversation's messages); a customer's or agent's message writes nothing more. On the 3 M seed the
-- migration took 34 s (docs/BENCHMARKS.md, "Relatórios over millions").

-- 1. Atendimentos por intervalo (and Gráficos' raw intervals): each milestone's range with the
-- columns its figures, the caller's scope (agent_id, service_id) and the filters read.
CREATE INDEX conversations_first_queued_idx ON conversations (first_queued_at)
  INCLUDE (service_id, channel, agent_id) WHERE first_queued_at IS NOT NULL;
CREATE INDEX conversations_first_assigned_idx ON conversations (first_assigned_at)
  INCLUDE (service_id, channel, agent_id, first_queued_at) WHERE first_assigned_at IS NOT NULL;
CREATE INDEX conversations_first_agent_message_idx ON conversations (first_agent_message_at)
  INCLUDE (service_id, channel, agent_id, first_assigned_at) WHERE first_agent_message_at IS NOT NULL;
-- the ends: 0024's index (same key, so its readers keep their plans) also carries the queue entries
-- an abandon's wait is measured from
DROP INDEX conversations_finished_idx;
CREATE INDEX conversations_finished_idx ON conversations (finished_at, service_id)
  INCLUDE (channel, agent_id, direction, state, classification_id, first_assigned_at, assigned_at, first_queued_at, queued_at);

-- 9. Mensagens ativas: the period's templates among every message (messages had no index by time).
CREATE INDEX messages_template_created_idx ON messages (created_at) WHERE content_type = 'template';

-- 6. Pré-atendimento: a conversation's bot menus, whose next message is the answer the report matches.
CREATE INDEX messages_bot_menu_idx ON messages (conversation_id, id)
  WHERE author_type = 'bot' AND jsonb_typeof(payload -> 'options') = 'array';

-- 4. Classificações: the ends that have a wrap-up answer (the answers themselves are read from the
-- table: a free-text answer may be longer than an index entry can hold).
CREATE INDEX conversations_finished_wrapup_idx ON conversations (finished_at) INCLUDE (service_id, channel, agent_id)
  WHERE jsonb_typeof(wrapup) = 'object' AND wrapup <> '{}'::jsonb;
