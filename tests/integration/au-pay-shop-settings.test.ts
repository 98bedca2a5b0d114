import { createShopDirectory } from '../../shops/shop-directory';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { linkStateQuery } from '../../workflows/au-pay-shipment-messages';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { callApi } from '../support/test-api';
import { ledger, SHOP_ID } from '../support/au-pay-fixtures';
import { AU_SHOP_ID } from '../support/sandbox';
import { until } from '../support/until';

/**
 * The au PAY chain follows the shop's settings (seed 004 section 4) as changed through the API, without a restart:
 * the real API, the dev server, PostgreSQL, the sandbox, and a worker reading the same shop directory. What was
 * pushed is read from the sandbox's ledger.
 */
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('au-pay-shop-settings', { shops: (db) => createShopDirectory(db.pool) });
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
}, 120_000);
afterAll(async () => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi<Record<string, unknown>>(`${world.api}${path}`, method, body);
const settings = (s: Record<string, string>) => call('PUT', `/shops/${SHOP_ID}/settings/au-pay`, s);
const completed = (orderId: string, body: unknown = {}) => call('POST', `/shops/${SHOP_ID}/au-pay/orders/${orderId}/completed`, body);
const handleOf = (orderId: string) => world.env.client.workflow.getHandle(auPayShipmentWorkflowId(SHOP_ID, orderId));
const linkStatus = async (orderId: string) => (await call('GET', `/shops/${SHOP_ID}/au-pay/orders/${orderId}`)).body.linkStatus;

let seq = 0;
/** A trade at the market and the OMS's shipment report for it, through the API. */
async function ship(orderId: string): Promise<{ orderId: string; auPayOrderId: string; report: Record<string, string> }> {
  seq += 1;
  const auPayOrderId = String(910000000 + seq);
  world.sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: auPayOrderId });
  const report = { orderId, auPayOrderId, managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: `T-${seq}` };
  expect((await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, report)).status).toBe(202);
  return { orderId, auPayOrderId, report };
}

/** Waits until the chain holds at `status` for the reason `waiting`. */
const held = (orderId: string, status: string, waiting: string) =>
  until(async () => {
    const state = await handleOf(orderId).query(linkStateQuery).catch(() => undefined);
    return state?.status === status && state.waiting === waiting;
  }, 30_000);

/** How many times each push was applied at the market: [ship info, 完了]. */
async function pushes(auPayOrderId: string): Promise<[number, number]> {
  const entries = await ledger(world.sandbox, auPayOrderId);
  const n = (op: string) => entries.filter((e) => e.operation === op && e.applied).length;
  return [n('updateTradeInfoProc'), n('updateTradeStsProc')];
}

test('each change applies to the next decision; the OMS reports completion; 202, 409 finished, 404', async () => {
  expect((await settings({ autoCompletion: '停止' })).status).toBe(200);
  const a = await ship('SET-A');
  await held(a.orderId, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
  expect(await linkStatus(a.orderId)).toBe(LINK_STATUS.shipped);
  expect(await pushes(a.auPayOrderId)).toEqual([1, 0]);

  // completion back to 開始, pushed when the OMS reports it: the next order decides with that
  expect((await settings({ completionTiming: 'oms-report' })).status).toBe(200);
  const b = await ship('SET-B');
  await held(b.orderId, LINK_STATUS.shipped, 'OMSからの受注完了の報告を待っています');
  expect(await pushes(b.auPayOrderId)).toEqual([1, 0]);
  expect(await completed(b.orderId)).toMatchObject({ status: 202, body: { linkStatus: LINK_STATUS.shipped } });
  expect((await handleOf(b.orderId).result()).status).toBe(LINK_STATUS.completed);
  expect(await linkStatus(b.orderId)).toBe(LINK_STATUS.completed);
  expect(await pushes(b.auPayOrderId)).toEqual([1, 1]);
  expect(await completed(b.orderId)).toMatchObject({ status: 409, body: { error: `finished: ${LINK_STATUS.completed}` } });

  // the first order, held since the settings said 停止, is woken by the OMS's report and decides with today's settings
  expect((await completed(a.orderId)).status).toBe(202);
  expect((await handleOf(a.orderId).result()).status).toBe(LINK_STATUS.completed);
  expect(await pushes(a.auPayOrderId)).toEqual([1, 1]);

  expect((await completed('NOPE-1')).status).toBe(404);
  expect((await completed(a.orderId, { done: true })).status).toBe(400);
}, 90_000);

test('a repeated completion report answers 200 with a note; a held order is marked done by hand', async () => {
  expect((await settings({ autoCompletion: '停止', completionTiming: 'oms-report' })).status).toBe(200);
  const c = await ship('SET-C');
  await held(c.orderId, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
  expect((await completed(c.orderId)).status).toBe(202);
  await until(async () => (await handleOf(c.orderId).query(linkStateQuery)).completionReported === true, 30_000);
  expect(await completed(c.orderId)).toMatchObject({ status: 200, body: { note: expect.stringContaining('already reported') } });

  // seed 004 section 6: 受注完了ステータス反映済み by hand, for an order done before the automatic push
  const byHand = await call('POST', `/shops/${SHOP_ID}/au-pay/orders/${c.orderId}/link-status`, { status: LINK_STATUS.completed });
  expect(byHand).toMatchObject({ status: 200, body: { previous: LINK_STATUS.shipped, status: LINK_STATUS.completed } });
  expect((await handleOf(c.orderId).result()).status).toBe(LINK_STATUS.completed);
  expect(await pushes(c.auPayOrderId)).toEqual([1, 0]);
}, 90_000);

test('自動出荷情報反映 停止: no push; back to 開始, the next order ships at once and a held one on its next report', async () => {
  expect((await settings({ autoShipInfo: '停止' })).status).toBe(200);
  const d = await ship('SET-D');
  await held(d.orderId, LINK_STATUS.blank, '自動出荷情報反映が停止中です');
  expect(await linkStatus(d.orderId)).toBe(LINK_STATUS.blank);
  expect(await pushes(d.auPayOrderId)).toEqual([0, 0]);

  expect((await settings({})).status).toBe(200); // the defaults: both 開始, 完了 right after shipping
  const e = await ship('SET-E');
  expect((await handleOf(e.orderId).result()).status).toBe(LINK_STATUS.completed);
  expect(await pushes(e.auPayOrderId)).toEqual([1, 1]);

  // the held order re-reads the settings on its 15-minute re-check, or at once when the OMS reports it again
  expect((await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, d.report)).status).toBe(200);
  expect((await handleOf(d.orderId).result()).status).toBe(LINK_STATUS.completed);
  expect(await pushes(d.auPayOrderId)).toEqual([1, 1]);
}, 90_000);
