import type { Pool } from 'pg';
import { ATTENTION_PROCESSES, PROCESS_OF_WORKFLOW, type AttentionProcess } from './attention';
import {
  amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId, auPayShipmentWorkflowId, opluxFraudReviewWorkflowId,
  orderAmountChangeWorkflowId, orderCancelWorkflowId, orderCaptureWorkflowId, orderOutDeliveryWorkflowId, yahooPayMethodWindowWorkflowId,
} from '../workflows/workflow-ids';

/**
 * Everything renkei recorded about one order, from the tables that keep history: the processes' intake, each external
 * call (au PAY API連携履歴, Amazon Pay review results, recurring children, amount changes), mails, order data OUT rows
 * and their attempts, operator actions (the audit) and process failures. Only columns without personal data: never
 * order_data, outbox payloads, mail recipients or errors, nor the operator's input.
 */

export type TimelineKind = 'status' | 'call' | 'mail' | 'order-out' | 'operator' | 'failure';
export type TimelineOutcome = 'ok' | 'error' | 'pending' | null;

export interface TimelineEvent {
  at: string;
  process: AttentionProcess | null;
  kind: TimelineKind;
  title: string;
  detail: string | null;
  outcome: TimelineOutcome;
  actor: string | null;
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The mails of the order's workflows: a mail's dedupe key starts with its workflow id (mail/throttled-mailer.ts), so
 * each process's id followed by ':' (an amount change's id goes on with the amount) finds its mails, LIKE-escaped.
 */
function mailPrefixes(shopId: string, orderId: string): Array<{ process: AttentionProcess; prefix: string }> {
  const amountChange = orderAmountChangeWorkflowId(shopId, orderId, 0).replace(/0$/, '');
  return [
    { process: 'au-pay', prefix: `${auPayShipmentWorkflowId(shopId, orderId)}:` },
    { process: 'oplux', prefix: `${opluxFraudReviewWorkflowId(shopId, orderId)}:` },
    { process: 'yahoo', prefix: `${yahooPayMethodWindowWorkflowId(shopId, orderId)}:` },
    { process: 'cancel', prefix: `${orderCancelWorkflowId(shopId, orderId)}:` },
    { process: 'order-out', prefix: `${orderOutDeliveryWorkflowId(shopId, orderId)}:` },
    { process: 'amazon-pay', prefix: `${amazonPayAuthorizationWorkflowId(shopId, orderId)}:` },
    { process: 'amazon-pay', prefix: `${orderCaptureWorkflowId(shopId, orderId)}:` },
    { process: 'amazon-pay-recurring', prefix: `${amazonPayRecurringWorkflowId(shopId, orderId)}:` },
    { process: 'amount-change', prefix: amountChange },
  ];
}
const likePrefix = (p: string): string => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const WORKFLOW_PROCESS = `CASE f.process ${Object.entries(PROCESS_OF_WORKFLOW).map(([t, p]) => `WHEN ${lit(t)} THEN ${lit(p)}`).join(' ')} END`;
const yen = (col: string) => `'¥' || ${col}::text`;

/** The statement (exported for EXPLAIN); $1 shop, $2 order. */
export function orderTimelineSql(shopId: string, orderId: string): { text: string; values: unknown[] } {
  const values: unknown[] = [shopId, orderId];
  const param = (v: unknown): string => `$${values.push(v)}`;
  const mails = mailPrefixes(shopId, orderId).map((m) => ({ ...m, like: param(likePrefix(m.prefix)) }));
  const branches = [
    // intake: when each process first saw the order
    `SELECT reported_at AS at, 'au-pay' AS process, 'status' AS kind, '出荷報告を受け付けました' AS title, NULL AS detail, NULL AS outcome, NULL AS actor, 0::bigint AS seq
       FROM au_pay_orders WHERE shop_id = $1 AND order_id = $2`,
    `SELECT created_at, 'oplux', 'status', '不正審査の対象として登録しました', NULL, NULL, NULL, 0 FROM oplux_orders WHERE shop_id = $1 AND order_id = $2`,
    `SELECT created_at, 'yahoo', 'status', 'オーソリエラー注文を受け付けました', NULL, NULL, NULL, 0 FROM yahoo_pay_method_windows WHERE shop_id = $1 AND order_id = $2`,
    `SELECT created_at, 'amazon-pay', 'status', '審査中', NULL, NULL, NULL, 0 FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = $2`,
    `SELECT created_at, 'cancel', 'status', 'キャンセル依頼を受け付けました', array_to_string(sources, ', '), NULL, NULL, 0
       FROM order_cancellations WHERE shop_id = $1 AND order_id = $2`,
    // external calls
    `SELECT called_at, 'au-pay', 'call', 'au PAY ' || operation || ': ' || result,
        CASE WHEN http_status IS NULL THEN '呼び出し前に停止' ELSE 'HTTP ' || http_status END
          || coalesce(' ' || error_code, '') || coalesce(' ' || error_message, ''),
        CASE result WHEN '成功' THEN 'ok' ELSE 'error' END, NULL, id
       FROM au_pay_call_history WHERE shop_id = $1 AND order_id = $2`,
    // the review report's lists (seed 000 #1320): OK, or ERROR for a state the review did not expect
    `SELECT recorded_at, 'amazon-pay', 'status', '審査結果 ' || outcome || ' (' || state || ')', message,
        CASE outcome WHEN 'OK' THEN 'ok' ELSE 'error' END, NULL, id
       FROM amazon_pay_review_results WHERE shop_id = $1 AND order_id = $2`,
    `SELECT recorded_at, 'amazon-pay-recurring', 'call', '定期子受注 ' || cycle || ': ' || outcome || ' ' || ${yen('amount_jpy')},
        nullif(concat_ws(' ', charge_state, reason), ''),
        CASE WHEN outcome = 'charged' THEN 'ok' WHEN outcome IN ('declined', 'failed') THEN 'error' END, NULL, cycle
       FROM amazon_pay_recurring_children WHERE shop_id = $1 AND parent_order_id = $2`,
    `SELECT created_at, 'amount-change', 'call', '金額変更 ' || ${yen('amount_jpy')} || ': ' || outcome, detail,
        CASE WHEN outcome IN ('changed', 'unchanged', 'refunded', 'capture-less') THEN 'ok' WHEN outcome = 'failed' THEN 'error' END, NULL, id
       FROM order_amount_changes WHERE shop_id = $1 AND order_id = $2`,
    // mails: subject and audience only (never the address, nor a transport error that may quote it)
    `SELECT created_at, CASE ${mails.map((m) => `WHEN dedupe_key LIKE ${m.like} THEN ${lit(m.process)}`).join(' ')} END, 'mail',
        'メール: ' || subject,
        CASE audience WHEN 'admin' THEN '店舗管理者宛' ELSE '購入者宛' END || ' · '
          || CASE status WHEN 'sent' THEN '送信済み' WHEN 'suppressed' THEN '配信抑止' WHEN 'failed' THEN '送信失敗' ELSE '送信中' END,
        CASE status WHEN 'sent' THEN 'ok' WHEN 'failed' THEN 'error' WHEN 'sending' THEN 'pending' END, NULL, id
       FROM mail_log WHERE shop_id = $1 AND (${mails.map((m) => `dedupe_key LIKE ${m.like}`).join(' OR ')})`,
    // order data OUT: each row as written, each attempt, and the row's giving up
    `SELECT created_at, 'order-out', 'order-out', '受注データ連携OUT: ' || event || ' を登録', '状態: ' || status, NULL, NULL, id
       FROM order_outbox WHERE shop_id = $1 AND order_id = $2`,
    `SELECT a.attempted_at, 'order-out', 'order-out', '受注データ連携OUT: ' || o.event || ' を送信',
        nullif(concat_ws(' ', 'HTTP ' || a.http_status, a.error, a.duration_ms || 'ms'), ''),
        CASE WHEN a.error IS NULL AND a.http_status BETWEEN 200 AND 299 THEN 'ok' ELSE 'error' END, NULL, a.id
       FROM order_outbox o JOIN order_out_attempts a ON a.outbox_id = o.id WHERE o.shop_id = $1 AND o.order_id = $2`,
    `SELECT failed_at, 'order-out', 'order-out', '受注データ連携OUT: ' || event || ' 外部連携エラー(再送待ち)', last_error, 'error', NULL, id
       FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND status = 'failed' AND failed_at IS NOT NULL`,
    // operator actions: who, what, and how it ended (the input stays in the audit)
    `SELECT at, CASE WHEN process IN (${ATTENTION_PROCESSES.map(lit).join(', ')}) THEN process END, 'operator', action, concat_ws(' · ', reason, 'bulk ' || bulk_id),
        CASE outcome WHEN 'applied' THEN 'ok' WHEN 'pending' THEN 'pending' ELSE 'error' END, operator, id
       FROM audit_log WHERE shop_id = $1 AND order_id = $2`,
    `SELECT failed_at, ${WORKFLOW_PROCESS}, 'failure', 'プロセス失敗', reason, 'error', NULL, 0
       FROM process_failures f WHERE shop_id = $1 AND order_id = $2`,
  ];
  return {
    text: `SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, e.process, e.kind, e.title, e.detail, e.outcome, e.actor
      FROM (${branches.join('\n  UNION ALL\n  ')}) e WHERE e.at IS NOT NULL ORDER BY e.at, e.seq`,
    values,
  };
}

/** The order's recorded events, oldest first. */
export async function orderTimelineEvents(pool: Pick<Pool, 'query'>, shopId: string, orderId: string): Promise<TimelineEvent[]> {
  const sql = orderTimelineSql(shopId, orderId);
  return (await pool.query<TimelineEvent>(sql.text, sql.values)).rows;
}
