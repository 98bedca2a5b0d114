-- Amazon Pay recurring (定期): one parent per Recurring ChargePermission, one row per child cycle.
CREATE TABLE amazon_pay_recurring_parents (
  shop_id              text        NOT NULL,
  parent_order_id      text        NOT NULL,   -- 定期親受注
  charge_permission_id text        NOT NULL UNIQUE,
  amount_jpy           integer     NOT NULL,
  interval_unit        text        NOT NULL,
  interval_value       integer     NOT NULL,
  status               text        NOT NULL DEFAULT 'active',
  expires_at           timestamptz,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, parent_order_id)
);

CREATE TABLE amazon_pay_recurring_children (
  shop_id         text        NOT NULL,
  parent_order_id text        NOT NULL,
  cycle           integer     NOT NULL,            -- the child's number in the plan (定期子受注)
  scheduled_at    timestamptz NOT NULL,
  outcome         text        NOT NULL,            -- charged, declined, cap-exceeded, skipped, paused, canceled
  amount_jpy      integer     NOT NULL,
  charge_id       text,
  charge_state    text,
  reason          text,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, parent_order_id, cycle)
);
