-- Titulares (LGPD): a person is looked up by CPF (an exact 11-digit match); name, e-mail, phone and
-- channel handles already have trigram indexes (0012_lookback_indexes.sql).
CREATE INDEX contacts_cpf_idx ON contacts (cpf) WHERE cpf IS NOT NULL;
