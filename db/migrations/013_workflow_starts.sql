-- A workflow start the API owes: written in the same transaction as the order's row, deleted once Temporal has the
-- workflow. What is left here (Temporal down, the API killed between commit and start) is started by the reconciler,
-- so no order row is ever left without its workflow.
CREATE TABLE workflow_starts (
  workflow_id   text        PRIMARY KEY,
  shop_id       text        NOT NULL,
  start         jsonb       NOT NULL,   -- type, task queue, args, policies, search attributes, signal
  created_at    timestamptz NOT NULL DEFAULT now(),
  attempts      integer     NOT NULL DEFAULT 0,
  last_error    text,
  next_try_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflow_starts_due ON workflow_starts (next_try_at);
