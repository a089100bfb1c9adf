-- WebChat and the bot stage (issue 4).

-- A widget's visitor identity: the browser keeps the id and a random token; only the token's SHA-256
-- is stored. The contact (channel webchat, external id = the visitor id) is made on the first chat.
CREATE TABLE webchat_visitors (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id  uuid NOT NULL REFERENCES services (id),
  token_hash  text NOT NULL,
  contact_id  uuid REFERENCES contacts (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webchat_visitors_contact_idx ON webchat_visitors (contact_id);
-- an upload names its visitor by the token alone (a header)
CREATE UNIQUE INDEX webchat_visitors_token_key ON webchat_visitors (token_hash);

-- Files sent in conversations, kept in the database so every node serves them. A visitor's upload has
-- no conversation until a message carries it.
CREATE TABLE attachments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid REFERENCES conversations (id),
  message_id       bigint REFERENCES messages (id),
  visitor_id       uuid REFERENCES webchat_visitors (id),
  uploaded_by      uuid REFERENCES users (id),
  name             text NOT NULL,
  content_type     text NOT NULL,
  size             integer NOT NULL CHECK (size >= 0),
  data             bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_conversation_idx ON attachments (conversation_id);
CREATE INDEX attachments_visitor_idx ON attachments (visitor_id, created_at);

-- The service a conversation came in on: a bot (or an agent) may move it to another service's queue,
-- and the customer's next message on the first service must still find it.
ALTER TABLE conversations ADD COLUMN entry_service_id uuid REFERENCES services (id);
-- Opened outside the service's business hours (and queued anyway, or taken as a message).
ALTER TABLE conversations ADD COLUMN outside_hours boolean NOT NULL DEFAULT false;
