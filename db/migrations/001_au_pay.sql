-- au PAY ship-then-complete: one row per OMS order, and the au PAY API連携履歴 (every call, and every check that
-- stopped a call).
CREATE TABLE au_pay_orders (
  shop_id          text        NOT NULL,
  order_id         text        NOT NULL,              -- the shop's (OMS) order number
  au_pay_order_id  text        NOT NULL,              -- the market's order number (split orders share one)
  management_class text        NOT NULL,              -- 管理区分: only 通常 is pushed
  ship_date        date,                              -- 発送日: required before any push
  carrier          text        NOT NULL DEFAULT '',   -- 配送会社 code
  tracking_number  text        NOT NULL DEFAULT '',   -- 配送お問い合せ番号: may be empty
  bundled_into     text,                              -- 同梱: the parent order a child was bundled into
  split_from       text,                              -- 分割: the order this one was split from
  link_status      text        NOT NULL DEFAULT '空欄',
  last_error       text,
  reported_at      timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);
CREATE INDEX au_pay_orders_link_status ON au_pay_orders (shop_id, link_status);

CREATE TABLE au_pay_call_history (
  id               bigserial   PRIMARY KEY,
  shop_id          text        NOT NULL,
  order_id         text        NOT NULL,
  au_pay_order_id  text        NOT NULL,
  operation        text        NOT NULL,              -- updateTradeInfoProc, updateTradeStsProc, searchTradeInfoProc
  result           text        NOT NULL CHECK (result IN ('成功', 'エラー')),
  http_status      integer,                           -- null: no call was made (a precondition stopped it)
  error_code       text,
  error_message    text,
  idempotency_key  text,
  duration_ms      integer,
  called_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX au_pay_call_history_order ON au_pay_call_history (shop_id, order_id, id);
CREATE INDEX au_pay_call_history_result ON au_pay_call_history (shop_id, result, id);
