-- A process (workflow) that ended in failure, on its order: what the API and operators read instead of a status that
-- looks alive forever. A new run of the same workflow id (a re-request once the cause is fixed) clears it.
CREATE TABLE process_failures (
  workflow_id  text        PRIMARY KEY,
  shop_id      text        NOT NULL,
  order_id     text        NOT NULL,
  process      text        NOT NULL,   -- the workflow type
  reason       text        NOT NULL,
  failed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX process_failures_shop ON process_failures (shop_id, failed_at DESC);
