-- Templates that a provider approves (issue 17): the WhatsApp account a template belongs to, its
-- components as the provider takes them, and the provider's verdict (status, reason, quality),
-- kept by the submit, the status webhook and "Sincronizar". Categories get the types users need.
ALTER TABLE template_categories DROP CONSTRAINT IF EXISTS template_categories_type_check;
ALTER TABLE template_categories ADD CONSTRAINT template_categories_type_check
  CHECK (type IN ('protocol_update', 'notification', 'billing', 'satisfaction_survey', 'marketing'));

ALTER TABLE templates
  ADD COLUMN channel_account_id uuid REFERENCES channel_accounts (id),
  ADD COLUMN provider_category  text CHECK (provider_category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
  ADD COLUMN header             text,
  ADD COLUMN footer             text,
  ADD COLUMN buttons            jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN examples           jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN provider_id        text,
  ADD COLUMN status             text CHECK (status IN ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED')),
  ADD COLUMN status_reason      text,
  ADD COLUMN quality            text,
  ADD COLUMN status_at          timestamptz;
-- a provider's status webhook names the template by the provider's id
CREATE INDEX templates_provider_idx ON templates (channel_account_id, provider_id) WHERE provider_id IS NOT NULL;

-- Opt-out: a contact who asked not to be sent active messages (a word, or an agent's mark)
ALTER TABLE contacts
  ADD COLUMN opted_out_at     timestamptz,
  ADD COLUMN opted_out_reason text,
  ADD COLUMN opted_out_by     uuid REFERENCES users (id);
