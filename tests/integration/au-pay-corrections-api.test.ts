import { createShopDirectory } from '../../shops/shop-directory';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { linkStateQuery } from '../../workflows/au-pay-shipment-messages';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { LINK_STATUS_OUT_EVENT } from '../../db/au-pay-orders';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { callApi } from '../support/test-api';
import { ledger, SHOP_ID } from '../support/au-pay-fixtures';
import { AU_SHOP_ID } from '../support/sandbox';
import { until } from '../support/until';

/**
 * Issue 13 §1 through the real API, the dev server, PostgreSQL, the sandbox and a worker: a re-report answers whether
 * a push will happen ({push, reason}) and the push happens (対象外 made 通常, a correction after completion or at
 * 出荷情報反映済み), the same report again pushes nothing, every link-status change leaves an order data OUT row, a
 * trade canceled at the market stops at 注文情報ステータス取得エラー, and an operator marks an order completed before
 * automation (audited, the row marked manual).
 */
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('au-pay-corrections-api', { shops: (db) => createShopDirectory(db.pool) });
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
}, 120_000);
afterAll(async () => world?.stop());
beforeEach(async () => {
  expect((await call('PUT', `/shops/${SHOP_ID}/settings/au-pay`, {})).status).toBe(200); // both 開始, 完了 after shipping
});

const call = (method: string, path: string, body?: unknown) => callApi<Record<string, unknown>>(`${world.api}${path}`, method, body);
const report = (r: Record<string, unknown>) => call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, r);
const order = async (orderId: string) => (await call('GET', `/shops/${SHOP_ID}/au-pay/orders/${orderId}`)).body;
const statusIs = (orderId: string, status: string) => until(async () => (await order(orderId)).linkStatus === status, 30_000);
const handleOf = (orderId: string) => world.env.client.workflow.getHandle(auPayShipmentWorkflowId(SHOP_ID, orderId));

let seq = 0;
function trade(): { auPayOrderId: string; base: (orderId: string) => Record<string, string> } {
  seq += 1;
  const auPayOrderId = String(920000000 + seq);
  world.sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: auPayOrderId });
  return { auPayOrderId, base: (orderId) => ({ orderId, auPayOrderId, managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: `T-${seq}` }) };
}
async function pushes(auPayOrderId: string): Promise<[number, number]> {
  const entries = await ledger(world.sandbox, auPayOrderId);
  const n = (op: string) => entries.filter((e) => e.operation === op && e.applied).length;
  return [n('updateTradeInfoProc'), n('updateTradeStsProc')];
}
async function outStatuses(orderId: string): Promise<unknown[]> {
  const { rows } = await world.db.pool.query<{ payload: { linkStatus: string } }>(
    `SELECT payload FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND event = $3 ORDER BY id`, [SHOP_ID, orderId, LINK_STATUS_OUT_EVENT]);
  return rows.map((r) => r.payload.linkStatus);
}

test('対象外, then reported as 通常: pushed by a new run; the same report again: 200, push false', async () => {
  const t = trade();
  const first = await report({ ...t.base('CORR-A'), managementClass: '予約' });
  expect(first).toMatchObject({ status: 202, body: { push: false, reason: expect.stringContaining('対象外') } });
  await statusIs('CORR-A', LINK_STATUS.notTarget);
  await handleOf('CORR-A').result(); // the run has ended, not only stored 対象外: the next report reopens it with a new run
  expect(await report({ ...t.base('CORR-A'), managementClass: '予約' })).toMatchObject({ status: 200, body: { push: false } });

  expect(await report(t.base('CORR-A'))).toMatchObject({ status: 202, body: { push: true, linkStatus: LINK_STATUS.notTarget } });
  await statusIs('CORR-A', LINK_STATUS.completed);
  expect(await pushes(t.auPayOrderId)).toEqual([1, 1]);
  // a retried request: nothing to push, nothing started
  expect(await report(t.base('CORR-A'))).toMatchObject({ status: 200, body: { push: false, reason: expect.stringContaining('changes nothing') } });
  expect(await pushes(t.auPayOrderId)).toEqual([1, 1]);
  expect(await outStatuses('CORR-A')).toEqual([LINK_STATUS.notTarget, LINK_STATUS.blank, LINK_STATUS.shipped, LINK_STATUS.completed]);
}, 90_000);

test('a correction after completion reaches the market and shows in the history; repeated, it pushes nothing', async () => {
  const t = trade();
  expect((await report(t.base('CORR-B'))).status).toBe(202);
  await statusIs('CORR-B', LINK_STATUS.completed);
  // the run has ended, not only stored 完了 (a report in between reaches the running chain, which pushes it itself)
  await handleOf('CORR-B').result();
  const corrected = { ...t.base('CORR-B'), trackingNumber: 'FIX-1', shipDate: '2026/11/22' };
  expect(await report(corrected)).toMatchObject({ status: 202, body: { push: true, reason: expect.stringContaining('correction') } });
  await until(() => world.sandbox.auPay.market.trade(AU_SHOP_ID, t.auPayOrderId)?.shippingNumber === 'FIX-1', 30_000);
  await statusIs('CORR-B', LINK_STATUS.completed);
  expect(world.sandbox.auPay.market.trade(AU_SHOP_ID, t.auPayOrderId)).toMatchObject({ shippingDate: '2026/11/22', orderStatus: '完了' });
  expect(await report(corrected)).toMatchObject({ status: 200, body: { push: false } });
  expect((await pushes(t.auPayOrderId))[0]).toBe(2);
  const { history } = (await order('CORR-B')) as { history: Array<{ operation: string }> };
  expect(history.map((h) => h.operation)).toContain('訂正: 完了後の出荷情報の再反映');
}, 90_000);

test('a correction at 出荷情報反映済み (completion held): the running chain pushes it again', async () => {
  expect((await call('PUT', `/shops/${SHOP_ID}/settings/au-pay`, { autoCompletion: '停止' })).status).toBe(200);
  const t = trade();
  expect((await report(t.base('CORR-C'))).status).toBe(202);
  await until(async () => (await handleOf('CORR-C').query(linkStateQuery)).waiting === '自動受注完了ステータス反映が停止中です', 30_000);
  expect(await report({ ...t.base('CORR-C'), carrier: '2' })).toMatchObject({ status: 202, body: { push: true, linkStatus: LINK_STATUS.shipped } });
  await until(() => world.sandbox.auPay.market.trade(AU_SHOP_ID, t.auPayOrderId)?.shippingCarrier === '2', 30_000);
  expect(await pushes(t.auPayOrderId)).toEqual([2, 0]);
  // held again: the re-push is at the market before the chain re-reads the settings (a reset before that is a 409)
  await until(async () => (await handleOf('CORR-C').query(linkStateQuery)).waiting === '自動受注完了ステータス反映が停止中です', 30_000);
  // marked done by hand, as the seed allows for a held order
  expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/CORR-C/link-status`, { status: LINK_STATUS.completed })).status).toBe(200);
  await statusIs('CORR-C', LINK_STATUS.completed);
}, 90_000);

test('a trade canceled at the market: 注文情報ステータス取得エラー, no push; a reset to 空欄 reads it again', async () => {
  const t = trade();
  world.sandbox.auPay.market.cancelAtMarket(AU_SHOP_ID, t.auPayOrderId);
  expect((await report(t.base('CORR-D'))).status).toBe(202);
  await statusIs('CORR-D', LINK_STATUS.statusError);
  expect(await order('CORR-D')).toMatchObject({ marketOrderStatus: 'キャンセル', lastError: expect.stringContaining('キャンセル済み') });
  expect(await pushes(t.auPayOrderId)).toEqual([0, 0]);
  // a correction while at the error: stored, not pushed until an operator's reset
  expect(await report({ ...t.base('CORR-D'), trackingNumber: 'X-2' })).toMatchObject({ status: 200, body: { push: false, reason: expect.stringContaining('reset') } });
  expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/CORR-D/link-status`, { status: LINK_STATUS.blank })).status).toBe(200);
  await until(async () => ((await order('CORR-D')).history as unknown[]).length === 2, 30_000);
  await statusIs('CORR-D', LINK_STATUS.statusError);
  expect(await pushes(t.auPayOrderId)).toEqual([0, 0]);
  expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/CORR-D/link-status`, { status: LINK_STATUS.completed })).status).toBe(200);
}, 90_000);

test('completed before automation: the operator\'s flag sets 受注完了ステータス反映済み from 空欄, audited and marked manual', async () => {
  expect((await call('PUT', `/shops/${SHOP_ID}/settings/au-pay`, { autoShipInfo: '停止' })).status).toBe(200);
  const t = trade();
  expect((await report(t.base('CORR-E'))).status).toBe(202);
  await until(async () => (await handleOf('CORR-E').query(linkStateQuery)).waiting === '自動出荷情報反映が停止中です', 30_000);
  const path = `/shops/${SHOP_ID}/au-pay/orders/CORR-E/link-status`;
  expect((await call('POST', path, { status: LINK_STATUS.shipped, completedBeforeAutomation: true })).status).toBe(409);
  expect((await call('POST', path, { status: LINK_STATUS.completed, completedBeforeAutomation: 'yes' })).status).toBe(400);
  expect(await call('POST', path, { status: LINK_STATUS.completed, completedBeforeAutomation: true }))
    .toMatchObject({ status: 200, body: { previous: LINK_STATUS.blank, status: LINK_STATUS.completed } });
  await statusIs('CORR-E', LINK_STATUS.completed);
  expect(await order('CORR-E')).toMatchObject({ linkStatusManual: true });
  expect(await pushes(t.auPayOrderId)).toEqual([0, 0]);
  const { rows } = await world.db.pool.query(`SELECT input FROM audit_log WHERE order_id = 'CORR-E' AND action = 'au-pay.link-status' AND outcome = 'applied'`);
  expect(rows).toEqual([{ input: { status: LINK_STATUS.completed, completedBeforeAutomation: true } }]);
  expect(await outStatuses('CORR-E')).toEqual([LINK_STATUS.completed]);
}, 90_000);
