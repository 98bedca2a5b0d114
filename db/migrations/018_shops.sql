-- Shops as tenants: one deployment serves many shops. Each shop's record (seed 004: administrators' addresses and the
-- shop's 通知先, and which mails go to which) and its settings per process, each validated by its schema in
-- shops/settings.ts (what is stored here has passed it; a missing row means the defaults).
CREATE TABLE shops (
  id            text        PRIMARY KEY,
  name          text        NOT NULL,
  enabled       boolean     NOT NULL DEFAULT true,
  admin_emails  text[]      NOT NULL DEFAULT '{}',
  notify_email  text,
  mail_routes   jsonb       NOT NULL DEFAULT '{}',   -- mail kind → ["admins", "notify"]; absent kinds go to both
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shop_settings (
  shop_id     text        NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  process     text        NOT NULL,
  settings    jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, process)
);
