-- A provider's receipt can arrive before the send's own answer has stored the provider's message id
-- (WhatsApp does this): it is parked here, by account and provider id, and applied when the outbox
-- stores that id. Receipts for other systems' messages are never claimed and are removed after a week.
CREATE TABLE parked_receipts (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_account_id  uuid,
  provider_message_id text NOT NULL,
  status              text NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
  at                  timestamptz NOT NULL,
  error_code          text,
  error_message       text,
  parked_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_receipts_message_idx ON parked_receipts (provider_message_id, channel_account_id);
CREATE INDEX parked_receipts_age_idx ON parked_receipts (parked_at);
