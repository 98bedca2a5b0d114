-- Operators (seed 004 権限: 参照 viewer, 更新 operator, admin also settings, accounts and operators), their API tokens
-- (only a hash is kept; the token is shown once), and the audit trail of every state-changing call.
CREATE TABLE operators (
  id          text        PRIMARY KEY,
  name        text        NOT NULL UNIQUE,
  role        text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  shops       text[],                                -- null: every shop
  disabled    boolean     NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE operator_tokens (
  id           text        PRIMARY KEY,
  operator_id  text        NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  token_hash   text        NOT NULL UNIQUE,          -- sha256 of a 256-bit random token: enough for a secret this strong
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX operator_tokens_operator ON operator_tokens (operator_id);

-- Written before the effect (outcome 'pending'), its outcome recorded after: an effect never happens unaudited, and a
-- crash in between leaves an honest 'pending'.
CREATE TABLE audit_log (
  id           bigserial   PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  operator_id  text        NOT NULL,
  operator     text        NOT NULL,                 -- the name at the time
  shop_id      text,                                 -- null for deployment-wide changes (operators, tokens)
  process      text,
  order_id     text,
  action       text        NOT NULL,
  input        jsonb,
  outcome      text        NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'applied', 'refused', 'failed')),
  reason       text,
  http_status  integer,                              -- what the caller was answered: 409, 404, 403, …; null when applied
  bulk_id      text,
  finished_at  timestamptz
);
CREATE INDEX audit_log_shop ON audit_log (shop_id, id DESC);
CREATE INDEX audit_log_order ON audit_log (shop_id, order_id, id DESC);
CREATE INDEX audit_log_bulk ON audit_log (bulk_id, order_id) WHERE bulk_id IS NOT NULL;
