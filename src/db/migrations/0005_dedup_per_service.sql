-- A provider's message id is unique per provider account (a WhatsApp number, a bot, an API service),
-- not per channel: two API services may both send "order-1". A repeated delivery is recognised by
-- (dedup_scope, external_id), the scope being the service the message came in on (a service receives
-- from at most one channel account). Set exactly when external_id is.
ALTER TABLE messages ADD COLUMN dedup_scope uuid;

-- Only the messages that carry an external id are written (no default: the rest of the table is not
-- rewritten). Until now a message did not record its service: the conversation's entry service is
-- where it came in (a conversation opened before 0003 has none: its current service, then).
UPDATE messages m SET dedup_scope = coalesce(c.entry_service_id, c.service_id)
  FROM conversations c
 WHERE c.id = m.conversation_id AND m.external_id IS NOT NULL;

CREATE UNIQUE INDEX messages_dedup_key ON messages (dedup_scope, external_id) WHERE external_id IS NOT NULL;
DROP INDEX messages_external_key;
ALTER TABLE messages ADD CONSTRAINT messages_dedup_scope_check CHECK ((external_id IS NULL) = (dedup_scope IS NULL));
