-- Every amount change after authorization and what the payment provider made of it (金額変更API連携フラグ).
CREATE TABLE order_amount_changes (
  id          bigserial   PRIMARY KEY,
  shop_id     text        NOT NULL,
  order_id    text        NOT NULL,
  amount_jpy  integer     NOT NULL,
  outcome     text        NOT NULL,
  detail      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_amount_changes_order ON order_amount_changes (shop_id, order_id, id);
