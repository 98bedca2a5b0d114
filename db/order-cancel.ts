import type { Pool } from 'pg';
import type { PaymentProviderId } from '../payments/registry';
import type {
  CancelDecision, CancelSource, CancelStatus, OrderStatus, OutboxProgress, PaymentRef, ProviderOutcome,
} from '../workflows/order-cancel-messages';

/** 決済方法 settings of one shop's payment method (#98 #187 #296 #847). */
export interface PaymentMethodSetting {
  shopId: string;
  paymentMethod: string;
  /** a provider of payments/registry.ts, or manual (renkei has no client) */
  provider: PaymentProviderId | 'manual';
  /** 取消API連携フラグ */
  cancelApi: boolean;
  /** オーソリ確定後金額連携フラグ */
  amountChangeApi: boolean;
  /** 与信NG時自動受注取消 */
  autoCancelOnNg: boolean;
}

const SETTING_COLUMNS = `shop_id AS "shopId", payment_method AS "paymentMethod", provider, cancel_api AS "cancelApi",
  amount_change_api AS "amountChangeApi", auto_cancel_on_ng AS "autoCancelOnNg"`;

export async function putPaymentMethodSetting(pool: Pool, s: PaymentMethodSetting): Promise<PaymentMethodSetting> {
  const { rows } = await pool.query<PaymentMethodSetting>(
    `INSERT INTO payment_method_settings (shop_id, payment_method, provider, cancel_api, amount_change_api, auto_cancel_on_ng)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (shop_id, payment_method) DO UPDATE SET provider = $3, cancel_api = $4, amount_change_api = $5,
       auto_cancel_on_ng = $6, updated_at = now()
     RETURNING ${SETTING_COLUMNS}`,
    [s.shopId, s.paymentMethod, s.provider, s.cancelApi, s.amountChangeApi, s.autoCancelOnNg],
  );
  return rows[0]!;
}

export async function getPaymentMethodSetting(pool: Pool, shopId: string, paymentMethod: string): Promise<PaymentMethodSetting | undefined> {
  const { rows } = await pool.query<PaymentMethodSetting>(
    `SELECT ${SETTING_COLUMNS} FROM payment_method_settings WHERE shop_id = $1 AND payment_method = $2`, [shopId, paymentMethod],
  );
  return rows[0];
}

export async function listPaymentMethodSettings(pool: Pool, shopId: string): Promise<PaymentMethodSetting[]> {
  const { rows } = await pool.query<PaymentMethodSetting>(
    `SELECT ${SETTING_COLUMNS} FROM payment_method_settings WHERE shop_id = $1 ORDER BY payment_method`, [shopId],
  );
  return rows;
}

/** An order's cancel record. */
export interface CancelRecord {
  shopId: string;
  orderId: string;
  paymentMethod: string;
  payment: PaymentRef;
  orderStatus: OrderStatus;
  status: CancelStatus;
  sources: CancelSource[];
  cycle: number;
  providerOutcome: ProviderOutcome | null;
  providerDetail: string | null;
  providerFlagged: boolean;
  decision: CancelDecision | null;
  reminders: number;
  outboxId: string | null;
  externalStatus: 'pending' | 'delivered' | 'failed' | null;
  externalError: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `shop_id AS "shopId", order_id AS "orderId", payment_method AS "paymentMethod", payment_ref AS "payment",
  order_status AS "orderStatus", status, sources, cycle, provider_outcome AS "providerOutcome", provider_detail AS "providerDetail",
  provider_flagged AS "providerFlagged", decision, reminders, outbox_id::text AS "outboxId", external_status AS "externalStatus",
  external_error AS "externalError", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function getCancelRecord(pool: Pool, shopId: string, orderId: string): Promise<CancelRecord | undefined> {
  const { rows } = await pool.query<CancelRecord>(`SELECT ${COLUMNS} FROM order_cancellations WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId]);
  return rows[0];
}

/**
 * Step 1: the order is marked キャンセル中, in one statement, for the saga run `runId`:
 * - a new order → a record in cycle 1;
 * - the same run again (a retried activity) → unchanged;
 * - an order already canceled → unchanged but for the request's source (the saga then ends: a repeat is harmless);
 * - an order an operator left (受注) → the next cycle, its provider fields cleared;
 * - a cycle still open under another run (a run that ended abnormally) → taken over by this run.
 * `alreadyCanceled` says the order was キャンセル before this run.
 */
export async function beginCancel(
  pool: Pool,
  b: { shopId: string; orderId: string; payment: PaymentRef; source: CancelSource; runId: string },
): Promise<CancelRecord & { alreadyCanceled: boolean }> {
  const { rows } = await pool.query<CancelRecord & { alreadyCanceled: boolean }>(
    `WITH before AS (SELECT order_status, run_id FROM order_cancellations WHERE shop_id = $1 AND order_id = $2),
     up AS (
       INSERT INTO order_cancellations AS c (shop_id, order_id, payment_method, payment_ref, order_status, status, sources, run_id, cycle)
       VALUES ($1::text, $2::text, $3::text, $4::jsonb, 'キャンセル中', 'canceling', ARRAY[$5::text], $6::text, 1)
       ON CONFLICT (shop_id, order_id) DO UPDATE SET
         sources = CASE WHEN c.run_id = $6 THEN c.sources ELSE c.sources || $5 END,
         cycle = CASE WHEN c.status = 'left' AND c.run_id IS DISTINCT FROM $6 THEN c.cycle + 1 ELSE c.cycle END,
         payment_method = CASE WHEN c.status = 'left' THEN $3 ELSE c.payment_method END,
         payment_ref = CASE WHEN c.status = 'left' THEN $4 ELSE c.payment_ref END,
         order_status = CASE WHEN c.status = 'left' THEN 'キャンセル中' ELSE c.order_status END,
         provider_outcome = CASE WHEN c.status = 'left' THEN NULL ELSE c.provider_outcome END,
         provider_detail = CASE WHEN c.status = 'left' THEN NULL ELSE c.provider_detail END,
         provider_flagged = CASE WHEN c.status = 'left' THEN false ELSE c.provider_flagged END,
         decision = CASE WHEN c.status = 'left' THEN NULL ELSE c.decision END,
         reminders = CASE WHEN c.status = 'left' THEN 0 ELSE c.reminders END,
         outbox_id = CASE WHEN c.status = 'left' THEN NULL ELSE c.outbox_id END,
         external_status = CASE WHEN c.status = 'left' THEN NULL ELSE c.external_status END,
         external_error = CASE WHEN c.status = 'left' THEN NULL ELSE c.external_error END,
         run_id = CASE WHEN c.order_status = 'キャンセル' THEN c.run_id ELSE $6 END,
         status = CASE WHEN c.status = 'left' THEN 'canceling' ELSE c.status END,
         updated_at = now()
       RETURNING ${COLUMNS})
     SELECT up.*, COALESCE((SELECT order_status = 'キャンセル' AND run_id IS DISTINCT FROM $6 FROM before), false) AS "alreadyCanceled" FROM up`,
    [b.shopId, b.orderId, b.payment.method, JSON.stringify(b.payment), b.source, b.runId],
  );
  return rows[0]!;
}

/** The provider step's outcome; with status provider-failed the order is 受注 again (#966 a: the cancel is rolled back). */
export async function recordProviderOutcome(
  pool: Pool,
  r: { shopId: string; orderId: string; status: 'canceling' | 'provider-failed' | 'manual-cancel-needed'; outcome: ProviderOutcome; detail: string | null; flagged: boolean },
): Promise<CancelRecord> {
  const { rows } = await pool.query<CancelRecord>(
    `UPDATE order_cancellations SET status = $3, provider_outcome = $4, provider_detail = $5, provider_flagged = $6,
       order_status = CASE WHEN $3 IN ('provider-failed', 'manual-cancel-needed') THEN '受注' ELSE 'キャンセル中' END, updated_at = now()
     WHERE shop_id = $1 AND order_id = $2 AND status IN ('canceling', 'provider-failed', 'manual-cancel-needed') RETURNING ${COLUMNS}`,
    [r.shopId, r.orderId, r.status, r.outcome, r.detail, r.flagged],
  );
  if (rows[0]) return rows[0];
  // This step run again after the saga's next one took effect (a local activity runs again when its worker died before
  // the workflow task completed): the outcome already stands.
  const current = await getCancelRecord(pool, r.shopId, r.orderId);
  if (current?.status === 'canceled') return current;
  throw new Error(`no open cancel for order ${r.shopId}/${r.orderId}`);
}

/** A reminder went out (or is going out): counted, so the operator sees how long the decision has waited. */
export async function countReminder(pool: Pool, shopId: string, orderId: string, reminder: number): Promise<void> {
  await pool.query(`UPDATE order_cancellations SET reminders = GREATEST(reminders, $3), updated_at = now() WHERE shop_id = $1 AND order_id = $2`, [shopId, orderId, reminder]);
}

/** "Leave it": the order stays (受注), the provider's side too. */
export async function leaveOrder(pool: Pool, shopId: string, orderId: string): Promise<CancelRecord> {
  const { rows } = await pool.query<CancelRecord>(
    `UPDATE order_cancellations SET status = 'left', order_status = '受注', decision = 'leave', updated_at = now()
     WHERE shop_id = $1 AND order_id = $2 AND status IN ('provider-failed', 'manual-cancel-needed', 'left') RETURNING ${COLUMNS}`,
    [shopId, orderId],
  );
  if (!rows[0]) throw new Error(`order ${shopId}/${orderId} is not waiting for a decision`);
  return rows[0];
}

/**
 * Step 4: the order becomes キャンセル and its order data OUT row is written, in one statement; the row's dedupe key
 * is the saga's step, so a retried activity adds nothing. Then the record points at the row. Returns the row's id.
 */
export async function cancelOrderWithOutbox(
  pool: Pool,
  c: { shopId: string; orderId: string; decision: CancelDecision | null; dedupeKey: string; watchedBy?: string },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH updated AS (
       UPDATE order_cancellations SET order_status = 'キャンセル', status = 'canceled',
         decision = COALESCE($3::text, decision),
         provider_outcome = CASE $3 WHEN 'cancel-locally' THEN 'left-at-provider' WHEN 'canceled-by-hand' THEN 'canceled-by-hand' ELSE provider_outcome END,
         provider_flagged = CASE WHEN $3 = 'canceled-by-hand' THEN false ELSE provider_flagged OR COALESCE($3::text = 'cancel-locally', false) END,
         external_status = 'pending', updated_at = now()
       WHERE shop_id = $1 AND order_id = $2 AND status IN ('canceling', 'provider-failed', 'manual-cancel-needed')
       RETURNING *),
     outbox AS (
       INSERT INTO order_outbox (shop_id, order_id, event, dedupe_key, watched_by, payload)
       SELECT shop_id, order_id, 'canceled', $4, $5, jsonb_build_object(
         'orderId', order_id, 'orderStatus', order_status, 'paymentMethod', payment_method,
         'providerCancel', provider_outcome, 'providerCancelDetail', provider_detail, 'providerNeedsManualCancel', provider_flagged,
         'canceledAt', updated_at, 'requestedBy', sources)
       FROM updated
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id::text AS id)
     SELECT id FROM outbox UNION ALL SELECT id::text FROM order_outbox WHERE dedupe_key = $4 LIMIT 1`,
    [c.shopId, c.orderId, c.decision, c.dedupeKey, c.watchedBy ?? null],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`order ${c.shopId}/${c.orderId} has no open cancel to complete`);
  await pool.query(`UPDATE order_cancellations SET outbox_id = $3 WHERE shop_id = $1 AND order_id = $2`, [c.shopId, c.orderId, id]);
  return id;
}

/** Where the cancel's order data OUT row stands. */
export async function outboxProgress(pool: Pool, outboxId: string): Promise<OutboxProgress> {
  const { rows } = await pool.query(
    `SELECT CASE o.status WHEN 'held' THEN 'pending' ELSE o.status END AS status, o.last_error AS "lastError", -- held by O-PLUX: still to go
       (SELECT e.id::text FROM order_outbox e WHERE e.shop_id = o.shop_id AND e.order_id = o.order_id AND e.id < o.id AND e.status = 'failed'
         ORDER BY e.id LIMIT 1) AS "heldBy"
     FROM order_outbox o WHERE o.id = $1`,
    [outboxId],
  );
  if (!rows[0]) throw new Error(`order OUT row ${outboxId} does not exist`);
  return rows[0] as OutboxProgress;
}

/** The external system's outcome, shown on the order (#966 b: the order stays canceled, the error is shown). */
export async function recordExternalOutcome(
  pool: Pool, r: { shopId: string; orderId: string; status: 'pending' | 'delivered' | 'failed'; error: string | null },
): Promise<void> {
  await pool.query(
    `UPDATE order_cancellations SET external_status = $3, external_error = $4, updated_at = now() WHERE shop_id = $1 AND order_id = $2`,
    [r.shopId, r.orderId, r.status, r.error],
  );
}

/**
 * A shop's first payment methods, when it has none yet (the configured shop's first start): what the demo's cancel
 * and amount change reach. Never overwrites: once a shop has any, its settings are the API's.
 */
export async function seedPaymentMethodsIfNone(pool: Pick<Pool, 'query'>, shopId: string, methods: ReadonlyArray<Omit<PaymentMethodSetting, 'shopId'>>): Promise<boolean> {
  if (!methods.length) return false;
  // typed: a VALUES list of parameters is text to PostgreSQL, and the flags are boolean columns
  const values = methods.map((_, i) => `($1, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}::boolean, $${i * 5 + 5}::boolean, $${i * 5 + 6}::boolean)`).join(', ');
  const { rowCount } = await pool.query(
    `INSERT INTO payment_method_settings (shop_id, payment_method, provider, cancel_api, amount_change_api, auto_cancel_on_ng)
     SELECT * FROM (VALUES ${values}) AS v(shop_id, payment_method, provider, cancel_api, amount_change_api, auto_cancel_on_ng)
     WHERE NOT EXISTS (SELECT 1 FROM payment_method_settings WHERE shop_id = $1)
     ON CONFLICT DO NOTHING`,
    [shopId, ...methods.flatMap((m) => [m.paymentMethod, m.provider, m.cancelApi, m.amountChangeApi, m.autoCancelOnNg])],
  );
  return (rowCount ?? 0) > 0;
}
