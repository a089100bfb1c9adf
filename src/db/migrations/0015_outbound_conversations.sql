-- Mensagens ativas (Análise da Operação): the outbound conversations, newest first. A small partial
-- index: outbound conversations are few beside the inbound millions, and the list must not scan those.
CREATE INDEX conversations_outbound_idx ON conversations (created_at DESC, id DESC) WHERE direction = 'outbound';
