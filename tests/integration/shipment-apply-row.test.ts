import { jpy } from '../../amazon-pay/schemas';
import type { AccountStore } from '../../db/provider-accounts';
import { applyPaymentUpdate, insertAuthorizationOrder, listOutbox } from '../../db/amazon-pay-orders';
import { getAuPayOrder } from '../../db/au-pay-orders';
import { listAttention } from '../../db/attention';
import { getOrderShipment } from '../../db/order-shipments';
import { listDeliveries } from '../../db/order-out';
import { applyShipmentRow, TRACKING_NUMBER_REQUIRED, type ApplyRowDeps } from '../../shipment-import/apply-row';
import type { ShipmentRow } from '../../shipment-import/types';
import { PAYMENT_STATUS } from '../../workflows/amazon-pay-review';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { cancelGmoPgDeps, gmoAuthorize, gmoClient, gmoLedger, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { connectExternalSystem, testAccounts } from '../support/order-out-fixtures';
import { AU_SHOP_ID } from '../support/sandbox';
import { until } from '../support/until';
import { YAHOO_SELLER, yahooOrder, yahooTestShop, type YahooTestShop } from '../support/yahoo-fixtures';

/**
 * One row of a shipment import (shipment-import/apply-row.ts), called directly against the real database, the dev
 * server with a worker running the au PAY chain, the capture workflow and order data OUT, and the sandbox's au PAY,
 * Yahoo, Amazon Pay, GMO-PG and external system. The sandboxes' ledgers show each effect once.
 */
const taskQueue = 'shipment-apply-row';
let world: ApiWorld;
let accounts: AccountStore;
let yahoo: YahooTestShop;
let deps: ApplyRowDeps;

beforeAll(async () => {
  world = await startApiWorld(taskQueue, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      yahoo = yahooTestShop(sandbox);
      return { accounts, gmoPg: cancelGmoPgDeps(sandbox, accounts), yahooShop: (s) => (s === SHOP_ID ? yahoo.shop : undefined) };
    },
  });
  await connectExternalSystem(accounts, world.sandbox, SHOP_ID);
  await setUpCancelShop(world.db.pool, accounts, world.sandbox, SHOP_ID);
  deps = { db: world.db.pool, temporal: { client: world.env.client, taskQueue }, yahooShop: (s) => (s === SHOP_ID ? yahoo.shop : undefined) };
}, 120_000);
afterAll(() => world?.stop());

let n = 0;
const orderId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;
const EXTERNAL = { shipDateMode: 'external', capture: false, trackingNumberApi: false } as const;
const row = (o: Partial<ShipmentRow> & Pick<ShipmentRow, 'orderId'>): ShipmentRow => ({
  line: 2, shipDate: '2026-11-20', carrier: 'yamato', trackingNumber: '1234-5678-9012', channel: { kind: 'own' },
  payment: { method: null, provider: null, ref: null }, flags: EXTERNAL, ...o,
});
const apply = (importId: string, r: ShipmentRow) => applyShipmentRow(deps, { shopId: SHOP_ID, importId, row: r });
const shipmentOut = async (id: string) => (await listOutbox(world.db.pool, SHOP_ID, id)).filter((r) => r.event === 'shipment');
const captureStatus = async (id: string) => (await getOrderShipment(world.db.pool, SHOP_ID, id))?.captureStatus;
const applied = <T extends { applied: boolean }>(entries: T[]) => entries.filter((e) => e.applied);
/** As if the worker died before these effects were recorded (and so before the shipment was marked sent out). */
async function forget(importId: string, line: number, effects: string[], order: string): Promise<void> {
  await world.db.pool.query(`DELETE FROM shipment_row_effects WHERE import_id = $1 AND line = $2 AND effect = ANY($3)`, [importId, line, effects]);
  await world.db.pool.query(`UPDATE order_shipments SET sent_out_at = NULL WHERE shop_id = $1 AND order_id = $2`, [SHOP_ID, order]);
}

test('au PAY: the chain gets the shipment with au PAY\'s carrier code and pushes it once; the same line again and a re-import change nothing', async () => {
  const id = orderId('AU');
  const auPayOrderId = String(800000000 + n);
  await world.sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: auPayOrderId });
  const r = row({ orderId: id, carrier: 'japan-post', trackingNumber: '123456789012', channel: { kind: 'au-pay', auPayOrderId, managementClass: '通常' } });

  expect(await apply('imp-au-1', r)).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; au PAY: 出荷情報反映へ' });
  const pushes = () => applied(world.sandbox.auPay.kit.ledger.list({ orderId: auPayOrderId, operation: 'updateTradeInfoProc' }));
  await until(async () => (await pushes()).length === 1, 30_000);
  expect(await getAuPayOrder(world.db.pool, SHOP_ID, id)).toMatchObject({ carrier: '6', shipDate: '2026-11-20', trackingNumber: '123456789012', auPayOrderId });
  const trade = world.sandbox.auPay.market.trade(AU_SHOP_ID, auPayOrderId)!;
  expect(trade).toMatchObject({ shippingCarrier: '6', shippingNumber: '123456789012' });

  // the same line again (a retried activity): its recorded result, nothing done again
  expect(await apply('imp-au-1', r)).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; au PAY: 出荷情報反映へ' });
  // the worker died after the report, before recording it: the retry reports the same again, which changes nothing
  await forget('imp-au-1', 2, ['au-pay', 'outcome'], id);
  expect(await apply('imp-au-1', r)).toEqual({
    outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; au PAY: 反映なし (this report changes nothing: the order already has this shipment)',
  });
  // the same file imported again
  expect(await apply('imp-au-2', r)).toEqual({ outcome: 'unchanged', detail: '変更なし: 同じ出荷情報を反映済み (取込 imp-au-1 の 2 行目)' });
  expect(await shipmentOut(id)).toEqual([expect.objectContaining({
    payload: { orderId: id, shipDate: '2026-11-20', carrier: 'japan-post', carrierName: '日本郵便', trackingNumber: '123456789012', importId: 'imp-au-1' },
  })]);
  expect(pushes()).toHaveLength(1);
}, 60_000);

test('Yahoo: 配送日のみ sends nothing; then 出荷済み with ShipCompanyCode, invoice and ShipDate once; a re-import is unchanged', async () => {
  const created = await world.sandbox.control<{ OrderId: string }>('POST', '/yahoo/_sandbox/orders', { sellerId: YAHOO_SELLER, payMethod: 'payment_b1' });
  const id = created.OrderId;
  const calls = () => world.sandbox.yahoo.kit.ledger.list({ orderId: id, operation: 'orderShipStatusChange' });
  const r = row({ orderId: id, carrier: 'sagawa', trackingNumber: '987654321098', channel: { kind: 'yahoo', yahooOrderId: id } });

  expect(await apply('imp-y-1', { ...r, flags: { ...EXTERNAL, shipDateMode: 'ship-date-only' } })).toEqual({ outcome: 'applied', detail: '出荷日設定' });
  expect(calls()).toEqual([]);
  expect(await shipmentOut(id)).toEqual([]);

  expect(await apply('imp-y-2', { ...r, line: 7 })).toEqual({ outcome: 'applied', detail: '受注データ連携OUT; Yahoo: 出荷済み' });
  expect(await yahooOrder(world.sandbox, id)).toMatchObject({ ShipStatus: '3', ShipCompanyCode: '1002', ShipInvoiceNumber1: '987654321098', ShipDate: '2026-11-20' });
  expect(await apply('imp-y-2', { ...r, line: 7 })).toMatchObject({ outcome: 'applied' });
  expect(calls()).toHaveLength(1); // recorded effects are not done again
  // the worker died after Yahoo's answer, before recording it: the retry's call is od91705, a success
  await forget('imp-y-2', 7, ['yahoo', 'outcome'], id);
  expect(await apply('imp-y-2', { ...r, line: 7 })).toEqual({ outcome: 'applied', detail: '受注データ連携OUT; Yahoo: 出荷済み (変更なし)' });
  expect(await apply('imp-y-3', r)).toMatchObject({ outcome: 'unchanged' });
  expect(applied(calls())).toHaveLength(1);
  expect(calls()).toHaveLength(2);
  expect(await shipmentOut(id)).toHaveLength(1);
});

test('Yahoo refuses (no such order): the row is refused with Yahoo\'s code; #1075 refuses a row without a tracking number before anything', async () => {
  const id = orderId('YNONE');
  const refused = await apply('imp-y-4', row({ orderId: id, channel: { kind: 'yahoo', yahooOrderId: `${YAHOO_SELLER}-no-such` } }));
  expect(refused).toEqual({ outcome: 'refused', detail: expect.stringMatching(/^出荷日設定; Yahoo: 拒否 or-01001: /) });
  expect(await listOutbox(world.db.pool, SHOP_ID, id)).toEqual([]); // the OMS is not told of a shipment Yahoo refused

  const other = orderId('T1075');
  expect(await apply('imp-1075', row({ orderId: other, trackingNumber: null, flags: { ...EXTERNAL, trackingNumberApi: true } })))
    .toEqual({ outcome: 'refused', detail: TRACKING_NUMBER_REQUIRED });
  expect(await getOrderShipment(world.db.pool, SHOP_ID, other)).toBeUndefined();
  expect(await listOutbox(world.db.pool, SHOP_ID, other)).toEqual([]);
});

test('own store: the order data OUT row reaches the external system once; ship date only sends nothing', async () => {
  const id = orderId('OWN');
  expect(await apply('imp-own-1', row({ orderId: id, carrier: 'sagawa' }))).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT' });
  await until(async () => (await listDeliveries(world.db.pool, SHOP_ID, { orderId: id, limit: 10 })).some((d) => d.event === 'shipment' && d.status === 'delivered'), 30_000);
  expect(await apply('imp-own-1', row({ orderId: id, carrier: 'sagawa' }))).toMatchObject({ outcome: 'applied' });
  expect(await apply('imp-own-2', row({ orderId: id, carrier: 'sagawa' }))).toMatchObject({ outcome: 'unchanged' });
  // a corrected tracking number is a new shipment: recorded and sent again
  expect(await apply('imp-own-3', row({ orderId: id, carrier: 'sagawa', trackingNumber: '5555-6666-7777' }))).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT' });
  expect((await shipmentOut(id)).map((o) => o.payload.trackingNumber)).toEqual(['1234-5678-9012', '5555-6666-7777']);

  const quiet = orderId('OWN-Q');
  expect(await apply('imp-own-4', row({ orderId: quiet, flags: { ...EXTERNAL, shipDateMode: 'ship-date-only', capture: true } })))
    .toEqual({ outcome: 'applied', detail: '出荷日設定' });
  expect(await listOutbox(world.db.pool, SHOP_ID, quiet)).toEqual([]);
  expect(await getOrderShipment(world.db.pool, SHOP_ID, quiet)).toMatchObject({ shipDate: '2026-11-20', carrier: 'yamato', sentOutAt: null, captureStatus: null });
});

test('Amazon Pay: the authorized charge is captured once (売上確定済み); an order with no charge is 売上確定エラー with nothing started', async () => {
  const amazonPay = amazonPayTestClient(world.sandbox);
  const id = orderId('AMZ');
  const chargePermissionId = await mintChargePermission(world.sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  await insertAuthorizationOrder(world.db.pool, { shopId: SHOP_ID, orderId: id, chargePermissionId, amountJpy: 12800, captureOnAuthorization: false, cancelOnDecline: false });
  const charge = await amazonPay.createCharge({ chargePermissionId, chargeAmount: jpy(12800), captureNow: false }, `ship-row-${Date.now()}-${n}`.slice(0, 32));
  await applyPaymentUpdate(world.db.pool, {
    shopId: SHOP_ID, orderId: id, chargeId: charge.chargeId, paymentStatus: PAYMENT_STATUS.reviewed, creditStatus: 'Authorized', dedupeKey: `test:${id}`,
  });
  const r = row({ orderId: id, payment: { method: null, provider: 'amazon-pay', ref: null }, flags: { ...EXTERNAL, capture: true } });

  expect(await apply('imp-amz-1', r)).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; 売上確定: 開始' });
  await until(async () => (await captureStatus(id)) === '売上確定済み', 30_000);
  expect(await apply('imp-amz-1', r)).toMatchObject({ outcome: 'applied' });
  expect(await apply('imp-amz-2', r)).toMatchObject({ outcome: 'unchanged' });
  const captures = applied(world.sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' })).filter((e) => JSON.stringify(e).includes(charge.chargeId));
  expect(captures).toHaveLength(1);

  const none = orderId('AMZ-NONE');
  expect(await apply('imp-amz-3', row({ orderId: none, payment: { method: null, provider: 'amazon-pay', ref: null }, flags: { ...EXTERNAL, capture: true } })))
    .toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; 売上確定エラー: no authorized charge' });
  expect(await getOrderShipment(world.db.pool, SHOP_ID, none)).toMatchObject({ captureStatus: '売上確定エラー', captureError: 'no authorized charge' });
  await expect(world.env.client.workflow.getHandle(`order-capture:${SHOP_ID}:${none}`).describe()).rejects.toThrow();
}, 60_000);

test('GMO-PG: an AUTH trade gets AlterTran SALES once; a refused capture is 売上確定エラー, listed, and a re-import runs only the capture', async () => {
  const trade = newGmoOrderId('S');
  await gmoAuthorize(world.sandbox, trade, new Date(), 3980);
  const id = orderId('GMO');
  const r = row({ orderId: id, payment: { method: 'credit-gmo-pg', provider: 'gmo-pg', ref: trade }, flags: { ...EXTERNAL, capture: true } });
  expect(await apply('imp-gmo-1', r)).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; 売上確定: 開始' });
  await until(async () => (await captureStatus(id)) === '売上確定済み', 30_000);
  expect(await gmoClient(world.sandbox).searchTrade(trade)).toMatchObject({ status: 'SALES', amount: 3980 });
  // the worker died after the start, before recording it: the order is captured already, nothing starts again
  await forget('imp-gmo-1', 2, ['capture', 'outcome'], id);
  expect(await apply('imp-gmo-1', r)).toEqual({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; 売上確定: 確定済み' });
  expect(await apply('imp-gmo-2', r)).toMatchObject({ outcome: 'unchanged' });
  expect((await gmoLedger(world.sandbox, trade)).filter((e) => e.operation === 'AlterTran' && e.applied)).toHaveLength(1);

  // no such trade at GMO-PG: the provider refuses, the order stops at 売上確定エラー for an operator
  const bad = orderId('GMO-BAD');
  const missing = newGmoOrderId('X');
  const badRow = row({ orderId: bad, payment: { method: 'credit-gmo-pg', provider: 'gmo-pg', ref: missing }, flags: { ...EXTERNAL, capture: true } });
  expect(await apply('imp-gmo-3', badRow)).toMatchObject({ outcome: 'applied', detail: '出荷日設定; 受注データ連携OUT; 売上確定: 開始' });
  await until(async () => (await captureStatus(bad)) === '売上確定エラー', 30_000);
  const listed = await listAttention(world.db.pool, { shopId: SHOP_ID, process: 'shipment', limit: 50 });
  expect(listed.rows.filter((x) => x.orderId === bad)).toEqual([expect.objectContaining({
    process: 'shipment', status: '売上確定エラー', reason: expect.stringMatching(/^売上確定エラー: .*GMO-PG/), workflowId: `order-capture:${SHOP_ID}:${bad}`,
  })]);

  // the same shipment imported again, now with the trade that exists: only the capture runs again
  await gmoAuthorize(world.sandbox, missing, new Date(), 2500);
  expect(await apply('imp-gmo-4', badRow)).toEqual({ outcome: 'applied', detail: '売上確定: 開始' });
  await until(async () => (await captureStatus(bad)) === '売上確定済み', 30_000);
  expect(await shipmentOut(bad)).toHaveLength(1);
  expect((await listAttention(world.db.pool, { shopId: SHOP_ID, process: 'shipment', limit: 50 })).rows.map((x) => x.orderId)).not.toContain(bad);
}, 60_000);
