import type { Pool } from 'pg';

type Queryable = Pick<Pool, 'query'>;

/** What renkei's records say of one order of the shop: where it was sold and how it was paid, as far as they know. */
export interface KnownOrder {
  /** an au PAY order (au_pay_orders): its market order number and 管理区分 */
  auPay?: { auPayOrderId: string; managementClass: string };
  /** a Yahoo order (yahoo_pay_method_windows) */
  yahoo?: true;
  /** an Amazon Pay order (amazon_pay_orders): its charge, null before one exists */
  amazonPay?: { chargeId: string | null };
  /** a cancel's payment (order_cancellations): its 決済方法 and GMO-PG OrderID */
  cancel?: { method: string; gmoPgOrderId: string | null };
}

/**
 * What renkei knows of each order, for up to 100,000 order ids: one query per table, each an index probe per id
 * (`= ANY($2)`). An order in none of the tables has no entry.
 */
export async function knownOrders(db: Queryable, shopId: string, orderIds: readonly string[]): Promise<Map<string, KnownOrder>> {
  const known = new Map<string, KnownOrder>();
  if (orderIds.length === 0) return known;
  const ids = [...orderIds];
  const of = (id: string) => {
    let k = known.get(id);
    if (!k) known.set(id, (k = {}));
    return k;
  };
  const q = <R>(sql: string) => db.query<R & { orderId: string }>(sql, [shopId, ids]).then((r) => r.rows);
  // one after another: PGlite's socket server does not keep concurrent connections' large messages apart
  const auPay = await q<{ auPayOrderId: string; managementClass: string }>(
    `SELECT order_id AS "orderId", au_pay_order_id AS "auPayOrderId", management_class AS "managementClass" FROM au_pay_orders WHERE shop_id = $1 AND order_id = ANY($2)`);
  const yahoo = await q(`SELECT order_id AS "orderId" FROM yahoo_pay_method_windows WHERE shop_id = $1 AND order_id = ANY($2)`);
  const amazon = await q<{ chargeId: string | null }>(`SELECT order_id AS "orderId", charge_id AS "chargeId" FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = ANY($2)`);
  const cancels = await q<{ method: string; gmoPgOrderId: string | null }>(
    `SELECT order_id AS "orderId", payment_method AS method, payment_ref->>'gmoPgOrderId' AS "gmoPgOrderId" FROM order_cancellations WHERE shop_id = $1 AND order_id = ANY($2)`);
  // records that say only that the order exists
  const others = [];
  for (const table of ['oplux_orders', 'order_amount_changes', 'order_outbox', 'order_shipments']) {
    others.push(await q(`SELECT DISTINCT order_id AS "orderId" FROM ${table} WHERE shop_id = $1 AND order_id = ANY($2)`));
  }
  for (const r of auPay) of(r.orderId).auPay = { auPayOrderId: r.auPayOrderId, managementClass: r.managementClass };
  for (const r of yahoo) of(r.orderId).yahoo = true;
  for (const r of amazon) of(r.orderId).amazonPay = { chargeId: r.chargeId };
  for (const r of cancels) of(r.orderId).cancel = { method: r.method, gmoPgOrderId: r.gmoPgOrderId };
  for (const rows of others) for (const r of rows) of(r.orderId);
  return known;
}

/** The shop's 決済方法 codes and the provider of each (payment_method_settings). */
export async function paymentMethodProviders(db: Queryable, shopId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ method: string; provider: string }>(
    `SELECT payment_method AS method, provider FROM payment_method_settings WHERE shop_id = $1`, [shopId]);
  return new Map(rows.map((r) => [r.method, r.provider]));
}
