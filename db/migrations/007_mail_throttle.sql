-- Every mail renkei sends or holds back (#1241), and the per-shop throttle on admin mails to one address.
CREATE TABLE mail_throttle_settings (
  shop_id         text    PRIMARY KEY,
  window_seconds  integer NOT NULL CHECK (window_seconds BETWEEN 60 AND 86400),
  threshold       integer NOT NULL CHECK (threshold BETWEEN 1 AND 10000)
);

-- One row per shop, address and fixed window: the count decides, atomically across workers.
CREATE TABLE mail_throttle_windows (
  shop_id          text        NOT NULL,
  recipient        text        NOT NULL,
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  accepted         integer     NOT NULL DEFAULT 0,
  suppressed       integer     NOT NULL DEFAULT 0,
  summary_sent_at  timestamptz,
  last_held        boolean     NOT NULL DEFAULT false,  -- the decision of the latest mail counted here
  PRIMARY KEY (shop_id, recipient, window_start)
);
CREATE INDEX mail_throttle_windows_due ON mail_throttle_windows (window_end) WHERE suppressed > 0 AND summary_sent_at IS NULL;

CREATE TABLE mail_log (
  id          bigserial   PRIMARY KEY,
  shop_id     text        NOT NULL,
  recipient   text        NOT NULL,
  audience    text        NOT NULL CHECK (audience IN ('admin', 'end-user')),
  subject     text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('sending', 'sent', 'suppressed', 'failed')),
  is_summary  boolean     NOT NULL DEFAULT false,
  error       text,
  dedupe_key  text        UNIQUE,  -- the activity that sends it: a retry sends again at most, never counts twice
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX mail_log_shop ON mail_log (shop_id, id DESC);
