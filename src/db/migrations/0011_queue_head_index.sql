-- Routing reads only the head of each queue (src/engine/router.ts): per service, the conversations
-- waiting in routing order — priority `returned` before `normal` (`manual` ones are read apart), then
-- the oldest, then the id — as many as there are free slots. This index hands them over in that order,
-- so a pass's cost follows the free slots, not the backlog. It replaces the one on
-- (service_id, priority, queued_at), whose order (manual, normal, returned) was not routing's.
DROP INDEX IF EXISTS conversations_queue_idx;
CREATE INDEX conversations_queue_head_idx ON conversations (service_id, priority DESC, queued_at, id) WHERE state = 'queued';
