-- The outbox's dead letters, and delivery receipts on messages (issue 11, point 3).

-- An item that failed for good (a permanent failure, its attempts or its age used up): never due
-- again, kept with its last error. Dead rows also keep next_attempt_at = 'infinity', so the claim's
-- index (outbox_pending_idx) never sees them.
ALTER TABLE outbox ADD COLUMN dead_at timestamptz;
-- the permanent failures of before this file were marked only by that 'infinity'
UPDATE outbox SET dead_at = now() WHERE delivered_at IS NULL AND next_attempt_at = 'infinity';
CREATE INDEX outbox_dead_idx ON outbox (dead_at) WHERE dead_at IS NOT NULL;

-- What the provider said about an outgoing message. provider_message_id is the provider's id for it
-- (wamid…, SM…), unique within the channel account that sent it (provider_account_id, null when
-- the service has none); receipts find their message by both. The *_at are the provider's times;
-- failed_reason/failed_code the provider's (or the outbox's last) error.
ALTER TABLE messages
  ADD COLUMN provider_message_id text,
  ADD COLUMN provider_account_id uuid,
  ADD COLUMN sent_at timestamptz,
  ADD COLUMN delivered_at timestamptz,
  ADD COLUMN read_at timestamptz,
  ADD COLUMN failed_at timestamptz,
  ADD COLUMN failed_code text,
  ADD COLUMN failed_reason text;
CREATE INDEX messages_provider_idx ON messages (provider_message_id, provider_account_id) WHERE provider_message_id IS NOT NULL;

UPDATE messages m SET failed_reason = o.last_error, failed_at = o.dead_at
  FROM outbox o WHERE o.message_id = m.id AND o.dead_at IS NOT NULL AND m.delivery_status = 'failed';
