-- 出荷実績取込 (issue 15): one shipment file, validated whole, stored with every row, then applied row by row by one
-- durable workflow. Each row's outcome is recorded here as the workflow goes, so progress and results.csv are read
-- from here, not from the workflow. Rows hold only what the row step needs (no personal data).
CREATE TABLE shipment_imports (
  id               text        PRIMARY KEY,          -- 32 hex; derived from the Idempotency-Key when one was given
  shop_id          text        NOT NULL,
  status           text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'canceled')),
  encoding         text        NOT NULL CHECK (encoding IN ('utf-8', 'shift_jis', 'json')), -- results.csv answers in it
  on_error         text        NOT NULL CHECK (on_error IN ('reject', 'skip')),
  total            integer     NOT NULL,             -- every data row, invalid ones included
  invalid          integer     NOT NULL,
  actor            jsonb       NOT NULL,             -- who imported it (id, name, role, shops at the time)
  idempotency_key  text,
  request_hash     text        NOT NULL,             -- a repeat of the key with another file is refused
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
CREATE INDEX shipment_imports_shop ON shipment_imports (shop_id, created_at DESC, id DESC);

CREATE TABLE shipment_import_rows (
  import_id  text    NOT NULL REFERENCES shipment_imports (id) ON DELETE CASCADE,
  line       integer NOT NULL,                       -- the file's line (the header is 1), or the JSON row's index + 1
  order_id   text    NOT NULL,
  "row"      jsonb,                                  -- the resolved ShipmentRow; null for an invalid row
  outcome    text    CHECK (outcome IN ('applied', 'unchanged', 'refused', 'failed', 'invalid', 'canceled')), -- null: not done yet
  detail     text,
  done_at    timestamptz,
  PRIMARY KEY (import_id, line)
);
-- the workflow's next lines: only the rows not done yet
CREATE INDEX shipment_import_rows_pending ON shipment_import_rows (import_id, line) WHERE outcome IS NULL;
