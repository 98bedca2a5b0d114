-- 出荷実績取込 (shipment-import/apply-row.ts): the shipment each order was last given, and what each import row did.
-- order_shipments: one row per order; import_id and line name the import row that last acted on it; sent_out_at: its
-- ship date, carrier and tracking number went out (order data OUT, the marketplace), null again when they change;
-- capture_status: 売上確定 on shipment as the capture workflow's activities record it.
CREATE TABLE order_shipments (
  shop_id          text        NOT NULL,
  order_id         text        NOT NULL,
  ship_date        date        NOT NULL,
  carrier          text        NOT NULL,
  tracking_number  text,
  import_id        text        NOT NULL,
  line             integer     NOT NULL,
  sent_out_at      timestamptz,
  capture_status   text        CHECK (capture_status IN ('売上確定中', '売上確定済み', '売上確定エラー')),
  capture_error    text,
  capture_since    timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);
-- the console's per-process list, newest change first
CREATE INDEX order_shipments_since ON order_shipments (shop_id, updated_at, order_id);
-- the attention list's branch (db/attention.ts): a capture the provider refused waits for an operator
CREATE INDEX order_shipments_capture_error ON order_shipments (shop_id, capture_since, order_id) WHERE capture_status = '売上確定エラー';

-- Each effect an import row has done, once: a retried row (a worker killed mid-row) skips what is recorded here.
-- effect: record, order-out, au-pay, yahoo, capture, and outcome (the row's RowResult as JSON, written last).
CREATE TABLE shipment_row_effects (
  import_id  text        NOT NULL,
  line       integer     NOT NULL,
  effect     text        NOT NULL,
  detail     text        NOT NULL,
  done_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (import_id, line, effect)
);
