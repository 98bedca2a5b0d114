-- O-PLUX受注OUT制御 holds back the whole order (issue 13 §2): an order data OUT row is 'held' while the order's fraud
-- review holds it, and 'withheld' (never sent) after the review's final NG.
ALTER TABLE order_outbox DROP CONSTRAINT IF EXISTS order_outbox_status_check;
ALTER TABLE order_outbox ADD CONSTRAINT order_outbox_status_check
  CHECK (status IN ('pending', 'delivered', 'failed', 'held', 'withheld'));
