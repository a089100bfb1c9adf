-- Carteira WhatsApp: the last reading of each WhatsApp account's wallet (Gupshup's balance and
-- currency) and number (quality, messaging limit), taken from the provider on a timer by the node
-- holding the account's lease (channels/whatsapp/wallet.ts, engine/whatsapp-wallet.ts).
CREATE TABLE whatsapp_wallets (
  channel_account_id uuid PRIMARY KEY REFERENCES channel_accounts (id) ON DELETE CASCADE,
  balance            numeric,
  currency           text,
  overdraft_limit    numeric,
  quality            text CHECK (quality IN ('GREEN', 'YELLOW', 'RED')),
  messaging_limit    text,
  read_at            timestamptz,
  -- the provider's answer when the last reading failed (the figures stay those of the one before)
  error              text,
  error_at           timestamptz
);
