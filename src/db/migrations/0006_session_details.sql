-- What a user sees of their sessions in Meu perfil, and the handle to end one: a public id (the
-- token hash is the secret's fingerprint and never leaves the server), and where the session was
-- opened from (IP and browser, as seen at sign-in).
ALTER TABLE sessions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE sessions ADD COLUMN ip text;
ALTER TABLE sessions ADD COLUMN user_agent text;
CREATE UNIQUE INDEX sessions_id_key ON sessions (id);
