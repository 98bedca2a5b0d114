-- Amazon Pay async authorization (非同期オーソリ): the order's payment fields, the review results the periodic report
-- lists, and the order data OUT outbox, written in the same statement as the update that caused each row.
CREATE TABLE amazon_pay_orders (
  shop_id                  text        NOT NULL,
  order_id                 text        NOT NULL,
  charge_permission_id     text        NOT NULL,
  charge_id                text        UNIQUE,
  amount_jpy               integer     NOT NULL CHECK (amount_jpy > 0),
  payment_status           text        NOT NULL DEFAULT '審査中',   -- 受注決済ステータス (PAYMENT_STATUS)
  authorization_date       timestamptz,                            -- オーソリ日付 (AUTHORY_DATE)
  credit_status            text,                                   -- クレジット処理結果ステータス (AUTHORY_STATUS): the charge's state
  authorization_fixed_date timestamptz,                            -- オーソリ確定日 (AUTHORIZATION_FIXED_DATE)
  reference_number         text,                                   -- 照会番号 (SYOUKAI_NO)
  cancel_requested         boolean     NOT NULL DEFAULT false,     -- auto-cancel on NG, until the cancellation process exists
  last_error               text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);

CREATE TABLE amazon_pay_review_results (
  id          bigserial   PRIMARY KEY,
  shop_id     text        NOT NULL,
  order_id    text        NOT NULL,
  charge_id   text,
  outcome     text        NOT NULL CHECK (outcome IN ('OK', 'ERROR')),
  state       text        NOT NULL,   -- the charge state Amazon returned
  message     text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  reported_at timestamptz,
  dedupe_key  text        NOT NULL UNIQUE   -- the workflow step that recorded it: a retried activity adds nothing
);
CREATE INDEX amazon_pay_review_results_unreported ON amazon_pay_review_results (shop_id, id) WHERE reported_at IS NULL;

-- Order data OUT (受注データ連携OUT): one row per update, with the order's values after it. Delivery is another issue.
CREATE TABLE order_outbox (
  id          bigserial   PRIMARY KEY,
  shop_id     text        NOT NULL,
  order_id    text        NOT NULL,
  event       text        NOT NULL,
  payload     jsonb       NOT NULL,
  dedupe_key  text        NOT NULL UNIQUE,  -- the workflow step that wrote it: a retried activity adds nothing
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_outbox_order ON order_outbox (shop_id, order_id, id);
