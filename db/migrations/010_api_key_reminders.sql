-- One reminder per shop, provider and key: a key renewed (a new issue date) gets its own.
CREATE TABLE api_key_reminders (
  shop_id    text        NOT NULL,
  provider   text        NOT NULL,
  issued_on  date        NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, provider, issued_on)
);
