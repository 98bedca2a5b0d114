-- Bulk actions (issue 11 section 3): one operator action on many orders of a shop, run by one durable workflow.
-- The order ids are stored when the bulk action is created, each order's outcome as the workflow records it, so
-- progress is read from here, not from the workflow.
CREATE TABLE bulk_actions (
  id               text        PRIMARY KEY,          -- 32 hex; derived from the Idempotency-Key when one was given
  shop_id          text        NOT NULL,
  action           text        NOT NULL,
  args             jsonb       NOT NULL,
  operator_id      text        NOT NULL,
  operator         text        NOT NULL,             -- the name at the time
  actor            jsonb       NOT NULL,             -- id, name, role, shops at the time: the workflow acts as them
  total            integer     NOT NULL,
  status           text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'canceled')),
  idempotency_key  text,
  request_hash     text        NOT NULL,             -- a repeat of the key with another request is refused
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
CREATE INDEX bulk_actions_shop ON bulk_actions (shop_id, created_at DESC, id DESC);

CREATE TABLE bulk_action_orders (
  bulk_id   text    NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  position  integer NOT NULL,                        -- 1-based, in the order the operator listed them
  order_id  text    NOT NULL,
  outcome   text    CHECK (outcome IN ('applied', 'refused', 'not-found', 'failed', 'canceled')), -- null: not acted on yet
  reason    text,
  done_at   timestamptz,
  PRIMARY KEY (bulk_id, position),
  UNIQUE (bulk_id, order_id)
);
CREATE INDEX bulk_action_orders_outcome ON bulk_action_orders (bulk_id, outcome, position);
