-- The console's order lists and timeline (db/order-lists.ts, db/order-timeline.ts), measured at 10,000 orders per
-- process (bench/order-lists.ts):
-- an order's Amazon Pay review results by order: the list's latest result per order (the report's OK/ERROR lists) and
-- the timeline's history; without it each read scans the shop's results.
CREATE INDEX amazon_pay_review_results_order ON amazon_pay_review_results (shop_id, order_id, id);
-- the amount-change list walks each shop's changes newest first, keeping each order's latest (an anti-join probe per
-- row), and stops at the page's end instead of ranking every change of the shop.
CREATE INDEX order_amount_changes_since ON order_amount_changes (shop_id, created_at, order_id);
