-- Mirante schema, version 1: the data model for the whole mission (see docs/ARCHITECTURE.md).
-- Every duration is derived from timestamps (reference/metrics.md); nothing is typed in.

-- People ---------------------------------------------------------------------------------------
CREATE TABLE users (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL,
  name            text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
  password_hash   text NOT NULL,
  language        text NOT NULL DEFAULT 'pt-BR' CHECK (language IN ('pt-BR', 'en')),
  -- "Vincular" in the Agentes screen: this collaborator works as an omnichannel agent.
  agent_enabled   boolean NOT NULL DEFAULT false,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_failures (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email  text NOT NULL,
  ip     text NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- Teams (departamentos) with their per-agent limits --------------------------------------------
CREATE TABLE teams (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL,
  -- "Vincular" in the Departamentos screen: the team works as an omnichannel department.
  omni_enabled     boolean NOT NULL DEFAULT true,
  max_chat         integer NOT NULL DEFAULT 3 CHECK (max_chat BETWEEN 1 AND 100),
  max_email        integer NOT NULL DEFAULT 5 CHECK (max_email BETWEEN 1 AND 100),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

CREATE TABLE team_agents (
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_agents_user_idx ON team_agents (user_id);

CREATE TABLE team_supervisors (
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_supervisors_user_idx ON team_supervisors (user_id);

-- Channel accounts: provider credentials, encrypted at rest (AES-256-GCM, MIRANTE_SECRET_KEY) ----
CREATE TABLE channel_accounts (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel               text NOT NULL CHECK (channel IN ('webchat', 'email', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'api')),
  name                  text NOT NULL,
  provider              text,
  credentials_encrypted text,
  config                jsonb NOT NULL DEFAULT '{}'::jsonb,
  active                boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Services: a queue on one channel, served by one or more teams ---------------------------------
CREATE TABLE services (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                      text NOT NULL,
  -- public key used by the WebChat widget and the API channel URL
  key                       text NOT NULL UNIQUE,
  channel                   text NOT NULL CHECK (channel IN ('webchat', 'email', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'api')),
  channel_account_id        uuid REFERENCES channel_accounts (id) ON DELETE SET NULL,
  bot_flow                  jsonb,
  service_level_seconds     integer NOT NULL DEFAULT 60 CHECK (service_level_seconds > 0),
  tma_goal_seconds          integer NOT NULL DEFAULT 600 CHECK (tma_goal_seconds > 0),
  bot_timeout_seconds       integer NOT NULL DEFAULT 600 CHECK (bot_timeout_seconds > 0),
  queue_timeout_seconds     integer NOT NULL DEFAULT 1800 CHECK (queue_timeout_seconds > 0),
  inactivity_timeout_seconds integer NOT NULL DEFAULT 900 CHECK (inactivity_timeout_seconds > 0),
  email_triage              boolean NOT NULL DEFAULT false,
  business_hours            jsonb,
  prechat_form              jsonb,
  api_token_hash            text,
  outbound_webhook_url      text,
  outbound_webhook_secret_encrypted text,
  active                    boolean NOT NULL DEFAULT true,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX services_name_key ON services (lower(name));

CREATE TABLE service_teams (
  service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  PRIMARY KEY (service_id, team_id)
);
CREATE INDEX service_teams_team_idx ON service_teams (team_id);

-- Wrap-up: pause reasons, classifications, per-service fields ----------------------------------
CREATE TABLE pause_reasons (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  -- alert when a pause with this reason lasts longer (null: the global setting)
  max_minutes   integer CHECK (max_minutes > 0),
  productive    boolean NOT NULL DEFAULT false,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pause_reasons_name_key ON pause_reasons (lower(name));

CREATE TABLE classifications (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL,
  name        text NOT NULL,
  -- null: valid for every service
  service_ids uuid[],
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX classifications_code_key ON classifications (lower(code));

CREATE TABLE wrapup_fields (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  key         text NOT NULL,
  label       text NOT NULL,
  type        text NOT NULL CHECK (type IN ('text', 'number', 'select', 'boolean')),
  options     jsonb,
  required    boolean NOT NULL DEFAULT false,
  position    integer NOT NULL DEFAULT 0,
  UNIQUE (service_id, key)
);

-- Templates of communication ---------------------------------------------------------------------
CREATE TABLE template_categories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        integer NOT NULL UNIQUE,
  title       text NOT NULL,
  type        text NOT NULL CHECK (type IN ('protocol_update')),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE templates (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id       uuid NOT NULL REFERENCES template_categories (id),
  name              text NOT NULL,
  channel           text CHECK (channel IN ('webchat', 'email', 'whatsapp', 'instagram', 'facebook', 'telegram', 'sms', 'api')),
  language          text NOT NULL DEFAULT 'pt_BR',
  body              text NOT NULL,
  -- the provider's approved template name (WhatsApp HSM), when it has one
  provider_template text,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX templates_name_key ON templates (lower(name));

-- Contacts ---------------------------------------------------------------------------------------
CREATE TABLE contacts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text,
  email       text,
  phone       text,
  cpf         text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  anonymized_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_name_idx ON contacts (lower(name));
CREATE INDEX contacts_phone_idx ON contacts (phone);

CREATE TABLE contact_identities (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id  uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  channel     text NOT NULL,
  external_id text NOT NULL,
  display_name text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_id)
);
CREATE INDEX contact_identities_contact_idx ON contact_identities (contact_id);

-- Conversations (atendimentos) --------------------------------------------------------------------
CREATE TABLE protocol_sequences (
  day   date PRIMARY KEY,
  last  integer NOT NULL
);

CREATE TABLE conversations (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  protocol               text NOT NULL UNIQUE,
  service_id             uuid NOT NULL REFERENCES services (id),
  channel                text NOT NULL,
  contact_id             uuid NOT NULL REFERENCES contacts (id),
  direction              text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
  state                  text NOT NULL CHECK (state IN ('triage', 'bot', 'queued', 'in_service', 'completed', 'cancelled',
                           'abandoned', 'customer_gave_up', 'connection_lost', 'inactive_in_service', 'discarded')),
  priority               text NOT NULL DEFAULT 'normal' CHECK (priority IN ('manual', 'returned', 'normal')),
  preferred_agent_id     uuid REFERENCES users (id),
  agent_id               uuid REFERENCES users (id),
  subject                text,
  bot_state              jsonb,
  -- timestamps of every stage (metrics.md)
  created_at             timestamptz NOT NULL DEFAULT now(),
  triage_at              timestamptz,
  bot_started_at         timestamptz,
  bot_ended_at           timestamptz,
  queued_at              timestamptz,
  first_queued_at        timestamptz,
  assigned_at            timestamptz,
  first_assigned_at      timestamptz,
  first_agent_message_at timestamptz,
  last_customer_message_at timestamptz,
  last_agent_message_at  timestamptz,
  last_message_at        timestamptz,
  last_message_from      text CHECK (last_message_from IN ('customer', 'agent', 'bot', 'system')),
  finished_at            timestamptz,
  finished_by            text CHECK (finished_by IN ('customer', 'agent', 'supervisor', 'bot', 'system')),
  -- wrap-up (ficha de atendimento)
  classification_id      uuid REFERENCES classifications (id),
  wrapup                 jsonb,
  notes                  text,
  transfer_count         integer NOT NULL DEFAULT 0,
  version                integer NOT NULL DEFAULT 0
);
-- the monitor reads open conversations by state, service and agent
CREATE INDEX conversations_open_idx ON conversations (state, service_id)
  WHERE state IN ('triage', 'bot', 'queued', 'in_service');
CREATE INDEX conversations_agent_open_idx ON conversations (agent_id) WHERE state = 'in_service';
CREATE INDEX conversations_queue_idx ON conversations (service_id, priority, queued_at) WHERE state = 'queued';
-- reports read finished conversations by day, service, channel and agent
CREATE INDEX conversations_finished_idx ON conversations (finished_at, service_id);
CREATE INDEX conversations_created_idx ON conversations (created_at);
CREATE INDEX conversations_agent_finished_idx ON conversations (agent_id, finished_at);
CREATE INDEX conversations_contact_idx ON conversations (contact_id, created_at);

CREATE TABLE messages (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id  uuid NOT NULL REFERENCES conversations (id),
  channel          text NOT NULL,
  external_id      text,
  author_type      text NOT NULL CHECK (author_type IN ('customer', 'agent', 'bot', 'system')),
  author_id        uuid REFERENCES users (id),
  body             text NOT NULL DEFAULT '',
  content_type     text NOT NULL DEFAULT 'text',
  attachments      jsonb,
  payload          jsonb,
  delivery_status  text CHECK (delivery_status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
-- a repeated provider delivery is accepted and ignored
CREATE UNIQUE INDEX messages_external_key ON messages (channel, external_id) WHERE external_id IS NOT NULL;

-- Supervisor chat (whisper): never shown to the customer
CREATE TABLE supervisor_messages (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id  uuid NOT NULL REFERENCES conversations (id),
  author_id        uuid NOT NULL REFERENCES users (id),
  agent_id         uuid NOT NULL REFERENCES users (id),
  body             text NOT NULL,
  read_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervisor_messages_conv_idx ON supervisor_messages (conversation_id, id);
CREATE INDEX supervisor_messages_agent_idx ON supervisor_messages (agent_id, id);

-- The append-only event log: one row per domain event, its seq is the realtime sequence number
CREATE TABLE events (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type             text NOT NULL,
  conversation_id  uuid,
  agent_id         uuid,
  service_id       uuid,
  actor_type       text,
  actor_id         uuid,
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
  at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_conversation_idx ON events (conversation_id, seq);
CREATE INDEX events_at_idx ON events (at);

-- Agent presence: the current state, and the history of every state (login, pause, logout) ------
CREATE TABLE agent_presence (
  user_id               uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  state                 text NOT NULL DEFAULT 'offline' CHECK (state IN ('offline', 'available', 'paused', 'in_service')),
  pause_reason_id       uuid REFERENCES pause_reasons (id),
  pending_pause_reason_id uuid REFERENCES pause_reasons (id),
  state_since           timestamptz NOT NULL DEFAULT now(),
  logged_in_at          timestamptz,
  open_chat             integer NOT NULL DEFAULT 0 CHECK (open_chat >= 0),
  open_email            integer NOT NULL DEFAULT 0 CHECK (open_email >= 0),
  last_assigned_at      timestamptz,
  last_heartbeat_at     timestamptz,
  disconnected_at       timestamptz
);

CREATE TABLE agent_state_history (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  state            text NOT NULL CHECK (state IN ('offline', 'available', 'paused', 'in_service')),
  pause_reason_id  uuid REFERENCES pause_reasons (id),
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz
);
CREATE INDEX agent_state_history_user_idx ON agent_state_history (user_id, started_at);
CREATE INDEX agent_state_history_started_idx ON agent_state_history (started_at);

-- Timers: deadlines fired by a scheduler that survives restarts --------------------------------
CREATE TABLE timers (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL,
  conversation_id  uuid REFERENCES conversations (id),
  user_id          uuid REFERENCES users (id),
  due_at           timestamptz NOT NULL,
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE NULLS NOT DISTINCT (kind, conversation_id, user_id)
);
CREATE INDEX timers_due_idx ON timers (due_at);

-- Durable outbox for everything sent to the outside (provider APIs, webhooks) ------------------
CREATE TABLE outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL,
  message_id       bigint REFERENCES messages (id),
  target           text,
  payload          jsonb NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Settings, alerts, audit -----------------------------------------------------------------------
CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE alerts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule          text NOT NULL,
  severity      text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  service_id    uuid REFERENCES services (id) ON DELETE SET NULL,
  team_ids      uuid[],
  message       text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX alerts_created_idx ON alerts (created_at);
-- one open alert per rule and subject
CREATE UNIQUE INDEX alerts_open_key ON alerts (rule, subject_type, subject_id) WHERE resolved_at IS NULL;

CREATE TABLE alert_reads (
  alert_id  bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  read_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, user_id)
);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
  actor_name  text,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text,
  before      jsonb,
  after       jsonb,
  ip          text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
