-- Payments through one provider interface (issue 13 section 3).
-- A payment method's provider is any id in payments/registry.ts (checked by the API), or 'manual': a new provider
-- needs its adapter and a registry line, not a migration.
ALTER TABLE payment_method_settings DROP CONSTRAINT IF EXISTS payment_method_settings_provider_check;

-- A cancel whose payment method has no settings stops at manual-cancel-needed (the order stays 受注) until an
-- operator says the provider side was canceled by hand (canceled-by-hand), or cancels here only, or leaves it.
ALTER TABLE order_cancellations DROP CONSTRAINT IF EXISTS order_cancellations_status_check;
ALTER TABLE order_cancellations ADD CONSTRAINT order_cancellations_status_check
  CHECK (status IN ('canceling', 'provider-failed', 'manual-cancel-needed', 'canceled', 'left'));
ALTER TABLE order_cancellations DROP CONSTRAINT IF EXISTS order_cancellations_decision_check;
ALTER TABLE order_cancellations ADD CONSTRAINT order_cancellations_decision_check
  CHECK (decision IN ('cancel-locally', 'leave', 'canceled-by-hand'));

-- the attention list's cancel branch (db/attention.ts repeats this predicate word for word)
DROP INDEX IF EXISTS order_cancellations_attention;
CREATE INDEX order_cancellations_attention ON order_cancellations (shop_id, state_since, order_id)
  WHERE status IN ('provider-failed', 'manual-cancel-needed') OR (status = 'canceled' AND provider_flagged);
