-- Yahoo!ショッピング's payment-method-change window (オーソリエラー注文の再決済, seed 002): one row per オーソリエラー order,
-- its window status (workflows/yahoo-window-status.ts) and deadline. Every status change that the order data OUT needs
-- writes its order_outbox row (002) in the same statement.
CREATE TABLE yahoo_pay_method_windows (
  shop_id                   text        NOT NULL,
  order_id                  text        NOT NULL,
  window_status             text        NOT NULL,                 -- WINDOW_STATUS: 変更待ち, 変更完了・出荷可, ...
  deadline                  timestamptz NOT NULL,                 -- 支払い方法変更期限 (PayMethodChangeDeadline)
  deadline_source           text        NOT NULL CHECK (deadline_source IN ('api', 'local')),  -- local = computed fallback
  order_status              text,                                 -- Yahoo OrderStatus last seen
  settle_status             text,                                 -- Yahoo SettleStatus last seen
  pay_method                text,                                 -- PayMethod last seen (the new one after the change)
  ship_status               text,                                 -- ShipStatus after our update
  pay_method_change_done_at timestamptz,                          -- PayMethodChangeDoneDate
  decision                  text,                                 -- the operator's decision, when one was asked for
  decided_by                text,
  last_error                text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);
CREATE INDEX yahoo_pay_method_windows_by_deadline ON yahoo_pay_method_windows (shop_id, window_status, deadline);
