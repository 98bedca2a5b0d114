import type { Pool } from 'pg';
import { setLinkStatus, upsertShipmentReport } from '../../db/au-pay-orders';
import { beginCancel, cancelOrderWithOutbox, countReminder, recordProviderOutcome } from '../../db/order-cancel';
import { markFailed } from '../../db/order-out';
import { recordProcessFailure } from '../../db/process-failures';
import { orderAmountChangeWorkflowId, opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { writeOutbox } from '../support/order-out-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';

/**
 * The attention list (issue 11 §2) through the real API on PostgreSQL: orders of every process in the statuses that
 * wait for a person or stopped at an error (one of them driven there by the real au PAY workflow), beside orders that
 * need nothing and another shop's orders, none of which may show.
 */
const OTHER_SHOP = 'other-shop';
let world: ApiWorld;

interface Item { process: string; orderId: string; status: string; since: string; reason: string; actions: string[]; workflowId: string }
interface Answer { items: Item[]; nextCursor: string | null; counts: Array<{ process: string; status: string; count: number }> }
type Bad = { error: string; issues: Array<{ field: string; reason: string }> };

const list = (query = '') => callApi<Answer>(`${world.api}/shops/${SHOP_ID}/attention${query}`, 'GET');
const ago = (hours: number) => `now() - interval '${hours} hours'`;

/** The rows a table holds for orders in (or out of) attention, written as the activities leave them. */
async function seed(db: Pool, shopId: string): Promise<void> {
  const report = (orderId: string) => upsertShipmentReport(db, {
    shopId, orderId, auPayOrderId: '1', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-1',
  });
  await report('AU-2');
  await setLinkStatus(db, shopId, 'AU-2', '受注完了ステータス反映エラー', 'E00045 取引が存在しません');
  await db.query(`UPDATE au_pay_orders SET updated_at = ${ago(72)} WHERE shop_id = $1 AND order_id = 'AU-2'`, [shopId]);
  await report('AU-3');
  await setLinkStatus(db, shopId, 'AU-3', '受注完了ステータス反映済み', null);

  const oplux = `INSERT INTO oplux_orders (shop_id, order_id, status, rule_description, error_message, order_data) VALUES ($1, $2, $3, $4, $5, '{}')`;
  await db.query(oplux, [shopId, 'OP-1', '目視審査待ち', '高額注文', null]);
  await db.query(oplux, [shopId, 'OP-2', '審査エラー', null, 'O-PLUX接続エラー']);
  await db.query(oplux, [shopId, 'OP-3', 'OK', null, null]);
  await db.query(oplux, [shopId, 'OP-4', '審査エラー', null, 'O-PLUX接続エラー']);
  await recordProcessFailure(db, {
    shopId, orderId: 'OP-4', process: 'opluxFraudReviewWorkflow', workflowId: opluxFraudReviewWorkflowId(shopId, 'OP-4'), reason: 'activity retries spent',
  });

  const yahoo = `INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source, updated_at)
    VALUES ($1, $2, $3, now(), 'api', ${ago(48)})`;
  await db.query(yahoo, [shopId, 'YH-1', '期限切れ・担当者確認待ち']);
  await db.query(yahoo, [shopId, 'YH-2', '変更待ち']);

  const begin = (orderId: string) => beginCancel(db, { shopId, orderId, payment: { method: 'credit-gmo-pg', gmoPgOrderId: orderId }, source: 'shop-admin', runId: `run-${orderId}` });
  const failProvider = (orderId: string) => recordProviderOutcome(db, { shopId, orderId, status: 'provider-failed', outcome: 'failed', detail: 'E01 GMO-PG error', flagged: false });
  await begin('CX-1');
  await failProvider('CX-1');
  await begin('CX-2');
  await failProvider('CX-2');
  await cancelOrderWithOutbox(db, { shopId, orderId: 'CX-2', decision: 'cancel-locally', dedupeKey: `${shopId}:CX-2:out` });
  await begin('CX-3');
  await recordProviderOutcome(db, { shopId, orderId: 'CX-3', status: 'canceling', outcome: 'canceled', detail: 'VOID', flagged: false });
  const cx3Out = await cancelOrderWithOutbox(db, { shopId, orderId: 'CX-3', decision: null, dedupeKey: `${shopId}:CX-3:out` });
  await markFailed(db, cx3Out, 'HTTP 500 from the external system');
  // two failed rows of one order: one row for the order, its earliest
  const [out1, out2] = await writeOutbox(db, shopId, 'OUT-2', [{ event: 'created', payload: {} }, { event: 'updated', payload: {} }]);
  await markFailed(db, out1!, 'HTTP 502');
  await markFailed(db, out2!, 'HTTP 503');

  const amazon = `INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, amount_jpy, payment_status, created_at)
    VALUES ($1, $2, $2 || '-cp-' || $1, 1000, $3, now() - make_interval(hours => $4))`;
  await db.query(amazon, [shopId, 'AP-1', '審査中', 50]);
  await db.query(amazon, [shopId, 'AP-2', '審査中', 1]);
  await db.query(amazon, [shopId, 'AP-3', '審査完了', 30]);
  await db.query(`INSERT INTO amazon_pay_review_results (shop_id, order_id, outcome, state, message, dedupe_key)
    VALUES ($1, 'AP-3', 'ERROR', 'Captured', 'Captured', $1 || ':AP-3'), ($1, 'AP-4', 'OK', 'Authorized', NULL, $1 || ':AP-4')`, [shopId]);

  const recurring = `INSERT INTO amazon_pay_recurring_parents (shop_id, parent_order_id, charge_permission_id, amount_jpy, interval_unit, interval_value, status, expires_at)
    VALUES ($1, $2, $2 || '-rp-' || $1, 3000, 'Month', 1, $3, now() + make_interval(days => $4))`;
  await db.query(recurring, [shopId, 'RC-1', 'paused', 200]);
  await db.query(recurring, [shopId, 'RC-2', 'active', 10]);
  await db.query(recurring, [shopId, 'RC-3', 'active', 90]);

  await recordProcessFailure(db, {
    shopId, orderId: 'AC-1', process: 'orderAmountChangeWorkflow', workflowId: orderAmountChangeWorkflowId(shopId, 'AC-1', 900),
    reason: 'Amazon Pay refused the refund',
  });
}

beforeAll(async () => {
  world = await startApiWorld('attention');
  await Promise.all([seed(world.db.pool, SHOP_ID), seed(world.db.pool, OTHER_SHOP)]);
  // one order driven by the real workflow: no ship date, so the au PAY chain stops at 出荷情報反映エラー
  const shipment = { orderId: 'REAL-1', auPayOrderId: '7', managementClass: '通常', shipDate: null, carrier: '6' };
  expect((await callApi(`${world.api}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', shipment)).status).toBe(202);
  await until(async () => (await list('?process=au-pay')).body.items.some((i) => i.orderId === 'REAL-1'), 60_000);
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe('the attention list', () => {
  test('every order that waits for a person, oldest first, with its actions; nothing else, no other shop', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    const shown = body.items.map((i) => `${i.process} ${i.orderId} ${i.status}`);
    expect(shown.sort()).toEqual([
      'amazon-pay AP-1 審査中',
      'amazon-pay AP-3 審査結果ERROR',
      'amazon-pay-recurring RC-1 一時停止',
      'amazon-pay-recurring RC-2 有効期限間近',
      'amount-change AC-1 プロセス失敗',
      'au-pay AU-2 受注完了ステータス反映エラー',
      'au-pay REAL-1 出荷情報反映エラー',
      'cancel CX-1 決済取消失敗・担当者確認待ち',
      'cancel CX-2 決済代行会社側手動取消待ち',
      'oplux OP-1 目視審査待ち',
      'oplux OP-2 審査エラー',
      'oplux OP-4 プロセス失敗',
      'order-out CX-3 外部連携エラー',
      'order-out OUT-2 外部連携エラー',
      'yahoo YH-1 期限切れ・担当者確認待ち',
    ]);
    expect(body.nextCursor).toBeNull();
    const sinces = body.items.map((i) => i.since);
    expect([...sinces].sort()).toEqual(sinces);
    // what has waited longest first: the recurring permission (its warning began 20 days ago), then AU-2 (3 days)
    expect(body.items.slice(0, 2).map((i) => i.orderId)).toEqual(['RC-2', 'AU-2']);

    const byOrder = Object.fromEntries(body.items.map((i) => [`${i.process}/${i.orderId}`, i]));
    expect(byOrder['au-pay/REAL-1']).toEqual(expect.objectContaining({
      actions: ['au-pay.link-status'], workflowId: `au-pay-shipment:${SHOP_ID}:REAL-1`, reason: '出荷情報反映エラー: 「発送日」が登録されていません',
    }));
    expect(byOrder['au-pay/AU-2']!.reason).toBe('受注完了ステータス反映エラー: E00045 取引が存在しません');
    expect(byOrder['oplux/OP-1']).toEqual(expect.objectContaining({ actions: ['oplux.manual-review', 'oplux.black-flag'], reason: '目視審査待ち: 高額注文' }));
    expect(byOrder['oplux/OP-2']).toEqual(expect.objectContaining({ actions: ['oplux.relink'], reason: '審査エラー: O-PLUX接続エラー' }));
    expect(byOrder['oplux/OP-4']).toEqual(expect.objectContaining({ actions: [], reason: 'activity retries spent', workflowId: `oplux-fraud-review:${SHOP_ID}:OP-4` }));
    expect(byOrder['yahoo/YH-1']!.actions).toEqual(['yahoo.decision']);
    expect(byOrder['cancel/CX-1']).toEqual(expect.objectContaining({
      actions: ['cancel.decision'], reason: '決済代行会社への受注キャンセル連携に失敗しました: E01 GMO-PG error', workflowId: `order-cancel:${SHOP_ID}:CX-1`,
    }));
    expect(byOrder['cancel/CX-2']!.actions).toEqual([]);
    expect(byOrder['cancel/CX-2']!.reason).toContain('left-at-provider');
    expect(byOrder['order-out/CX-3']).toEqual(expect.objectContaining({ actions: ['order-out.redeliver'], workflowId: `order-out:${SHOP_ID}:CX-3` }));
    expect(byOrder['order-out/CX-3']!.reason).toContain('HTTP 500 from the external system');
    expect(byOrder['order-out/OUT-2']!.reason).toContain('HTTP 502'); // the earliest failed row
    expect(byOrder['amazon-pay/AP-1']!.actions).toEqual([]);
    expect(byOrder['amazon-pay/AP-3']!.reason).toContain('Captured');
    expect(byOrder['amazon-pay-recurring/RC-1']!.actions).toEqual(['amazon-pay-recurring.close']);
    expect(byOrder['amazon-pay-recurring/RC-2']!.actions).toEqual(['amazon-pay-recurring.close', 'amazon-pay-recurring.skip-next']);
    expect(byOrder['amount-change/AC-1']).toEqual(expect.objectContaining({
      reason: 'Amazon Pay refused the refund', workflowId: `order-amount-change:${SHOP_ID}:AC-1:900`,
    }));
  });

  test('counts per process and status, for the whole shop whatever the filter and page', async () => {
    const expected = [
      { process: 'amazon-pay', status: '審査中', count: 1 },
      { process: 'amazon-pay', status: '審査結果ERROR', count: 1 },
      { process: 'amazon-pay-recurring', status: '一時停止', count: 1 },
      { process: 'amazon-pay-recurring', status: '有効期限間近', count: 1 },
      { process: 'amount-change', status: 'プロセス失敗', count: 1 },
      { process: 'au-pay', status: '出荷情報反映エラー', count: 1 },
      { process: 'au-pay', status: '受注完了ステータス反映エラー', count: 1 },
      { process: 'cancel', status: '決済代行会社側手動取消待ち', count: 1 },
      { process: 'cancel', status: '決済取消失敗・担当者確認待ち', count: 1 },
      { process: 'oplux', status: 'プロセス失敗', count: 1 },
      { process: 'oplux', status: '審査エラー', count: 1 },
      { process: 'oplux', status: '目視審査待ち', count: 1 },
      { process: 'order-out', status: '外部連携エラー', count: 2 },
      { process: 'yahoo', status: '期限切れ・担当者確認待ち', count: 1 },
    ];
    const key = (c: { process: string; status: string }) => `${c.process} ${c.status}`;
    const sorted = (cs: typeof expected) => [...cs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted((await list()).body.counts)).toEqual(sorted(expected));
    expect(sorted((await list('?process=oplux&limit=1')).body.counts)).toEqual(sorted(expected));
  });

  test('filters: process, status, olderThan as a duration or an instant', async () => {
    const ids = async (q: string) => {
      const { status, body } = await list(q);
      expect(status).toBe(200);
      return body.items.map((i) => `${i.process}/${i.orderId}`);
    };
    expect(await ids('?process=oplux')).toEqual(expect.arrayContaining(['oplux/OP-1', 'oplux/OP-2', 'oplux/OP-4']));
    expect((await ids('?process=oplux')).length).toBe(3);
    expect(await ids('?process=amount-change')).toEqual(['amount-change/AC-1']);
    expect((await ids(`?status=${encodeURIComponent('プロセス失敗')}`)).sort()).toEqual(['amount-change/AC-1', 'oplux/OP-4']);
    expect(await ids(`?process=oplux&status=${encodeURIComponent('審査エラー')}`)).toEqual(['oplux/OP-2']);
    expect(await ids(`?process=au-pay&status=${encodeURIComponent('目視審査待ち')}`)).toEqual([]);
    expect(await ids('?olderThan=1d')).toEqual(['amazon-pay-recurring/RC-2', 'au-pay/AU-2', 'amazon-pay/AP-1', 'yahoo/YH-1']);
    expect(await ids('?olderThan=49h')).toEqual(['amazon-pay-recurring/RC-2', 'au-pay/AU-2', 'amazon-pay/AP-1']);
    const instant = new Date(Date.now() - 60 * 3_600_000).toISOString();
    expect(await ids(`?olderThan=${encodeURIComponent(instant)}`)).toEqual(['amazon-pay-recurring/RC-2', 'au-pay/AU-2']);
    expect(await ids('?olderThan=30d')).toEqual([]);
  });

  test('paging by cursor covers every row exactly once, in order, across rows that entered their status at one instant', async () => {
    // one instant, to the microsecond, in three processes (two rows in one of them): the cursor must tell them apart
    const instant = `${new Date(Date.now() - 3_600_000).toISOString().slice(0, -1)}456Z`;
    const db = world.db.pool;
    await db.query(`UPDATE oplux_orders SET updated_at = $2 WHERE shop_id = $1 AND order_id IN ('OP-1', 'OP-2')`, [SHOP_ID, instant]);
    await db.query(`UPDATE yahoo_pay_method_windows SET updated_at = $2 WHERE shop_id = $1 AND order_id = 'YH-1'`, [SHOP_ID, instant]);
    await db.query(`UPDATE order_cancellations SET state_since = $2 WHERE shop_id = $1 AND order_id = 'CX-1'`, [SHOP_ID, instant]);
    const all = (await list()).body.items;
    expect(all.filter((i) => i.since === `${instant.slice(0, 23)}Z`).map((i) => `${i.process}/${i.orderId}`))
      .toEqual(['cancel/CX-1', 'oplux/OP-1', 'oplux/OP-2', 'yahoo/YH-1']);
    for (const limit of [1, 4, 7]) {
      const seen: Item[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const { status, body }: { status: number; body: Answer } = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...body.items);
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor && pages < 50);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / limit));
    }
    // with a filter too
    const page1 = (await list('?process=order-out&limit=1')).body;
    const page2 = (await list(`?process=order-out&limit=1&cursor=${page1.nextCursor}`)).body;
    expect([...page1.items, ...page2.items].map((i) => i.orderId).sort()).toEqual(['CX-3', 'OUT-2']);
    expect(page2.nextCursor).toBeNull();
  });

  test('a reminder mail does not make a waiting cancel look newer; a redelivered order leaves the list', async () => {
    const since = async () => (await list('?process=cancel')).body.items.find((i) => i.orderId === 'CX-1')?.since;
    const before = await since();
    await countReminder(world.db.pool, SHOP_ID, 'CX-1', 1);
    expect(await since()).toBe(before);
    await world.db.pool.query(`UPDATE order_outbox SET status = 'pending' WHERE shop_id = $1 AND order_id = 'OUT-2'`, [SHOP_ID]);
    expect((await list('?process=order-out')).body.items.map((i) => i.orderId)).toEqual(['CX-3']);
  });

  test('bad query values are 400 with the field and the reason', async () => {
    const bad = async (q: string, field: string) => {
      const { status, body } = await callApi<Bad>(`${world.api}/shops/${SHOP_ID}/attention${q}`, 'GET');
      expect({ q, status }).toEqual({ q, status: 400 });
      expect(body.issues.map((i) => i.field)).toContain(field);
      expect(body.issues.find((i) => i.field === field)!.reason.length).toBeGreaterThan(0);
    };
    await bad('?limit=0', 'limit');
    await bad('?limit=501', 'limit');
    await bad('?limit=ten', 'limit');
    await bad('?cursor=not-a-cursor', 'cursor');
    await bad(`?cursor=${Buffer.from(JSON.stringify(['yesterday', 'au-pay', 'A', ''])).toString('base64url')}`, 'cursor');
    await bad('?olderThan=5x', 'olderThan');
    await bad('?olderThan=0d', 'olderThan');
    await bad('?olderThan=2026-01-01', 'olderThan');
    await bad('?process=rakuten', 'process');
    await bad('?status=done', 'status');
  });
});
