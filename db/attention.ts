import type { Pool } from 'pg';
import type { OperatorActionName } from '../operators/action-catalog';
import type { OrderProcess } from '../workflows/process-failure';
import { LINK_STATUS } from '../workflows/au-pay-link-status';
import { FRAUD_STATUS } from '../workflows/oplux-review-rules';
import { WINDOW_STATUS } from '../workflows/yahoo-window-status';
import { PAYMENT_STATUS } from '../workflows/amazon-pay-review';
import {
  amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId, auPayShipmentWorkflowId, opluxFraudReviewWorkflowId,
  orderCancelWorkflowId, orderCaptureWorkflowId, orderOutDeliveryWorkflowId, yahooPayMethodWindowWorkflowId,
} from '../workflows/workflow-ids';
import { CAPTURE_STATUS } from './order-shipments';

/**
 * The attention list: every order, in every process, that waits for a person or stopped at an error, read from
 * PostgreSQL. One branch per kind of row, each on its own partial index (migration 016), joined by UNION ALL and paged
 * by keyset on (since, process, orderId, key), oldest first: what has waited longest comes first.
 */

/** The process keys the list (and its filter) uses. */
export const ATTENTION_PROCESSES = [
  'au-pay', 'oplux', 'yahoo', 'cancel', 'order-out', 'amazon-pay', 'amazon-pay-recurring', 'amount-change', 'shipment',
] as const;
export type AttentionProcess = (typeof ATTENTION_PROCESSES)[number];

/** The workflow type behind each process key: a process_failures row names the type. */
export const PROCESS_OF_WORKFLOW: Record<OrderProcess, AttentionProcess> = {
  auPayShipmentWorkflow: 'au-pay',
  opluxFraudReviewWorkflow: 'oplux',
  yahooPayMethodWindowWorkflow: 'yahoo',
  orderCancelWorkflow: 'cancel',
  orderOutDeliveryWorkflow: 'order-out',
  amazonPayAuthorizationWorkflow: 'amazon-pay',
  amazonPayRecurringWorkflow: 'amazon-pay-recurring',
  orderAmountChangeWorkflow: 'amount-change',
};

/** A process (workflow) that ended in failure: shown instead of whatever its order's row says. */
export const PROCESS_FAILED = 'プロセス失敗';

/** Statuses the list shows that the tables do not name in Japanese themselves. */
export const CANCEL_PROVIDER_FAILED = '決済取消失敗・担当者確認待ち';
export const CANCEL_MANUAL_AT_PROVIDER = '決済代行会社側手動取消待ち';
/** a cancel stopped before the provider: the payment method has no settings (the workflow's manual-cancel-needed) */
export const CANCEL_MANUAL_NEEDED = '手動取消必要';
export const ORDER_OUT_FAILED = '外部連携エラー';
export const REVIEW_RESULT_ERROR = '審査結果ERROR';
export const REVIEW_OVERDUE = PAYMENT_STATUS.reviewing;
export const RECURRING_PAUSED = '一時停止';
export const RECURRING_EXPIRING = '有効期限間近';

export interface AttentionRow {
  process: AttentionProcess;
  orderId: string;
  status: string;
  since: string;
  reason: string;
  actions: string[];
  workflowId: string;
}

export interface AttentionCount {
  process: AttentionProcess;
  status: string;
  count: number;
}

/** Where the previous page ended; `key` tells apart two rows of one order in one process at the same instant. */
export interface AttentionCursor {
  since: string;
  process: string;
  orderId: string;
  key: string;
}

export interface AttentionQuery {
  shopId: string;
  process?: AttentionProcess;
  status?: string;
  olderThan?: Date;
  after?: AttentionCursor;
  limit: number;
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** The operator actions allowed now, by their names in the action catalog (a renamed action fails to compile here). */
const actions = (...names: OperatorActionName[]): string => (names.length ? `ARRAY[${names.map(lit).join(', ')}]` : `ARRAY[]::text[]`);
/** The workflow id of the row's order, built in SQL from the same function the workers use. */
const workflowIdSql = (idOf: (shopId: string, orderId: string) => string, orderCol: string): string =>
  `format(${lit(idOf('%s', '%s'))}, x.shop_id, ${orderCol})`;

/**
 * One kind of row. `where` repeats its partial index's predicate word for word (so the planner picks the index);
 * `at` is the index's time column and `since = at - shift`, so paging and "older than" stay range scans on it.
 */
interface Branch {
  /** null: process_failures, whose rows name their workflow type */
  process: AttentionProcess | null;
  statuses: readonly string[];
  from: string;
  where: string;
  at: string;
  shift?: string;
  orderId: string;
  key: string;
  status: string;
  reason: string;
  actions: string;
  workflowId: string;
  /** the row hides behind its workflow's failure row, the one shown for the order in that process */
  hiddenByFailure: boolean;
}

// the statuses as the workflows name them; migration 016's partial indexes repeat them
const AU_PAY_ERRORS = [LINK_STATUS.shipError, LINK_STATUS.completeError, LINK_STATUS.statusError];
const OPLUX_MANUAL = [FRAUD_STATUS.awaitingManual, FRAUD_STATUS.manualHold];
const OPLUX_ERRORS = [FRAUD_STATUS.reviewError, FRAUD_STATUS.updateError];
const YAHOO_WAITING = [WINDOW_STATUS.expiredAwaitingOperator, WINDOW_STATUS.linkError];
/** A review still 審査中 after this long has not had its result (the workflow gives up at 25 hours). */
const REVIEW_OVERDUE_AFTER = `interval '24 hours'`;
/** A recurring permission this close to its expiry needs the shop's attention (renewal, or closing it). */
const EXPIRY_WARNING = `interval '720 hours'`;
const withError = (head: string, error: string) => `${head} || coalesce(': ' || nullif(${error}, ''), '')`;

const BRANCHES: readonly Branch[] = [
  {
    process: 'au-pay', statuses: AU_PAY_ERRORS, from: 'au_pay_orders x',
    where: `x.link_status IN (${AU_PAY_ERRORS.map(lit).join(', ')})`,
    at: 'x.updated_at', orderId: 'x.order_id', key: `''`, status: 'x.link_status',
    reason: withError('x.link_status', 'x.last_error'), actions: actions('au-pay.link-status'),
    workflowId: workflowIdSql(auPayShipmentWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    process: 'oplux', statuses: [...OPLUX_MANUAL, ...OPLUX_ERRORS], from: 'oplux_orders x',
    where: `x.status IN (${[...OPLUX_MANUAL, ...OPLUX_ERRORS].map(lit).join(', ')})`,
    at: 'x.updated_at', orderId: 'x.order_id', key: `''`, status: 'x.status',
    reason: withError('x.status', `coalesce(nullif(x.error_message, ''), x.rule_description)`),
    actions: `CASE WHEN x.status IN (${OPLUX_MANUAL.map(lit).join(', ')}) THEN ${actions('oplux.manual-review', 'oplux.black-flag')}
      ELSE ${actions('oplux.relink')} END`,
    workflowId: workflowIdSql(opluxFraudReviewWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    process: 'yahoo', statuses: YAHOO_WAITING, from: 'yahoo_pay_method_windows x',
    where: `x.window_status IN (${YAHOO_WAITING.map(lit).join(', ')})`,
    at: 'x.updated_at', orderId: 'x.order_id', key: `''`, status: 'x.window_status',
    reason: withError('x.window_status', 'x.last_error'), actions: actions('yahoo.decision'),
    workflowId: workflowIdSql(yahooPayMethodWindowWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    // the provider cancel failed and the operator decides (#1334); or the order was canceled here only and the
    // provider's side must be canceled by hand (取消API not available, or "cancel locally only"). A failed order data
    // OUT of the cancel is the order-out branch's row, with its redelivery.
    // or the payment method has no settings, so the cancel stopped before the provider (manual cancel needed)
    process: 'cancel', statuses: [CANCEL_PROVIDER_FAILED, CANCEL_MANUAL_NEEDED, CANCEL_MANUAL_AT_PROVIDER], from: 'order_cancellations x',
    where: `(x.status IN ('provider-failed', 'manual-cancel-needed') OR (x.status = 'canceled' AND x.provider_flagged))`,
    at: 'x.state_since', orderId: 'x.order_id', key: `''`,
    status: `CASE x.status WHEN 'provider-failed' THEN ${lit(CANCEL_PROVIDER_FAILED)} WHEN 'manual-cancel-needed' THEN ${lit(CANCEL_MANUAL_NEEDED)}
      ELSE ${lit(CANCEL_MANUAL_AT_PROVIDER)} END`,
    reason: `CASE x.status WHEN 'provider-failed' THEN ${withError(lit('決済代行会社への受注キャンセル連携に失敗しました'), 'x.provider_detail')}
      WHEN 'manual-cancel-needed' THEN ${withError(lit('決済方法の設定がないため取消連携できません'), 'x.provider_detail')}
      ELSE 'アラジンECの受注のみ取消しました。決済代行会社側で取消してください (' || coalesce(x.provider_outcome, '') || ')' END`,
    actions: `CASE WHEN x.status IN ('provider-failed', 'manual-cancel-needed') THEN ${actions('cancel.decision')} ELSE ${actions()} END`,
    workflowId: workflowIdSql(orderCancelWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    // the order's earliest failed row: it holds back the later ones, and the redelivery is per order
    process: 'order-out', statuses: [ORDER_OUT_FAILED], from: 'order_outbox x',
    where: `x.status = 'failed' AND NOT EXISTS (SELECT 1 FROM order_outbox e
      WHERE e.shop_id = x.shop_id AND e.order_id = x.order_id AND e.status = 'failed' AND e.id < x.id)`,
    at: 'x.failed_at', orderId: 'x.order_id', key: 'x.id::text', status: lit(ORDER_OUT_FAILED),
    reason: `${lit(`${ORDER_OUT_FAILED}: `)} || coalesce(x.last_error, 'unknown') || ' (' || x.event || ')'`,
    actions: actions('order-out.redeliver'),
    workflowId: workflowIdSql(orderOutDeliveryWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    process: 'amazon-pay', statuses: [PAYMENT_STATUS.failed], from: 'amazon_pay_orders x', where: `x.payment_status = ${lit(PAYMENT_STATUS.failed)}`,
    at: 'x.updated_at', orderId: 'x.order_id', key: `'order'`, status: 'x.payment_status',
    reason: withError('x.payment_status', 'x.last_error'), actions: actions(),
    workflowId: workflowIdSql(amazonPayAuthorizationWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    process: 'amazon-pay', statuses: [REVIEW_OVERDUE], from: 'amazon_pay_orders x',
    where: `x.payment_status = ${lit(PAYMENT_STATUS.reviewing)} AND x.created_at < now() - ${REVIEW_OVERDUE_AFTER}`,
    at: 'x.created_at', orderId: 'x.order_id', key: `'order'`, status: 'x.payment_status',
    reason: `'審査中のまま24時間を過ぎました(審査結果を受け取っていません)'`, actions: actions(),
    workflowId: workflowIdSql(amazonPayAuthorizationWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    // #1320: a state the review did not expect (the ERROR list of the periodic report)
    process: 'amazon-pay', statuses: [REVIEW_RESULT_ERROR], from: 'amazon_pay_review_results x', where: `x.outcome = 'ERROR'`,
    at: 'x.recorded_at', orderId: 'x.order_id', key: `'review:' || x.id`, status: lit(REVIEW_RESULT_ERROR),
    reason: `'予期せぬステータスを取得しました: ' || coalesce(x.message, x.state)`, actions: actions(),
    workflowId: workflowIdSql(amazonPayAuthorizationWorkflowId, 'x.order_id'), hiddenByFailure: true,
  },
  {
    process: 'amazon-pay-recurring', statuses: [RECURRING_PAUSED], from: 'amazon_pay_recurring_parents x', where: `x.status = 'paused'`,
    at: 'x.updated_at', orderId: 'x.parent_order_id', key: `''`, status: lit(RECURRING_PAUSED),
    reason: `'定期の支払い(ChargePermission)が課金できない状態のため、定期受注を一時停止しています'`,
    actions: actions('amazon-pay-recurring.close'),
    workflowId: workflowIdSql(amazonPayRecurringWorkflowId, 'x.parent_order_id'), hiddenByFailure: true,
  },
  {
    process: 'amazon-pay-recurring', statuses: [RECURRING_EXPIRING], from: 'amazon_pay_recurring_parents x',
    where: `x.status = 'active' AND x.expires_at IS NOT NULL AND x.expires_at < now() + ${EXPIRY_WARNING}`,
    at: 'x.expires_at', shift: EXPIRY_WARNING, orderId: 'x.parent_order_id', key: `''`, status: lit(RECURRING_EXPIRING),
    reason: `'定期の支払い(ChargePermission)の有効期限が近づいています: ' || to_char(x.expires_at AT TIME ZONE 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI')`,
    actions: actions('amazon-pay-recurring.close', 'amazon-pay-recurring.skip-next'),
    workflowId: workflowIdSql(amazonPayRecurringWorkflowId, 'x.parent_order_id'), hiddenByFailure: true,
  },
  {
    // 出荷実績取込's 売上確定: the provider refused the capture (or the order had no charge to capture)
    process: 'shipment', statuses: [CAPTURE_STATUS.error], from: 'order_shipments x', where: `x.capture_status = ${lit(CAPTURE_STATUS.error)}`,
    at: 'x.capture_since', orderId: 'x.order_id', key: `''`, status: 'x.capture_status',
    reason: withError('x.capture_status', 'x.capture_error'), actions: actions(),
    workflowId: workflowIdSql(orderCaptureWorkflowId, 'x.order_id'), hiddenByFailure: false,
  },
];

const FAILURES: Branch = {
  process: null, statuses: [PROCESS_FAILED], from: 'process_failures x', where: 'true',
  at: 'x.failed_at', orderId: 'x.order_id', key: 'x.workflow_id', status: lit(PROCESS_FAILED),
  reason: 'x.reason', actions: actions(), workflowId: 'x.workflow_id', hiddenByFailure: false,
};

const WORKFLOWS = Object.entries(PROCESS_OF_WORKFLOW) as Array<[OrderProcess, AttentionProcess]>;
const processSql = (b: Branch): string =>
  b.process ? `${lit(b.process)}::text` : `CASE x.process ${WORKFLOWS.map(([t, p]) => `WHEN ${lit(t)} THEN ${lit(p)}`).join(' ')} ELSE x.process END`;

/** Every status the list can show, for the query's filter. */
export const ATTENTION_STATUSES = [...new Set([...BRANCHES, FAILURES].flatMap((b) => b.statuses))];

/** The branches that can hold rows of `process` with `status`, each with the condition that keeps only those. */
function branchesFor(q: { process?: AttentionProcess; status?: string }, param: (v: unknown) => string): Array<{ b: Branch; where: string }> {
  const out: Array<{ b: Branch; where: string }> = [];
  for (const b of [...BRANCHES, FAILURES]) {
    if (q.status !== undefined && !b.statuses.includes(q.status)) continue;
    if (q.process !== undefined && b.process !== null && b.process !== q.process) continue;
    const where = [`x.shop_id = $1`, b.where];
    if (b.process === null && q.process !== undefined) {
      const types = WORKFLOWS.filter(([, p]) => p === q.process).map(([t]) => lit(t));
      if (types.length === 0) continue; // a process with no workflow of its own (shipment) has no failure rows
      where.push(`x.process IN (${types.join(', ')})`);
    }
    if (q.status !== undefined && b.statuses.length > 1) where.push(`${b.status} = ${param(q.status)}`);
    if (b.hiddenByFailure) where.push(`NOT EXISTS (SELECT 1 FROM process_failures f WHERE f.workflow_id = ${b.workflowId})`);
    out.push({ b, where: where.join(' AND ') });
  }
  return out;
}

/** Exact to the microsecond, so a cursor never skips nor repeats a row that shares its millisecond. */
const EXACT_SINCE = `to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

type PageRow = {
  process: AttentionProcess; order_id: string; status: string; since: Date; exact_since: string; reason: string;
  actions: string[]; workflow_id: string; key: string;
};

/** The page's statement (exported for the benchmark's EXPLAIN): `limit + 1` rows, the extra one saying there is more. */
export function attentionPageSql(q: AttentionQuery): { text: string; values: unknown[] } | undefined {
  const values: unknown[] = [q.shopId];
  const param = (v: unknown): string => `$${values.push(v)}`;
  const olderThan = q.olderThan ? param(q.olderThan.toISOString()) : undefined;
  const after = q.after
    ? { since: param(q.after.since), process: param(q.after.process), orderId: param(q.after.orderId), key: param(q.after.key) }
    : undefined;
  const limit = param(q.limit + 1);
  const selects = branchesFor(q, param).map(({ b, where }) => {
    const shift = b.shift ? ` + ${b.shift}` : '';
    const since = b.shift ? `${b.at} - ${b.shift}` : b.at;
    const conds = [where];
    // on the index's own column, so both bounds are range conditions of its scan
    if (olderThan) conds.push(`${b.at} < ${olderThan}::timestamptz${shift}`);
    if (after) {
      conds.push(`${b.at} >= ${after.since}::timestamptz${shift}`);
      conds.push(`(${since}, ${processSql(b)}, ${b.orderId}, ${b.key}::text) > (${after.since}::timestamptz, ${after.process}, ${after.orderId}, ${after.key})`);
    }
    return `(SELECT ${processSql(b)} AS process, ${b.orderId} AS order_id, ${b.status}::text AS status, ${since} AS since,
        ${b.reason} AS reason, ${b.actions} AS actions, ${b.workflowId} AS workflow_id, ${b.key}::text AS key
      FROM ${b.from} WHERE ${conds.join(' AND ')}
      ORDER BY ${b.at}, 1, ${b.orderId}, key LIMIT ${limit})`;
  });
  if (selects.length === 0) return undefined;
  return {
    text: `SELECT a.*, ${EXACT_SINCE} AS exact_since FROM (${selects.join('\n  UNION ALL\n  ')}) a
     ORDER BY since, process, order_id, key LIMIT ${limit}`,
    values,
  };
}

/** One page, oldest first, and the cursor after it (null on the last page). */
export async function listAttention(pool: Pick<Pool, 'query'>, q: AttentionQuery): Promise<{ rows: AttentionRow[]; next: AttentionCursor | null }> {
  const sql = attentionPageSql(q);
  if (!sql) return { rows: [], next: null };
  const { rows } = await pool.query<PageRow>(sql.text, sql.values);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      process: r.process, orderId: r.order_id, status: r.status, since: new Date(r.since).toISOString(), reason: r.reason,
      actions: r.actions, workflowId: r.workflow_id,
    })),
    next: rows.length > q.limit && last ? { since: last.exact_since, process: last.process, orderId: last.order_id, key: last.key } : null,
  };
}

/** The counts' statement (exported for the benchmark's EXPLAIN). */
export function attentionCountsSql(shopId: string): { text: string; values: unknown[] } {
  const selects = branchesFor({}, () => { throw new Error('no filter here'); }).map(({ b, where }) =>
    `SELECT ${processSql(b)} AS process, ${b.status}::text AS status, count(*)::int AS count FROM ${b.from} WHERE ${where} GROUP BY 1, 2`);
  return {
    text: `SELECT process, status, sum(count)::int AS count FROM (${selects.join('\n  UNION ALL\n  ')}) c GROUP BY 1, 2 ORDER BY 1, 2`,
    values: [shopId],
  };
}

/** How many rows the whole shop has, per process and status (the console's badges): every row, not one page's. */
export async function countAttention(pool: Pick<Pool, 'query'>, shopId: string): Promise<AttentionCount[]> {
  const sql = attentionCountsSql(shopId);
  return (await pool.query<AttentionCount>(sql.text, sql.values)).rows;
}
