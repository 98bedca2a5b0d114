-- Order data OUT: every outbox row is delivered to the shop's external system, in order per order, and each
-- attempt is kept. A row is pending until delivered; failed once its retries are spent, until an operator redelivers.
ALTER TABLE order_outbox
  ADD COLUMN status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  ADD COLUMN attempts      integer     NOT NULL DEFAULT 0,
  ADD COLUMN delivered_at  timestamptz,
  ADD COLUMN last_error    text,
  ADD COLUMN dispatched_at timestamptz;  -- when a delivery workflow was told about it
CREATE INDEX order_outbox_pending ON order_outbox (id) WHERE status = 'pending';

CREATE TABLE order_out_attempts (
  id                bigserial   PRIMARY KEY,
  outbox_id         bigint      NOT NULL REFERENCES order_outbox (id),
  attempted_at      timestamptz NOT NULL DEFAULT now(),
  http_status       integer,
  response_excerpt  text,
  error             text,
  duration_ms       integer     NOT NULL
);
CREATE INDEX order_out_attempts_outbox ON order_out_attempts (outbox_id, id);

-- Which order fields each shop's external system receives (NULL: all of them).
CREATE TABLE order_out_settings (
  shop_id  text   PRIMARY KEY,
  fields   text[]
);
