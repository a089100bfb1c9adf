-- LGPD (issue 18): the privacy officer's permission, who-saw-what by contact, retention markers and an
-- append-only audit log.

-- "Encarregado de dados (DPO)": may read the access records (Acessos a dados). Admins always may.
ALTER TABLE users ADD COLUMN privacy_officer boolean NOT NULL DEFAULT false;

-- "Who accessed this contact's data" is one indexed query on a plain column (a JSON index would tie
-- the question to each action's payload shape). No foreign key: the record outlives an erased contact.
ALTER TABLE audit_log ADD COLUMN contact_id uuid;
ALTER TABLE audit_log ADD COLUMN user_agent text;
CREATE INDEX audit_log_contact_idx ON audit_log (contact_id, at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at);

-- Retention (engine/retention/): a message whose text (or e-mail body) was anonymised carries the
-- moment, so a run killed midway resumes where it stopped and a second run touches nothing.
ALTER TABLE messages ADD COLUMN content_purged_at timestamptz;
CREATE INDEX login_failures_at_idx ON login_failures (at);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, except inside a transaction of the
-- retention job (or an erasure) that says so with SET LOCAL mirante.retention = 'on'.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'TRUNCATE' AND coalesce(current_setting('mirante.retention', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
