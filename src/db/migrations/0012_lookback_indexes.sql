-- Consultas and Histórico (the looking-back lists and their exports) over millions of conversations.
--
-- The default order (start, newest first) and a period's total read one index: the period's range of
-- (created_at, id), carrying every column an equality filter or the access scope tests, so a month's
-- count with any of those filters is an index-only scan and a first page stops after its rows.
CREATE INDEX conversations_lookback_idx ON conversations (created_at, id)
  INCLUDE (service_id, channel, state, agent_id, classification_id, contact_id);
-- a service (the filter, and a supervisor's scope), a rare agent or classification: its own rows in
-- start order, not the period's rows filtered
CREATE INDEX conversations_service_created_idx ON conversations (service_id, created_at);
CREATE INDEX conversations_agent_created_idx ON conversations (agent_id, created_at) WHERE agent_id IS NOT NULL;
CREATE INDEX conversations_classification_created_idx ON conversations (classification_id, created_at) WHERE classification_id IS NOT NULL;

-- "Nome ou Número de Origem" and the text of the messages are ILIKE '%…%' searches: trigram indexes
-- find the few matching contacts or messages instead of reading every one (3 characters or more).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (email gin_trgm_ops);
CREATE INDEX contacts_phone_trgm_idx ON contacts USING gin (phone gin_trgm_ops);
CREATE INDEX contact_identities_external_trgm_idx ON contact_identities USING gin (external_id gin_trgm_ops);
CREATE INDEX contact_identities_display_trgm_idx ON contact_identities USING gin (display_name gin_trgm_ops);
CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops);
