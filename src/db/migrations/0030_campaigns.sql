-- Campaigns (Mensagens ativas, issue 17): a supervisor's CSV of contacts sent one approved template,
-- at the rate the number's messaging limit allows, inside a window of hours. One row per CSV line
-- (the skipped ones too, with their reason), so the screen can say what happened to each line.
CREATE TABLE campaigns (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name               text NOT NULL,
  template_id        uuid NOT NULL REFERENCES templates (id),
  service_id         uuid NOT NULL REFERENCES services (id),
  channel_account_id uuid NOT NULL REFERENCES channel_accounts (id),
  window_from        text NOT NULL,
  window_to          text NOT NULL,
  start_at           timestamptz NOT NULL,
  status             text NOT NULL CHECK (status IN ('scheduled', 'running', 'paused', 'finished', 'cancelled')),
  rate_per_second    real NOT NULL DEFAULT 0,
  -- the progress, one count per recipient status (each row counted once, in its current status),
  -- kept in the transaction of every recipient change: the screen never counts 100,000 rows
  total              integer NOT NULL DEFAULT 0,
  queued             integer NOT NULL DEFAULT 0,
  sent               integer NOT NULL DEFAULT 0,
  delivered          integer NOT NULL DEFAULT 0,
  read               integer NOT NULL DEFAULT 0,
  failed             integer NOT NULL DEFAULT 0,
  answered           integer NOT NULL DEFAULT 0,
  skipped            integer NOT NULL DEFAULT 0,
  created_by         uuid NOT NULL REFERENCES users (id),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  finished_at        timestamptz
);
CREATE INDEX campaigns_created_idx ON campaigns (created_at DESC, id DESC);
-- the sender looks only at the campaigns that may still send
CREATE INDEX campaigns_active_idx ON campaigns (start_at) WHERE status IN ('scheduled', 'running');

CREATE TABLE campaign_recipients (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id         uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  line                integer NOT NULL,
  -- E.164 when valid; the text of the CSV otherwise (a skipped invalid row)
  phone               text NOT NULL,
  name                text,
  parameters          jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- 'sending': claimed by a node and being sent now (shown as queued); see docs/CAMPAIGNS.md
  status              text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'answered', 'skipped')),
  -- why skipped or failed: opted_out, duplicate, invalid_phone, missing_parameter, interrupted, provider
  reason              text,
  -- the provider's code and text of a failure
  error_code          text,
  error_message       text,
  provider_message_id text,
  sending_by          text,
  sending_at          timestamptz,
  sent_at             timestamptz,
  delivered_at        timestamptz,
  read_at             timestamptz,
  failed_at           timestamptz,
  answered_at         timestamptz,
  conversation_id     uuid REFERENCES conversations (id),
  UNIQUE (campaign_id, line)
);
-- the sender's claim: the next queued rows of a campaign, in line order
CREATE INDEX campaign_recipients_queue_idx ON campaign_recipients (campaign_id, line) WHERE status IN ('queued', 'sending');
-- the screen's list by status
CREATE INDEX campaign_recipients_status_idx ON campaign_recipients (campaign_id, status, line);
-- receipts name the provider's id
CREATE INDEX campaign_recipients_provider_idx ON campaign_recipients (provider_message_id) WHERE provider_message_id IS NOT NULL;
-- an inbound message from a number that a campaign reached: answered
CREATE INDEX campaign_recipients_answer_idx ON campaign_recipients (phone, sent_at DESC) WHERE status IN ('sent', 'delivered', 'read');

-- the conversation a recipient's answer opened is the campaign's (Tipo Ativo)
ALTER TABLE conversations ADD COLUMN campaign_id uuid REFERENCES campaigns (id);
