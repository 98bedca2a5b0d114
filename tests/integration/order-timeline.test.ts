import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { insertCallHistory, setLinkStatus, upsertShipmentReport } from '../../db/au-pay-orders';
import { admitMail, DEFAULT_THROTTLE, markMail } from '../../db/mail-log';
import { recordAttempt } from '../../db/order-out';
import { recordProcessFailure } from '../../db/process-failures';
import { auPayShipmentWorkflowId, opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { writeOutbox } from '../support/order-out-fixtures';
import { callApi, startTestApi } from '../support/test-api';
import { DEFAULT_URLS } from '../../common/local-urls';

/**
 * The order's timeline (issue 14 §1, the console's order page) through the real API on PostgreSQL: rows as the
 * processes write them, and an operator action made through the API (refused: no workflow runs), in time order, with
 * the order's processes linked to the Temporal Web UI, and none of the buyer's personal data.
 */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: { url: string; stop(): Promise<void> };

interface Event { at: string; process: string | null; kind: string; title: string; detail: string | null; outcome: string | null; actor: string | null }
interface Timeline {
  shopId: string; orderId: string; events: Event[];
  processes: Array<{ process: string; workflowId: string; status: string; since: string; webUiUrl: string }>;
}

const ORDER = 'TL_1';
const BUYER = { name: '山田太郎', email: 'taro.yamada@example.com', phone: '090-1234-5678' };
const timeline = (orderId: string) => callApi<Timeline>(`${api.url}/shops/${SHOP_ID}/orders/${orderId}/timeline`, 'GET');
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

beforeAll(async () => {
  ({ env } = await startDevServer());
  db = await startTestDatabase();
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue: 'order-timeline' });
  const pool = db.pool;
  const set = (sql: string, params: unknown[]) => pool.query(sql, params);

  // au PAY: the shipment report, a failed push (API連携履歴), the status it left
  await upsertShipmentReport(pool, { shopId: SHOP_ID, orderId: ORDER, auPayOrderId: '77', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-9' });
  await set(`UPDATE au_pay_orders SET reported_at = $2 WHERE shop_id = $1 AND order_id = '${ORDER}'`, [SHOP_ID, at(300)]);
  await insertCallHistory(pool, { shopId: SHOP_ID, orderId: ORDER, auPayOrderId: '77', operation: 'updateTradeInfoProc', result: 'エラー', httpStatus: 200, errorCode: 'E00045', errorMessage: '取引が存在しません', durationMs: 12 });
  await set(`UPDATE au_pay_call_history SET called_at = $2 WHERE shop_id = $1 AND order_id = '${ORDER}'`, [SHOP_ID, at(240)]);
  await setLinkStatus(pool, SHOP_ID, ORDER, '出荷情報反映エラー', 'E00045 取引が存在しません');
  await set(`UPDATE au_pay_orders SET updated_at = $2 WHERE shop_id = $1 AND order_id = '${ORDER}'`, [SHOP_ID, at(239)]);
  await set(`DELETE FROM order_outbox WHERE shop_id = $1 AND order_id = '${ORDER}'`, [SHOP_ID]); // only the row below

  // the error mail of the au PAY workflow (its dedupe key starts with the workflow id), to the buyer's address
  const mail = await admitMail(pool, {
    shopId: SHOP_ID, recipient: BUYER.email, subject: '【renkei】au PAY 出荷情報反映エラー', audience: 'admin',
    dedupeKey: `${auPayShipmentWorkflowId(SHOP_ID, ORDER)}:7:${BUYER.email}`, at: at(180),
  }, DEFAULT_THROTTLE);
  await markMail(pool, mail.logId, 'failed', `550 <${BUYER.email}> mailbox unavailable`);
  // another order's mail never shows here
  await admitMail(pool, {
    shopId: SHOP_ID, recipient: 'shop@example.jp', subject: 'other order', audience: 'admin',
    dedupeKey: `${auPayShipmentWorkflowId(SHOP_ID, `${ORDER}0`)}:7:shop@example.jp`, at: at(170),
  }, DEFAULT_THROTTLE);

  // an order data OUT row carrying the buyer, and one attempt
  const [outId] = await writeOutbox(pool, SHOP_ID, ORDER, [{ event: 'au-pay.link-status', payload: { buyerName: BUYER.name, buyerEmail: BUYER.email } }]);
  await set(`UPDATE order_outbox SET created_at = $2 WHERE id = $1`, [outId, at(120)]);
  await recordAttempt(pool, { outboxId: outId!, at: at(119), httpStatus: 502, responseExcerpt: `echo ${BUYER.phone}`, error: null, durationMs: 40 });

  // the O-PLUX review of the same order, with the buyer in its order data, failed for good
  await set(`INSERT INTO oplux_orders (shop_id, order_id, status, order_data, created_at, updated_at) VALUES ($1, $2, '審査エラー', $3, $4, $4)`,
    [SHOP_ID, ORDER, JSON.stringify({ amountJpy: 5000, buyerName: BUYER.name, email: BUYER.email, tel: BUYER.phone }), at(100)]);
  await recordProcessFailure(pool, { shopId: SHOP_ID, orderId: ORDER, process: 'opluxFraudReviewWorkflow', workflowId: opluxFraudReviewWorkflowId(SHOP_ID, ORDER), reason: 'activity retries spent' });
  await set(`UPDATE process_failures SET failed_at = $2 WHERE workflow_id = $1`, [opluxFraudReviewWorkflowId(SHOP_ID, ORDER), at(90)]);
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await db?.stop();
  await env?.teardown();
});

describe('the order timeline', () => {
  test('everything renkei did for the order, oldest first: status, call, mail, order data OUT, operator action', async () => {
    // an operator's action through the API, audited: no workflow runs for the order, so it is refused (409)
    const action = await callApi(`${api.url}/shops/${SHOP_ID}/au-pay/orders/${ORDER}/link-status`, 'POST', { status: '空欄' });
    expect(action.status).toBe(409);

    const { status, body } = await timeline(ORDER);
    expect(status).toBe(200);
    expect(body.shopId).toBe(SHOP_ID);
    expect(body.orderId).toBe(ORDER);
    const shown = body.events.map((e) => `${e.kind} ${e.process} ${e.title}`);
    expect(shown).toEqual([
      'status au-pay 出荷報告を受け付けました',
      'call au-pay au PAY updateTradeInfoProc: エラー',
      'status au-pay 出荷情報反映エラー',
      'mail au-pay メール: 【renkei】au PAY 出荷情報反映エラー',
      'order-out order-out 受注データ連携OUT: au-pay.link-status を登録',
      'order-out order-out 受注データ連携OUT: au-pay.link-status を送信',
      'status oplux 不正審査の対象として登録しました',
      'status oplux 審査エラー',
      'failure oplux プロセス失敗',
      'operator au-pay au-pay.link-status',
    ]);
    const ats = body.events.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
    const byKind = Object.fromEntries(body.events.map((e) => [e.kind, e]));
    expect(byKind.call).toEqual(expect.objectContaining({ outcome: 'error', detail: 'HTTP 200 E00045 取引が存在しません' }));
    expect(byKind.mail).toEqual(expect.objectContaining({ outcome: 'error', detail: '店舗管理者宛 · 送信失敗' }));
    expect(byKind.failure).toEqual(expect.objectContaining({ outcome: 'error', detail: 'activity retries spent' }));
    expect(byKind.operator).toEqual(expect.objectContaining({ outcome: 'error', actor: expect.any(String) }));
    expect(byKind.operator!.actor!.length).toBeGreaterThan(0);
    expect(byKind.operator!.detail).toContain('finished');

    expect(body.processes.map((p) => `${p.process} ${p.status}`).sort()).toEqual(['au-pay 出荷情報反映エラー', 'oplux 審査エラー', 'order-out 連携待ち']);
    const au = body.processes.find((p) => p.process === 'au-pay')!;
    expect(au.workflowId).toBe(auPayShipmentWorkflowId(SHOP_ID, ORDER));
    expect(au.webUiUrl).toBe(`${DEFAULT_URLS.TEMPORAL_UI_URL}/namespaces/default/workflows/${encodeURIComponent(au.workflowId)}`);
  });

  test('no personal data of the buyer anywhere in the answer', async () => {
    const { text } = await timeline(ORDER);
    for (const value of [BUYER.name, BUYER.email, BUYER.phone, 'taro.yamada']) expect(text).not.toContain(value);
  });

  test('404 for an order no process knows, even one an operator tried to act on', async () => {
    const unknown = await timeline('NOPE-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.any(String) });
    expect((await callApi(`${api.url}/shops/${SHOP_ID}/au-pay/orders/NOPE-2/link-status`, 'POST', { status: '空欄' })).status).toBe(404);
    expect((await timeline('NOPE-2')).status).toBe(404);
    expect((await timeline(encodeURIComponent('TL 1'))).status).toBe(400); // not an order number
  });
});
