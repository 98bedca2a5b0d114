-- O-PLUX fraud review (seed 001): the order's twelve O-PLUX fields (受注ヘッダ free items 1-12) beside the review's
-- own state. The order data OUT row (order_outbox, migration 002) is written in the same statement as the update that
-- releases the order.
CREATE TABLE oplux_orders (
  shop_id               text        NOT NULL,
  order_id              text        NOT NULL,
  event_id              text,                    --  1 O-PLUXイベントID
  payment_status        text,                    --  2 O-PLUX決済ステータス (請求前, ...)
  review_result         text,                    --  3 O-PLUX審査結果: OK, NG, HOLD, REVIEW
  manual_result         text,                    --  4 目視審査結果: 10 OK, 20 NG, 30 HOLD
  manual_memo           text,                    --  5 目視審査結果メモ
  black_flag            text,                    --  6 O-PLUXブラックフラグ: 1 ブラック, 0 ブラックではない
  processing_result     text,                    --  7 O-PLUX処理結果: 審査済, 更新済, 審査エラー, 更新エラー, 対象外
  browser_info          text,                    --  8 ブラウザ情報
  ip_address            text,                    --  9 IPアドレス
  rule_description      text,                    -- 10 O-PLUXルール説明文
  error_message         text,                    -- 11 O-PLUXエラーメッセージ
  relink_kind           text,                    -- 12 API連携再連携区分: 登録, 更新
  status                text        NOT NULL DEFAULT '審査中',  -- the workflow's status (FraudReviewStatus)
  model_id              text,
  order_out_control     text,
  register_attempts     integer     NOT NULL DEFAULT 0,  -- registrations tried: a second one looks the event up first
  released_at           timestamptz,                     -- when the order data OUT was written
  order_data            jsonb       NOT NULL,            -- the reported order (amount, payment, items)
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);
CREATE INDEX oplux_orders_status ON oplux_orders (shop_id, status);
CREATE UNIQUE INDEX oplux_orders_event ON oplux_orders (event_id) WHERE event_id IS NOT NULL;
