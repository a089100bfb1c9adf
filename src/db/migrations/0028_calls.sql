-- Audio and video calls inside a WebChat conversation (issue 19): one row per call, kept as it rings,
-- is answered, switches media and ends. Answered time is split by what the call carried:
-- audio_seconds / video_seconds are the closed segments, media_since starts the open one (while
-- active), so T.Audio and T.Video are plain sums.
CREATE TABLE calls (
  id               uuid PRIMARY KEY,
  conversation_id  uuid NOT NULL REFERENCES conversations (id),
  service_id       uuid NOT NULL REFERENCES services (id),
  kind             text NOT NULL CHECK (kind IN ('audio', 'video')),
  caller           text NOT NULL CHECK (caller IN ('agent', 'customer')),
  agent_id         uuid REFERENCES users (id),
  state            text NOT NULL CHECK (state IN ('ringing', 'active', 'ended', 'missed', 'declined', 'failed')),
  video            boolean NOT NULL,
  ring_at          timestamptz NOT NULL,
  answered_at      timestamptz,
  ended_at         timestamptz,
  ended_by         text CHECK (ended_by IN ('agent', 'customer', 'system')),
  failure          text,
  media_since      timestamptz,
  audio_seconds    integer NOT NULL DEFAULT 0,
  video_seconds    integer NOT NULL DEFAULT 0
);
-- one live call per conversation: two nodes cannot both start one
CREATE UNIQUE INDEX calls_one_live_idx ON calls (conversation_id) WHERE state IN ('ringing', 'active');
-- the figures: per conversation (ficha, Consultas, Atendimentos OMNI), by period (Chamadas, DurMedia)
CREATE INDEX calls_conversation_idx ON calls (conversation_id);
CREATE INDEX calls_ring_at_idx ON calls (ring_at, service_id);
-- "em chamada": the agent's answered call
CREATE INDEX calls_agent_live_idx ON calls (agent_id) WHERE state = 'active';

-- WebChat: the customer may ask for a call (the agent may always call)
ALTER TABLE services ADD COLUMN customer_calls boolean NOT NULL DEFAULT false;
