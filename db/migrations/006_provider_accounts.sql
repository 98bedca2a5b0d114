-- Per shop and provider, the account sealed with AES-256-GCM (accounts/account-crypto.ts). key_id names the key that
-- sealed it, so keys rotate; the masked view is what the API shows and holds no secret.
CREATE TABLE provider_accounts (
  shop_id     text        NOT NULL,
  provider    text        NOT NULL,
  key_id      text        NOT NULL,
  nonce       text        NOT NULL,
  ciphertext  text        NOT NULL,
  tag         text        NOT NULL,
  masked      jsonb       NOT NULL,
  version     integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, provider)
);
