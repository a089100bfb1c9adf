-- The e-mail channel (channels/email/). A mailbox watcher reads a folder by UID: what it has read is
-- kept per account and folder, so that a restart (or another node taking the watcher over) neither
-- loses nor repeats a message. A new UIDVALIDITY means the server renumbered the folder: reading
-- starts over, and the Message-ID dedup keeps what was already stored from being stored twice.
CREATE TABLE email_mailbox_state (
  account_id    uuid NOT NULL REFERENCES channel_accounts (id) ON DELETE CASCADE,
  folder        text NOT NULL,
  uid_validity  bigint NOT NULL,
  last_uid      bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (account_id, folder)
);

-- Bounces (delivery status notifications), auto-replies and other machine reports (read receipts,
-- abuse feedback): recognised, kept for the record and
-- counted (/metrics), but they neither open a demand nor answer one.
CREATE TABLE email_recognised (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES channel_accounts (id) ON DELETE CASCADE,
  folder        text NOT NULL,
  uid_validity  bigint NOT NULL,
  uid           bigint NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('bounce', 'auto_reply', 'report')),
  message_id    text,
  sender        text,
  subject       text,
  received_at   timestamptz NOT NULL,
  UNIQUE (account_id, folder, uid_validity, uid)
);

-- The signature a service's e-mail replies end with (plain text; empty: none).
ALTER TABLE services ADD COLUMN email_signature text;

-- E-mail threading finds the conversation of a reply by the Message-IDs it names (In-Reply-To,
-- References): the customer's (messages.external_id) and Mirante's own (provider_message_id).
CREATE INDEX messages_email_external_idx ON messages (external_id) WHERE channel = 'email' AND external_id IS NOT NULL;
CREATE INDEX messages_email_provider_idx ON messages (provider_message_id) WHERE channel = 'email' AND provider_message_id IS NOT NULL;
