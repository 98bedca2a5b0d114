-- The attention list (db/attention.ts): every order waiting for a person or stopped at an error. One partial index
-- per kind of row, on (shop, the time it entered that state, order): each branch of the list reads only its own few
-- rows, already in order, however many orders a shop has.
CREATE INDEX au_pay_orders_attention ON au_pay_orders (shop_id, updated_at, order_id)
  WHERE link_status IN ('出荷情報反映エラー', '受注完了ステータス反映エラー');

CREATE INDEX oplux_orders_attention ON oplux_orders (shop_id, updated_at, order_id)
  WHERE status IN ('目視審査待ち', '目視審査HOLD', '審査エラー', '更新エラー');

CREATE INDEX yahoo_pay_method_windows_attention ON yahoo_pay_method_windows (shop_id, updated_at, order_id)
  WHERE window_status IN ('期限切れ・担当者確認待ち', '連携エラー');

CREATE INDEX amazon_pay_orders_reviewing ON amazon_pay_orders (shop_id, created_at, order_id) WHERE payment_status = '審査中';
CREATE INDEX amazon_pay_orders_review_failed ON amazon_pay_orders (shop_id, updated_at, order_id) WHERE payment_status = '審査エラー';
CREATE INDEX amazon_pay_review_results_error ON amazon_pay_review_results (shop_id, recorded_at, order_id) WHERE outcome = 'ERROR';

CREATE INDEX amazon_pay_recurring_parents_paused ON amazon_pay_recurring_parents (shop_id, updated_at, parent_order_id)
  WHERE status = 'paused';
CREATE INDEX amazon_pay_recurring_parents_expiring ON amazon_pay_recurring_parents (shop_id, expires_at, parent_order_id)
  WHERE status = 'active' AND expires_at IS NOT NULL;

CREATE INDEX process_failures_attention ON process_failures (shop_id, failed_at, order_id);

-- Two tables have no time at which a row entered its attention state: an outbox row's created_at is when it was
-- written, not when its retries ran out (and a redelivered row can fail again days later), and a cancel's updated_at
-- moves with every reminder mail while the operator's decision waits. A trigger stamps the change itself, so the
-- modules that write these rows need not know about the list.
ALTER TABLE order_outbox ADD COLUMN failed_at timestamptz;
UPDATE order_outbox SET failed_at = created_at WHERE status = 'failed';

CREATE FUNCTION order_outbox_stamp_failed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.failed_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER order_outbox_failed_at BEFORE UPDATE OF status ON order_outbox
  FOR EACH ROW WHEN (NEW.status = 'failed' AND OLD.status IS DISTINCT FROM 'failed') EXECUTE FUNCTION order_outbox_stamp_failed();

CREATE INDEX order_outbox_failed ON order_outbox (shop_id, failed_at, order_id) WHERE status = 'failed';

ALTER TABLE order_cancellations ADD COLUMN state_since timestamptz;
UPDATE order_cancellations SET state_since = updated_at;
ALTER TABLE order_cancellations ALTER COLUMN state_since SET DEFAULT now(), ALTER COLUMN state_since SET NOT NULL;

CREATE FUNCTION order_cancellations_stamp_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.state_since := now();
  RETURN NEW;
END $$;
CREATE TRIGGER order_cancellations_state_since BEFORE UPDATE ON order_cancellations
  FOR EACH ROW WHEN ((NEW.status, NEW.provider_flagged) IS DISTINCT FROM (OLD.status, OLD.provider_flagged))
  EXECUTE FUNCTION order_cancellations_stamp_state();

CREATE INDEX order_cancellations_attention ON order_cancellations (shop_id, state_since, order_id)
  WHERE status = 'provider-failed' OR (status = 'canceled' AND provider_flagged);
