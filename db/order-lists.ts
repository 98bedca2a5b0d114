import type { Pool } from 'pg';
import type { AmountChangeResult } from '../payments/provider';
import type { RecurringStatus } from '../workflows/amazon-pay-recurring-messages';
import { LINK_STATUSES } from '../workflows/au-pay-link-status';
import { FRAUD_STATUS } from '../workflows/oplux-review-rules';
import { WINDOW_STATUS } from '../workflows/yahoo-window-status';
import { PAYMENT_STATUS } from '../workflows/amazon-pay-review';
import { EXPIRY_MONTHS, MONTHLY_CAP_JPY } from '../workflows/amazon-pay-recurring-plan';
import {
  amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId, auPayShipmentWorkflowId, opluxFraudReviewWorkflowId,
  orderAmountChangeWorkflowId, orderCancelWorkflowId, orderCaptureWorkflowId, orderOutDeliveryWorkflowId, yahooPayMethodWindowWorkflowId,
} from '../workflows/workflow-ids';
import {
  CANCEL_MANUAL_AT_PROVIDER, CANCEL_MANUAL_NEEDED, CANCEL_PROVIDER_FAILED, ORDER_OUT_FAILED, RECURRING_PAUSED, type AttentionProcess,
} from './attention';
import { CAPTURE_STATUS } from './order-shipments';

/**
 * One list per process (the console's per-process views): every order the process knows for a shop, in its current
 * status, newest change first, read from the process's own table. One statement per process; paged by keyset on
 * (since, orderId), both descending (an order is one row per process, so the pair is unique).
 */

export type FieldValue = string | number | boolean | null;

export interface OrderListItem {
  process: AttentionProcess;
  orderId: string;
  status: string;
  /** when the order entered its status (the row's last change where the table keeps no more) */
  since: string;
  workflowId: string;
  fields: Record<string, FieldValue>;
}

/** Where the previous page ended. */
export interface OrderListCursor {
  since: string;
  orderId: string;
}

export interface OrderListQuery {
  shopId: string;
  process: AttentionProcess;
  status?: string;
  orderIdPrefix?: string;
  /** exactly this order (the timeline's processes) */
  orderId?: string;
  after?: OrderListCursor;
  limit: number;
}

// The statuses of the tables that store English codes, named as the attention list names them (so both views agree).
const CANCEL_STATUS = {
  canceling: 'キャンセル中', providerFailed: CANCEL_PROVIDER_FAILED, manualNeeded: CANCEL_MANUAL_NEEDED,
  manualAtProvider: CANCEL_MANUAL_AT_PROVIDER, canceled: 'キャンセル', left: '取消見送り',
} as const;
const ORDER_OUT_STATUS = {
  pending: '連携待ち', delivered: '連携済み', failed: ORDER_OUT_FAILED, held: '保留(O-PLUX審査中)', withheld: '連携対象外(O-PLUX審査NG)',
} as const;
const RECURRING_STATUS: Record<RecurringStatus, string> = {
  active: '有効', paused: RECURRING_PAUSED, closed: '終了', expired: '有効期限切れ', 'buyer-closed': '購入者により終了', failed: 'プロセス失敗',
};
/** An imported shipment before any 売上確定: recorded only (配送日のみ), or sent out too. */
const SHIPMENT_STATUS = { recorded: '出荷日設定済み', sent: '出荷連携済み' } as const;
const AMOUNT_CHANGE_STATUS: Record<AmountChangeResult['outcome'], string> = {
  changed: '金額変更済み', unchanged: '変更なし', 'capture-less': '減額売上確定', refunded: '返金済み', 'not-linked': '連携しない',
  manual: '手動変更必要', failed: '金額変更エラー',
};

/** Every status each process's list can show: the filter's values. */
export const ORDER_LIST_STATUSES: Record<AttentionProcess, readonly string[]> = {
  'au-pay': LINK_STATUSES,
  oplux: Object.values(FRAUD_STATUS),
  yahoo: Object.values(WINDOW_STATUS),
  cancel: Object.values(CANCEL_STATUS),
  'order-out': Object.values(ORDER_OUT_STATUS),
  'amazon-pay': Object.values(PAYMENT_STATUS),
  'amazon-pay-recurring': Object.values(RECURRING_STATUS),
  'amount-change': Object.values(AMOUNT_CHANGE_STATUS),
  shipment: [...Object.values(SHIPMENT_STATUS), ...Object.values(CAPTURE_STATUS)],
};

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const caseOf = (col: string, map: Record<string, string>): string =>
  `CASE ${col} ${Object.entries(map).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ')} ELSE ${col} END`;
const workflowIdSql = (idOf: (shopId: string, orderId: string) => string, orderCol: string): string =>
  `format(${lit(idOf('%s', '%s'))}, x.shop_id, ${orderCol})`;
/** An instant as the API writes it (ISO, UTC, milliseconds), or null. */
const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const fields = (f: Record<string, string>): string =>
  `json_build_object(${Object.entries(f).map(([k, v]) => `${lit(k)}, ${v}`).join(', ')})`;

/**
 * One process's rows. `from` binds alias x (with $1 the shop where it is a subquery) and `where` keeps the shop's rows;
 * the page is chosen on order id, status and since alone, and only its rows get `join` and `fields` (the fields would
 * cost a join or a subquery for every row of the shop otherwise).
 */
interface ListSource {
  from: string;
  where: string;
  /** joins only the fields read */
  join?: string;
  orderId: string;
  status: string;
  since: string;
  workflowId: string;
  fields: string;
}

const JST_MONTH = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')`;

const SOURCES: Record<AttentionProcess, ListSource> = {
  'au-pay': {
    from: 'au_pay_orders x', where: 'x.shop_id = $1', orderId: 'x.order_id', status: 'x.link_status', since: 'x.updated_at',
    workflowId: workflowIdSql(auPayShipmentWorkflowId, 'x.order_id'),
    fields: fields({
      auPayOrderId: 'x.au_pay_order_id', shipDate: `to_char(x.ship_date, 'YYYY-MM-DD')`, carrier: 'x.carrier',
      trackingNumber: 'x.tracking_number', linkStatusManual: 'x.link_status_manual', managementClass: 'x.management_class',
      lastError: 'x.last_error', marketOrderStatus: 'x.market_order_status', marketPaymentStatus: 'x.market_payment_status',
    }),
  },
  oplux: {
    from: 'oplux_orders x', where: 'x.shop_id = $1', orderId: 'x.order_id', status: 'x.status', since: 'x.updated_at',
    workflowId: workflowIdSql(opluxFraudReviewWorkflowId, 'x.order_id'),
    fields: fields({
      // the reported order's total; the rest of order_data (the buyer) stays out
      amountJpy: `CASE WHEN jsonb_typeof(x.order_data->'amountJpy') = 'number' THEN (x.order_data->>'amountJpy')::numeric END`,
      result: 'x.review_result', processingResult: 'x.processing_result', manualResult: 'x.manual_result',
      blackFlag: 'x.black_flag', ruleDescription: 'x.rule_description', errorMessage: 'x.error_message', eventId: 'x.event_id',
    }),
  },
  yahoo: {
    from: 'yahoo_pay_method_windows x', where: 'x.shop_id = $1', orderId: 'x.order_id', status: 'x.window_status', since: 'x.updated_at',
    workflowId: workflowIdSql(yahooPayMethodWindowWorkflowId, 'x.order_id'),
    fields: fields({
      deadline: iso('x.deadline'), deadlineSource: 'x.deadline_source', payMethod: 'x.pay_method', orderStatus: 'x.order_status',
      settleStatus: 'x.settle_status', decision: 'x.decision', lastError: 'x.last_error',
    }),
  },
  cancel: {
    from: 'order_cancellations x', where: 'x.shop_id = $1',
    join: 'LEFT JOIN payment_method_settings p ON p.shop_id = x.shop_id AND p.payment_method = x.payment_method',
    orderId: 'x.order_id',
    status: `CASE WHEN x.status = 'canceled' AND x.provider_flagged THEN ${lit(CANCEL_STATUS.manualAtProvider)}
      ELSE ${caseOf('x.status', {
        canceling: CANCEL_STATUS.canceling, 'provider-failed': CANCEL_STATUS.providerFailed, 'manual-cancel-needed': CANCEL_STATUS.manualNeeded,
        canceled: CANCEL_STATUS.canceled, left: CANCEL_STATUS.left,
      })} END`,
    since: 'x.state_since', workflowId: workflowIdSql(orderCancelWorkflowId, 'x.order_id'),
    fields: fields({
      provider: 'p.provider', step: 'x.status', paymentMethod: 'x.payment_method', orderStatus: 'x.order_status',
      providerOutcome: 'x.provider_outcome', providerDetail: 'x.provider_detail', decision: 'x.decision', reminders: 'x.reminders',
      externalStatus: 'x.external_status', externalError: 'x.external_error',
    }),
  },
  'order-out': {
    // the order's row that says where its delivery stands: the first one not delivered (failed first: it holds the
    // later ones back), else the last delivered; grouped on the (shop, order, id) index, then that row by its key
    // (the order id is the group's, so a filter on it reaches the grouping: one order reads its own rows only)
    from: `(SELECT g.order_id, g.row_count, o.shop_id, o.id, o.event, o.status, o.attempts, o.last_error, o.failed_at, o.delivered_at,
          o.created_at FROM (SELECT order_id, count(*) AS row_count, coalesce(min(id) FILTER (WHERE status = 'failed'),
          min(id) FILTER (WHERE status = 'pending'), min(id) FILTER (WHERE status = 'held'), min(id) FILTER (WHERE status = 'withheld'), max(id)) AS current_id
        FROM order_outbox WHERE shop_id = $1 GROUP BY order_id) g JOIN order_outbox o ON o.shop_id = $1 AND o.id = g.current_id) x`,
    where: 'true',
    orderId: 'x.order_id', status: caseOf('x.status', ORDER_OUT_STATUS),
    since: `CASE x.status WHEN 'failed' THEN coalesce(x.failed_at, x.created_at) WHEN 'delivered' THEN coalesce(x.delivered_at, x.created_at)
      ELSE x.created_at END`,
    workflowId: workflowIdSql(orderOutDeliveryWorkflowId, 'x.order_id'),
    fields: fields({
      attempts: 'x.attempts', target: 'x.event', lastError: 'x.last_error', outboxId: 'x.id::text', state: 'x.status',
      rows: 'x.row_count::int', deliveredAt: iso('x.delivered_at'),
    }),
  },
  'amazon-pay': {
    // the review report's lists (seed 000 #1320): the order's latest result, OK or ERROR; null before any
    from: 'amazon_pay_orders x', where: 'x.shop_id = $1',
    join: `LEFT JOIN LATERAL (SELECT r.outcome, r.message FROM amazon_pay_review_results r
        WHERE r.shop_id = x.shop_id AND r.order_id = x.order_id ORDER BY r.id DESC LIMIT 1) rr ON true`,
    orderId: 'x.order_id', status: 'x.payment_status', since: 'x.updated_at',
    workflowId: workflowIdSql(amazonPayAuthorizationWorkflowId, 'x.order_id'),
    fields: fields({
      chargeId: 'x.charge_id', amountJpy: 'x.amount_jpy', reviewResult: 'rr.outcome', reviewMessage: 'rr.message',
      creditStatus: 'x.credit_status', authorizationDate: iso('x.authorization_date'), lastError: 'x.last_error',
    }),
  },
  'amazon-pay-recurring': {
    from: 'amazon_pay_recurring_parents x', where: 'x.shop_id = $1',
    join: `LEFT JOIN LATERAL (SELECT max(c.cycle) AS cycle, max(c.scheduled_at) AS last_scheduled,
          coalesce(sum(c.amount_jpy) FILTER (WHERE c.outcome = 'charged' AND ${JST_MONTH('c.recorded_at')} = ${JST_MONTH('now()')}), 0) AS month_total
        FROM amazon_pay_recurring_children c WHERE c.shop_id = x.shop_id AND c.parent_order_id = x.parent_order_id) ch ON true`,
    orderId: 'x.parent_order_id', status: caseOf('x.status', RECURRING_STATUS), since: 'x.updated_at',
    workflowId: workflowIdSql(amazonPayRecurringWorkflowId, 'x.parent_order_id'),
    fields: fields({
      // the plan's next step after the last child, in JST calendar terms as the workflow steps (a month keeps the day)
      nextChargeAt: iso(`CASE WHEN x.status = 'active' AND ch.last_scheduled IS NOT NULL THEN
        ((ch.last_scheduled AT TIME ZONE 'Asia/Tokyo') + CASE x.interval_unit WHEN 'Month' THEN make_interval(months => x.interval_value)
          WHEN 'Week' THEN make_interval(weeks => x.interval_value) ELSE make_interval(days => x.interval_value) END) AT TIME ZONE 'Asia/Tokyo' END`),
      monthTotalJpy: 'ch.month_total::int', monthlyCapJpy: String(MONTHLY_CAP_JPY), expiresAt: iso('x.expires_at'),
      expiryMonths: String(EXPIRY_MONTHS), cycle: 'ch.cycle', amountJpy: 'x.amount_jpy',
      interval: `x.interval_value || ' ' || x.interval_unit`, state: 'x.status',
    }),
  },
  'amount-change': {
    // one row per order: its latest change, from the amount before it (the previous change's; null for the first)
    from: 'order_amount_changes x',
    where: 'x.shop_id = $1 AND NOT EXISTS (SELECT 1 FROM order_amount_changes n WHERE n.shop_id = x.shop_id AND n.order_id = x.order_id AND n.id > x.id)',
    orderId: 'x.order_id', status: caseOf('x.outcome', AMOUNT_CHANGE_STATUS), since: 'x.created_at',
    workflowId: `format(${lit(orderAmountChangeWorkflowId('%s', '%s', 0).replace(/0$/, '%s'))}, x.shop_id, x.order_id, x.amount_jpy)`,
    fields: fields({
      fromJpy: `(SELECT n.amount_jpy FROM order_amount_changes n WHERE n.shop_id = x.shop_id AND n.order_id = x.order_id AND n.id < x.id
        ORDER BY n.id DESC LIMIT 1)`, toJpy: 'x.amount_jpy', outcome: 'x.outcome', detail: 'x.detail' }),
  },
  shipment: {
    from: 'order_shipments x', where: 'x.shop_id = $1', orderId: 'x.order_id',
    status: `coalesce(x.capture_status, CASE WHEN x.sent_out_at IS NOT NULL THEN ${lit(SHIPMENT_STATUS.sent)} ELSE ${lit(SHIPMENT_STATUS.recorded)} END)`,
    since: 'x.updated_at', workflowId: workflowIdSql(orderCaptureWorkflowId, 'x.order_id'),
    fields: fields({
      shipDate: `to_char(x.ship_date, 'YYYY-MM-DD')`, carrier: 'x.carrier', trackingNumber: 'x.tracking_number',
      importId: 'x.import_id', line: 'x.line', sentOutAt: iso('x.sent_out_at'), captureError: 'x.capture_error',
    }),
  },
};

/** Exact to the microsecond, so a cursor never skips nor repeats a row that shares its millisecond. */
const EXACT = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The page's statement (exported for EXPLAIN): `limit + 1` rows, the extra one saying there is more. */
export function orderListSql(q: OrderListQuery): { text: string; values: unknown[] } {
  const s = SOURCES[q.process];
  const values: unknown[] = [q.shopId];
  const param = (v: unknown): string => `$${values.push(v)}`;
  const where: string[] = [];
  if (q.status !== undefined) where.push(`l.status = ${param(q.status)}`);
  if (q.orderIdPrefix) where.push(`starts_with(l.order_id, ${param(q.orderIdPrefix)})`);
  if (q.orderId !== undefined) where.push(`l.order_id = ${param(q.orderId)}`);
  if (q.after) where.push(`(l.since, l.order_id) < (${param(q.after.since)}::timestamptz, ${param(q.after.orderId)})`);
  return {
    text: `SELECT pick.order_id, pick.status, pick.since, ${EXACT('pick.since')} AS exact_since, d.workflow_id, d.fields
     FROM (SELECT l.* FROM (SELECT ${s.orderId} AS order_id, (${s.status})::text AS status, ${s.since} AS since FROM ${s.from} WHERE ${s.where}) l
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.since DESC, l.order_id DESC LIMIT ${param(q.limit + 1)}) pick
     CROSS JOIN LATERAL (SELECT ${s.workflowId} AS workflow_id, ${s.fields} AS fields
       FROM ${s.from} ${s.join ?? ''} WHERE ${s.where} AND ${s.orderId} = pick.order_id) d
     ORDER BY pick.since DESC, pick.order_id DESC`,
    values,
  };
}

type PageRow = { order_id: string; status: string; since: Date; exact_since: string; workflow_id: string; fields: Record<string, FieldValue> };

/** One page, newest change first, and the cursor after it (null on the last page). */
export async function listOrders(pool: Pick<Pool, 'query'>, q: OrderListQuery): Promise<{ rows: OrderListItem[]; next: OrderListCursor | null }> {
  const sql = orderListSql(q);
  const { rows } = await pool.query<PageRow>(sql.text, sql.values);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      process: q.process, orderId: r.order_id, status: r.status, since: new Date(r.since).toISOString(), workflowId: r.workflow_id, fields: r.fields,
    })),
    next: rows.length > q.limit && last ? { since: last.exact_since, orderId: last.order_id } : null,
  };
}

/** The counts' statement (exported for EXPLAIN). */
export function orderCountsSql(shopId: string, process: AttentionProcess): { text: string; values: unknown[] } {
  const s = SOURCES[process];
  return { text: `SELECT (${s.status})::text AS status, count(*)::int AS count FROM ${s.from} WHERE ${s.where} GROUP BY 1`, values: [shopId] };
}

/** How many orders of the process the shop has in each status (the whole shop, whatever the filters and page). */
export async function countOrders(pool: Pick<Pool, 'query'>, shopId: string, process: AttentionProcess): Promise<Record<string, number>> {
  const sql = orderCountsSql(shopId, process);
  const { rows } = await pool.query<{ status: string; count: number }>(sql.text, sql.values);
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}
