import type { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { setLinkStatus, upsertShipmentReport } from '../../db/au-pay-orders';
import { beginCancel, recordProviderOutcome } from '../../db/order-cancel';
import { markFailed, recordAttempt } from '../../db/order-out';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { writeOutbox } from '../support/order-out-fixtures';
import { callApi, startTestApi } from '../support/test-api';

/**
 * The per-process order lists (issue 14 §1, the console's lists) through the real API on PostgreSQL: every process's
 * orders with its own fields, counts per status, filters, and cursor paging; another shop's orders never show.
 */
const OTHER_SHOP = 'other-shop';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: { url: string; stop(): Promise<void> };

type Fields = Record<string, string | number | boolean | null>;
interface Item { process: string; orderId: string; status: string; since: string; workflowId: string; fields: Fields }
interface Answer { process: string; items: Item[]; nextCursor: string | null; counts: Record<string, number>; statuses: string[] }
type Bad = { error: string; issues: Array<{ field: string; reason: string }> };

const list = (query: string, shopId = SHOP_ID) => callApi<Answer>(`${api.url}/shops/${shopId}/orders?${query}`, 'GET');
const ok = async (query: string): Promise<Answer> => {
  const { status, body } = await list(query);
  expect(status).toBe(200);
  return body;
};
const byOrder = (a: Answer) => Object.fromEntries(a.items.map((i) => [i.orderId, i]));
const ago = (hours: number) => `now() - make_interval(hours => ${hours})`;

async function seed(pool: Pool, shopId: string): Promise<void> {
  const report = (orderId: string) => upsertShipmentReport(pool, {
    shopId, orderId, auPayOrderId: '42', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-1',
  });
  await report('AU-1');
  await setLinkStatus(pool, shopId, 'AU-1', '出荷情報反映済み', null);
  await report('AU-2');
  await setLinkStatus(pool, shopId, 'AU-2', '受注完了ステータス反映エラー', 'E00045');
  await pool.query(`UPDATE au_pay_orders SET updated_at = ${ago(5)} WHERE shop_id = $1 AND order_id = 'AU-1'`, [shopId]);

  const oplux = `INSERT INTO oplux_orders (shop_id, order_id, status, review_result, manual_result, processing_result, order_data)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  await pool.query(oplux, [shopId, 'OP-1', '目視審査待ち', 'REVIEW', null, '審査済', JSON.stringify({ amountJpy: 12800, buyerName: '山田太郎' })]);

  await pool.query(`INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source, pay_method)
    VALUES ($1, 'YH-1', '変更待ち', '2026-12-01T03:00:00Z', 'api', 'payment_d1')`, [shopId]);

  await beginCancel(pool, { shopId, orderId: 'CX-1', payment: { method: 'credit-gmo-pg', gmoPgOrderId: 'CX-1' }, source: 'shop-admin', runId: 'run-CX-1' });
  await recordProviderOutcome(pool, { shopId, orderId: 'CX-1', status: 'provider-failed', outcome: 'failed', detail: 'E01', flagged: false });

  const [o1, o2] = await writeOutbox(pool, shopId, 'OUT-1', [{ event: 'created', payload: {} }, { event: 'updated', payload: {} }]);
  await recordAttempt(pool, { outboxId: o1!, at: new Date(), httpStatus: 502, responseExcerpt: null, error: 'HTTP 502', durationMs: 3 });
  await markFailed(pool, o1!, 'HTTP 502');
  void o2;

  const amazon = `INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, charge_id, amount_jpy, payment_status)
    VALUES ($1, $2, $2 || '-cp-' || $1, $3, 5000, $4)`;
  await pool.query(amazon, [shopId, 'AP-1', `ch-1-${shopId}`, '審査完了']);
  await pool.query(amazon, [shopId, 'AP-2', `ch-2-${shopId}`, '審査完了']);
  await pool.query(amazon, [shopId, 'AP-3', null, '審査中']);
  await pool.query(`INSERT INTO amazon_pay_review_results (shop_id, order_id, outcome, state, message, dedupe_key)
    VALUES ($1, 'AP-1', 'OK', 'Authorized', NULL, $1 || ':AP-1'), ($1, 'AP-2', 'OK', 'Authorized', NULL, $1 || ':AP-2a'),
           ($1, 'AP-2', 'ERROR', 'Captured', 'Captured', $1 || ':AP-2b')`, [shopId]);

  await pool.query(`INSERT INTO amazon_pay_recurring_parents (shop_id, parent_order_id, charge_permission_id, amount_jpy, interval_unit, interval_value, status, expires_at)
    VALUES ($1, 'RC-1', 'rc-1-' || $1, 30000, 'Month', 1, 'active', '2027-12-15T01:00:00Z')`, [shopId]);
  const child = `INSERT INTO amazon_pay_recurring_children (shop_id, parent_order_id, cycle, scheduled_at, outcome, amount_jpy, recorded_at)
    VALUES ($1, 'RC-1', $2, $3::timestamptz, $4, 30000, $3::timestamptz)`;
  await pool.query(child, [shopId, 1, new Date(Date.now() - 40 * 86_400_000).toISOString(), 'charged']); // an earlier month
  await pool.query(child, [shopId, 2, new Date().toISOString(), 'charged']);

  const change = `INSERT INTO order_amount_changes (shop_id, order_id, amount_jpy, outcome, detail) VALUES ($1, 'AC-1', $2, $3, NULL)`;
  await pool.query(change, [shopId, 9000, 'changed']);
  await pool.query(change, [shopId, 8000, 'refunded']);
}

beforeAll(async () => {
  ({ env } = await startDevServer());
  db = await startTestDatabase();
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue: 'order-lists', knownShops: [SHOP_ID, OTHER_SHOP] });
  await Promise.all([seed(db.pool, SHOP_ID), seed(db.pool, OTHER_SHOP)]);
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await db?.stop();
  await env?.teardown();
});

describe('the per-process order lists', () => {
  test('each process lists its orders with its own fields, this shop only', async () => {
    const au = await ok('process=au-pay');
    expect(au.process).toBe('au-pay');
    expect(au.items.map((i) => `${i.orderId} ${i.status}`)).toEqual(['AU-2 受注完了ステータス反映エラー', 'AU-1 出荷情報反映済み']);
    expect(au.items[0]).toEqual(expect.objectContaining({ process: 'au-pay', workflowId: `au-pay-shipment:${SHOP_ID}:AU-2` }));
    expect(au.items[0]!.fields).toEqual(expect.objectContaining({
      auPayOrderId: '42', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-1', linkStatusManual: false, lastError: 'E00045',
    }));
    expect(au.counts).toEqual({ 受注完了ステータス反映エラー: 1, 出荷情報反映済み: 1 });

    const op = byOrder(await ok('process=oplux'))['OP-1']!;
    expect(op.status).toBe('目視審査待ち');
    expect(op.fields).toEqual(expect.objectContaining({ amountJpy: 12800, result: 'REVIEW', processingResult: '審査済', manualResult: null }));
    expect(JSON.stringify(op)).not.toContain('山田');

    const yh = byOrder(await ok('process=yahoo'))['YH-1']!;
    expect(yh.fields).toEqual(expect.objectContaining({ deadline: '2026-12-01T03:00:00.000Z', payMethod: 'payment_d1' }));

    const cx = byOrder(await ok('process=cancel'))['CX-1']!;
    expect(cx).toEqual(expect.objectContaining({ status: '決済取消失敗・担当者確認待ち', workflowId: `order-cancel:${SHOP_ID}:CX-1` }));
    expect(cx.fields).toEqual(expect.objectContaining({ step: 'provider-failed', paymentMethod: 'credit-gmo-pg' }));

    // the order's first undelivered row stands for it: failed, holding back the later one
    const out = byOrder(await ok('process=order-out'))['OUT-1']!;
    expect(out.status).toBe('外部連携エラー');
    expect(out.fields).toEqual(expect.objectContaining({ attempts: 1, target: 'created', lastError: 'HTTP 502', rows: 2 }));

    const ap = byOrder(await ok('process=amazon-pay'));
    expect(ap['AP-1']!.fields).toEqual(expect.objectContaining({ reviewResult: 'OK', chargeId: `ch-1-${SHOP_ID}`, amountJpy: 5000 }));
    expect(ap['AP-2']!.fields.reviewResult).toBe('ERROR'); // the latest result: the report's ERROR list
    expect(ap['AP-3']!.fields).toEqual(expect.objectContaining({ reviewResult: null, chargeId: null }));

    const rc = byOrder(await ok('process=amazon-pay-recurring'))['RC-1']!;
    expect(rc.status).toBe('有効');
    expect(rc.fields).toEqual(expect.objectContaining({ monthTotalJpy: 30000, monthlyCapJpy: 100000, expiresAt: '2027-12-15T01:00:00.000Z', cycle: 2 }));
    const next = Date.parse(String(rc.fields.nextChargeAt));
    expect(next - Date.now()).toBeGreaterThan(27 * 86_400_000); // one month after the last child
    expect(next - Date.now()).toBeLessThan(32 * 86_400_000);

    const ac = await ok('process=amount-change');
    expect(ac.items).toHaveLength(1);
    expect(ac.items[0]).toEqual(expect.objectContaining({ orderId: 'AC-1', status: '返金済み', workflowId: `order-amount-change:${SHOP_ID}:AC-1:8000` }));
    expect(ac.items[0]!.fields).toEqual(expect.objectContaining({ fromJpy: 9000, toJpy: 8000, outcome: 'refunded' }));

    // the other shop has the same order ids; none of its rows (its workflow ids name it) shows here
    for (const p of ['au-pay', 'oplux', 'yahoo', 'cancel', 'order-out', 'amazon-pay', 'amazon-pay-recurring', 'amount-change']) {
      for (const i of (await ok(`process=${p}`)).items) expect(i.workflowId).not.toContain(OTHER_SHOP);
    }
  });

  test('filters by status and order id prefix; counts stay the whole shop\'s', async () => {
    const errors = await ok(`process=au-pay&status=${encodeURIComponent('出荷情報反映済み')}`);
    expect(errors.items.map((i) => i.orderId)).toEqual(['AU-1']);
    expect(errors.counts).toEqual({ 受注完了ステータス反映エラー: 1, 出荷情報反映済み: 1 });
    expect((await ok('process=amazon-pay&orderId=AP-')).items).toHaveLength(3);
    expect((await ok('process=amazon-pay&orderId=AP-2')).items.map((i) => i.orderId)).toEqual(['AP-2']);
    expect((await ok('process=amazon-pay&orderId=P-2')).items).toEqual([]); // a prefix, not a substring
    expect((await ok(`process=amazon-pay&status=${encodeURIComponent('審査中')}`)).items.map((i) => i.orderId)).toEqual(['AP-3']);
  });

  test('paging by cursor: newest change first, every order once, across orders changed at one instant', async () => {
    const pool = db.pool;
    const same = new Date(Date.now() - 3_600_000).toISOString();
    for (let n = 0; n < 23; n += 1) {
      const at = n % 3 === 0 ? same : new Date(Date.now() - n * 60_000).toISOString();
      await pool.query(`INSERT INTO oplux_orders (shop_id, order_id, status, order_data, updated_at) VALUES ($1, $2, 'OK', '{}', $3)`,
        [SHOP_ID, `PG-${String(n).padStart(2, '0')}`, at]);
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await ok(`process=oplux&orderId=PG-&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(5);
    const ids = seen.map((i) => i.orderId);
    expect(new Set(ids).size).toBe(23);
    expect([...ids].sort()).toEqual(Array.from({ length: 23 }, (_, n) => `PG-${String(n).padStart(2, '0')}`));
    const keys = seen.map((i) => `${i.since} ${i.orderId}`);
    expect([...keys].sort().reverse()).toEqual(keys);
    expect((await ok('process=oplux')).counts).toEqual({ 目視審査待ち: 1, OK: 23 });
  });

  test('400 for a missing or unknown process, a status the process does not have, a cursor not from the list', async () => {
    const bad = async (query: string, field: string) => {
      const { status, body } = await list(query) as unknown as { status: number; body: Bad };
      expect(status).toBe(400);
      expect(body.issues.map((i) => i.field)).toContain(field);
    };
    await bad('', 'process');
    await bad('process=paypay', 'process');
    await bad(`process=au-pay&status=${encodeURIComponent('目視審査待ち')}`, 'status');
    await bad('process=au-pay&cursor=not-a-cursor', 'cursor');
    await bad(`process=au-pay&cursor=${Buffer.from(JSON.stringify(['yesterday', 'AU-1'])).toString('base64url')}`, 'cursor');
    await bad(`process=au-pay&cursor=${Buffer.from(JSON.stringify(['2026-02-30T00:00:00.000000Z', 'AU-1'])).toString('base64url')}`, 'cursor');
    await bad(`process=au-pay&orderId=${encodeURIComponent('AU 1')}`, 'orderId');
    await bad('process=au-pay&limit=0', 'limit');
    await bad('process=au-pay&limit=501', 'limit');
  });
});
