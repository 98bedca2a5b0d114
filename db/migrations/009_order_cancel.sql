-- The cancellation process (issue 6 part 2, seeds #966 #696 #1334 #98 #187 …): per payment method settings, and one
-- cancel record per order, written by the saga's activities (the API only reads it).

-- 決済方法 settings, per shop and payment method.
CREATE TABLE payment_method_settings (
  shop_id             text    NOT NULL,
  payment_method      text    NOT NULL,                       -- e.g. credit-gmo-pg, amazon-pay-v2, atodene, smbc-credit
  provider            text    NOT NULL CHECK (provider IN ('gmo-pg', 'amazon-pay', 'manual')),  -- manual: renkei has no client
  cancel_api          boolean NOT NULL DEFAULT false,         -- 取消API連携フラグ: 受注取消時に取消連携する (off by default, #148 #296)
  amount_change_api   boolean NOT NULL DEFAULT false,         -- オーソリ確定後金額連携フラグ (#847 #382)
  auto_cancel_on_ng   boolean NOT NULL DEFAULT false,         -- 与信NG時自動受注取消 (#187)
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, payment_method)
);

-- One per order: its cancel state. order_status is what the shop's order shows (受注 / キャンセル中 / キャンセル).
CREATE TABLE order_cancellations (
  shop_id           text        NOT NULL,
  order_id          text        NOT NULL,
  payment_method    text        NOT NULL,
  payment_ref       jsonb       NOT NULL,                    -- provider ids only (GMO OrderID, Amazon chargeId, recurring role)
  order_status      text        NOT NULL CHECK (order_status IN ('受注', 'キャンセル中', 'キャンセル')),
  status            text        NOT NULL CHECK (status IN ('canceling', 'provider-failed', 'canceled', 'left')),
  sources           text[]      NOT NULL DEFAULT '{}',       -- shop-admin / buyer: every request, the repeats too
  run_id            text,                                    -- the saga run that owns the current cycle
  cycle             integer     NOT NULL DEFAULT 0,          -- a "leave it" ends a cycle; a later request starts the next
  provider_outcome  text,                                    -- canceled, already-canceled, not-charged, not-linked, manual-cancel-needed, failed, left-at-provider
  provider_detail   text,
  provider_flagged  boolean     NOT NULL DEFAULT false,      -- the provider side still needs a hand
  decision          text        CHECK (decision IN ('cancel-locally', 'leave')),
  reminders         integer     NOT NULL DEFAULT 0,
  outbox_id         bigint,
  external_status   text        CHECK (external_status IN ('pending', 'delivered', 'failed')),
  external_error    text,                                    -- 外部連携エラー (#966 b)
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, order_id)
);
