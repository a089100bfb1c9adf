-- Outbound conversations from the desk and protocol updates (issue 17).
-- outbound_reply: when the customer answers an agent's outbound conversation, it stays with that
-- agent ('agent', the default; to the queue when the agent is offline by then) or goes to the
-- service's queue ('queue').
-- protocol_update_*: the template (category type protocol_update) sent on the chosen transitions of
-- the service's conversations; none chosen, nothing sent.
ALTER TABLE services
  ADD COLUMN outbound_reply text NOT NULL DEFAULT 'agent' CHECK (outbound_reply IN ('agent', 'queue')),
  ADD COLUMN protocol_update_template_id uuid REFERENCES templates (id),
  ADD COLUMN protocol_update_on text[] NOT NULL DEFAULT '{}';
