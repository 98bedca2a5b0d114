-- au PAY (seed 004, issue 13): whether the order's API連携ステータス was set by an operator (section 6), and what the
-- last 自動注文情報ステータス取得 read at the market (受注ステータス, 決済ステータス).
ALTER TABLE au_pay_orders
  ADD COLUMN link_status_manual    boolean NOT NULL DEFAULT false,
  ADD COLUMN market_order_status   text,
  ADD COLUMN market_payment_status text,
  ADD COLUMN market_checked_at     timestamptz;
