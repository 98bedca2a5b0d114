import { randomBytes } from 'node:crypto';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { jpy } from '../../amazon-pay/schemas';
import { recordHistory } from '../support/record-history';
import { applyPaymentUpdate, insertAuthorizationOrder } from '../../db/amazon-pay-orders';
import { getOrderShipment } from '../../db/order-shipments';
import { getShipmentImport, listRowResults } from '../../db/shipment-imports';
import { insertShop, putSettings } from '../../db/shops';
import type { AccountStore } from '../../db/provider-accounts';
import { rowsFromJson, columnNames, type JsonShipmentRow } from '../../shipment-import/file-rows';
import type { ShipmentFlags } from '../../shipment-import/types';
import { validateShipmentRows } from '../../shipment-import/validate';
import { defaultSettings } from '../../shops/settings';
import { createShopDirectory } from '../../shops/shop-directory';
import { createShipmentImportRun } from '../../api/shipment-imports/create-import';
import { PAYMENT_STATUS } from '../../workflows/amazon-pay-review';
import { SHOP_ID as SHOP_ID_KEY } from '../../workflows/search-attributes';
import { shipmentImportWorkflow, ROWS_PER_RUN } from '../../workflows/shipment-import';
import { cancelShipmentImportUpdate } from '../../workflows/shipment-import-messages';
import { shipmentImportWorkflowId } from '../../workflows/workflow-ids';
import { ledger as auPayLedger, NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { cancelGmoPgDeps, gmoAuthorize, gmoLedger, gmoStatus, lateTemporal, METHODS, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { connectExternalSystem, testAccounts } from '../support/order-out-fixtures';
import { AU_SHOP_ID } from '../support/sandbox';
import { createShipmentImportActivities } from '../../activities/shipment-import-activities';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { until } from '../support/until';
import { yahooDeps, yahooTestShop, YAHOO_SELLER, yahooOrder } from '../support/yahoo-fixtures';

/**
 * 出荷実績取込's workflow on the time-skipping server with the real row step, PostgreSQL and the sandbox: a row of each
 * kind and its effect in the sandbox's ledgers, the flags' defaults and overrides, continue-as-new past ROWS_PER_RUN,
 * the cancel, and a row whose step keeps failing. Imports are stored as the API stores them (validated, then
 * createShipmentImport). Each import is awaited in real time until its rows are done, and only then by result(): a
 * result() while rows run would let the server skip time past their heartbeats.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let accounts: AccountStore;
const taskQueue = 'shipment-import-test';
const ACTOR = { id: 'test', name: 'test', role: 'operator' as const, shops: [SHOP_ID] };

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      return {
        accounts, notifyEmail: (s: string) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined), orderOutTimeoutMs: 1000,
        gmoPg: cancelGmoPgDeps(sandbox, accounts), temporal: lateTemporal(() => rig.env.client, taskQueue),
        ...yahooDeps(yahooTestShop(sandbox).shop),
      };
    },
  });
  env = rig.env;
  await insertShop(rig.db.pool, { id: SHOP_ID, name: 'test shop', adminEmails: [], notifyEmail: NOTIFY_EMAIL, mailRoutes: {} }); // its settings are stored
  await connectExternalSystem(accounts, rig.sandbox, SHOP_ID);
  await setUpCancelShop(rig.db.pool, accounts, rig.sandbox, SHOP_ID);
  await rig.sandbox.control('POST', '/yahoo/_sandbox/settings', { rateLimitPerSecond: 0 });
}, 120_000);
afterAll(() => rig?.stop());
afterEach(async () => {
  await rig.sandbox.control('DELETE', '/yahoo/_sandbox/faults');
  await putSettings(rig.db.pool, SHOP_ID, 'shipment-import', defaultSettings('shipment-import'));
});

let n = 0;
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

/** The shops' settings as the API reads them (re-read at once here: a test changes them). */
const directory = () => createShopDirectory(rig.db.pool, { cacheMs: 0 });

/**
 * Validates and stores the rows and starts the import's workflow as the API does (api/shipment-imports/routes.ts): the
 * file's flags are the request's, else the shop's settings; createShipmentImportRun stores and starts it (ShopId set).
 */
async function startImport(rows: JsonShipmentRow[], given: Partial<ShipmentFlags> = {}) {
  const shop = await directory().settings(SHOP_ID, 'shipment-import');
  const flags: ShipmentFlags = { shipDateMode: shop.shipDateMode, capture: shop.capture, trackingNumberApi: shop.trackingNumberApi, ...given };
  const validation = await validateShipmentRows(rig.db.pool, SHOP_ID, rowsFromJson(rows), { flags, columnOf: columnNames.json });
  expect(validation.problems).toEqual([]);
  const { id } = await createShipmentImportRun({ db: rig.db.pool, temporal: env.client, taskQueue }, ACTOR, {
    shopId: SHOP_ID, encoding: 'json', onError: 'reject', requestHash: randomBytes(8).toString('hex'), validation,
  });
  return { id, handle: env.client.workflow.getHandle<typeof shipmentImportWorkflow>(shipmentImportWorkflowId(SHOP_ID, id)) };
}

/** Waits in real time until the import is no longer running, then for the workflow's result. */
async function finished(i: { id: string; handle: WorkflowHandle<typeof shipmentImportWorkflow> }, timeoutMs = 60_000) {
  await until(async () => (await getShipmentImport(rig.db.pool, SHOP_ID, i.id))?.status !== 'running', timeoutMs, 100);
  const result = await i.handle.result();
  return { result, view: (await getShipmentImport(rig.db.pool, SHOP_ID, i.id))!, rows: await listRowResults(rig.db.pool, SHOP_ID, i.id) };
}

const outcomes = (rows: Array<{ orderId: string; outcome: string | null }>) => Object.fromEntries(rows.map((r) => [r.orderId, r.outcome]));
const shipmentOut = (orderId: string) => rig.sandbox.externalSystem.receiver.list({ orderId }).filter((d) => d.accepted && d.event === 'shipment');
const yahooShips = (yahooOrderId: string) => rig.sandbox.yahoo.kit.ledger.list({ operation: 'orderShipStatusChange', orderId: yahooOrderId }).filter((e) => e.applied);
const auPayPushes = async (auPayOrderId: string) => (await auPayLedger(rig.sandbox, auPayOrderId)).filter((e) => e.operation === 'updateTradeInfoProc' && e.applied);
const amazonCaptures = (chargeId: string) =>
  rig.sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied && JSON.stringify(e).includes(chargeId));
const gmoSales = async (gmoOrderId: string) => (await gmoLedger(rig.sandbox, gmoOrderId)).filter((e) => e.operation === 'AlterTran' && e.applied && /SALES/.test(e.effect));
const captureStatus = async (orderId: string) => (await getOrderShipment(rig.db.pool, SHOP_ID, orderId))?.captureStatus;

/** An au PAY order: the trade at the market (renkei learns of the order from the row's モール). */
async function auPayTrade(): Promise<string> {
  const auPayOrderId = String(800000000 + Math.floor(Math.random() * 1e6) * 100 + (++n % 100));
  await rig.sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: auPayOrderId });
  return auPayOrderId;
}

/** A Yahoo order not shipped yet, at the sandbox's Yahoo. */
async function yahooSandboxOrder(): Promise<string> {
  const o = await rig.sandbox.control<{ OrderId: string }>('POST', '/yahoo/_sandbox/orders', { sellerId: YAHOO_SELLER, payMethod: 'payment_b1' });
  return o.OrderId;
}

/** An Amazon Pay order authorized (審査完了, Authorized) and not captured, as the review leaves it. */
async function amazonAuthorized(orderId: string): Promise<string> {
  rig.sandbox.amazonPay.kit.clock.set(new Date(await env.currentTimeMs()));
  const chargePermissionId = await mintChargePermission(rig.sandbox, { chargePermissionType: 'OneTime', amount: 50000 });
  await insertAuthorizationOrder(rig.db.pool, { shopId: SHOP_ID, orderId, chargePermissionId, amountJpy: 8800, captureOnAuthorization: false, cancelOnDecline: false });
  const charge = await rig.amazonPay.createCharge({ chargePermissionId, chargeAmount: jpy(8800), captureNow: false }, `si-${orderId}`.slice(0, 32));
  await applyPaymentUpdate(rig.db.pool, {
    shopId: SHOP_ID, orderId, chargeId: charge.chargeId, paymentStatus: PAYMENT_STATUS.reviewed, creditStatus: 'Authorized', dedupeKey: `test:${orderId}`,
  });
  return charge.chargeId;
}

/** A GMO-PG card trade authorized (AUTH) now, at the server's time. */
async function gmoAuthorized(): Promise<string> {
  const gmoOrderId = newGmoOrderId('S');
  await gmoAuthorize(rig.sandbox, gmoOrderId, new Date(await env.currentTimeMs()));
  return gmoOrderId;
}

const base = (orderId: string): JsonShipmentRow => ({ orderId, shipDate: '2026/11/20', carrier: 'yamato', trackingNumber: `1234-${String(++n).padStart(4, '0')}-01` });

/** With RECORD_HISTORIES=1, keeps the import's history (its latest run) for tests/workflows/recorded-histories-replay.test.ts. */
const keep = (name: string, handle: WorkflowHandle) => recordHistory(handle, `shipment-import-${name}`);

test('a row of each kind: au PAY, Yahoo, Amazon Pay capture, GMO-PG SALES, own store OUT, ship date only; each effect once, a second import of the same rows changes nothing', async () => {
  const ids = { au: newId('AU'), yahoo: newId('YH'), amazon: newId('AMZ'), gmo: newId('GMO'), own: newId('OWN'), dateOnly: newId('DATE') };
  const auPayOrderId = await auPayTrade();
  const yahooOrderId = await yahooSandboxOrder();
  const chargeId = await amazonAuthorized(ids.amazon);
  const gmoOrderId = await gmoAuthorized();
  const rows: JsonShipmentRow[] = [
    { ...base(ids.au), mall: 'au-pay', mallOrderId: auPayOrderId },
    { ...base(ids.yahoo), mall: 'yahoo', mallOrderId: yahooOrderId, trackingNumber: '1111-2222-33' },
    { ...base(ids.amazon), capture: true }, // renkei knows the order and its charge: amazon-pay
    { ...base(ids.gmo), mall: '自社', paymentMethod: METHODS.gmo, paymentRef: gmoOrderId, capture: true },
    { ...base(ids.own), mall: '自社' },
    { ...base(ids.dateOnly), mall: '自社', shipDateMode: 'ship-date-only' },
  ];
  const first = await startImport(rows);
  const done = await finished(first);
  expect(done.result).toEqual({ status: 'completed' });
  expect(done.view).toMatchObject({ status: 'completed', total: 6, done: 6, counts: { applied: 6, failed: 0, refused: 0, canceled: 0 } });
  expect(outcomes(done.rows)).toEqual(Object.fromEntries(Object.values(ids).map((id) => [id, 'applied'])));
  const detail = Object.fromEntries(done.rows.map((r) => [r.orderId, r.detail]));
  expect(detail[ids.au]).toMatch(/au PAY: 出荷情報反映へ/);
  expect(detail[ids.yahoo]).toMatch(/Yahoo: 出荷済み/);
  expect(detail[ids.gmo]).toMatch(/売上確定: 開始/);
  expect(detail[ids.dateOnly]).toBe('出荷日設定');

  // every order has its shipment recorded
  for (const orderId of Object.values(ids)) {
    expect(await getOrderShipment(rig.db.pool, SHOP_ID, orderId)).toMatchObject({ shipDate: '2026-11-20', carrier: 'yamato' });
  }
  // au PAY: the chain pushed the ship info to the market once
  await until(async () => (await auPayPushes(auPayOrderId)).length > 0, 30_000);
  expect(rig.sandbox.auPay.market.trade(AU_SHOP_ID, auPayOrderId)).toMatchObject({ shippingDate: '2026/11/20', shippingCarrier: '1' });
  // Yahoo: 出荷済み with the carrier, the invoice number and the date
  expect(yahooShips(yahooOrderId)).toHaveLength(1);
  expect(await yahooOrder(rig.sandbox, yahooOrderId)).toMatchObject({ ShipStatus: '3', ShipCompanyCode: '1001', ShipInvoiceNumber1: '1111-2222-33', ShipDate: '2026-11-20' });
  // 売上確定: Amazon Pay captured, GMO-PG AUTH -> SALES, each once, recorded on the order
  await until(async () => (await captureStatus(ids.amazon)) === '売上確定済み' && (await captureStatus(ids.gmo)) === '売上確定済み', 30_000);
  expect(amazonCaptures(chargeId)).toHaveLength(1);
  expect(await gmoStatus(rig.sandbox, gmoOrderId)).toBe('SALES');
  expect(await gmoSales(gmoOrderId)).toHaveLength(1);
  // order data OUT: the own-store order's shipment went out; the ship-date-only one did not
  await until(() => shipmentOut(ids.own).length > 0, 30_000);
  expect(shipmentOut(ids.dateOnly)).toEqual([]);
  await keep('every-kind', first.handle);

  // the same rows again: every row says so, and nothing reaches a ledger twice
  const again = await finished(await startImport(rows));
  expect(again.view).toMatchObject({ status: 'completed', counts: { unchanged: 6, applied: 0 } });
  expect(again.rows.every((r) => r.outcome === 'unchanged' && /変更なし/.test(r.detail ?? ''))).toBe(true);
  expect(await auPayPushes(auPayOrderId)).toHaveLength(1);
  expect(yahooShips(yahooOrderId)).toHaveLength(1);
  expect(amazonCaptures(chargeId)).toHaveLength(1);
  expect(await gmoSales(gmoOrderId)).toHaveLength(1);
  expect(shipmentOut(ids.own)).toHaveLength(1);
}, 120_000);

test('flags: the shop\'s settings are the default, a file overrides them, a row overrides the file', async () => {
  await putSettings(rig.db.pool, SHOP_ID, 'shipment-import', { ...defaultSettings('shipment-import'), shipDateMode: 'ship-date-only', capture: true });
  const gmo = { shopDefault: await gmoAuthorized(), rowExternal: await gmoAuthorized(), fileDefault: await gmoAuthorized(), rowCapture: await gmoAuthorized() };
  const ids = { shopDefault: newId('F1'), rowExternal: newId('F2'), fileDefault: newId('F3'), rowCapture: newId('F4') };
  const row = (k: keyof typeof ids, more: Partial<JsonShipmentRow> = {}): JsonShipmentRow =>
    ({ ...base(ids[k]), mall: '自社', paymentMethod: METHODS.gmo, paymentRef: gmo[k], ...more });

  // the shop's defaults (ship date only, capture); one row asks for 外部連携 and no capture
  const byShop = await finished(await startImport([row('shopDefault'), row('rowExternal', { shipDateMode: 'external', capture: false })]));
  // the file says 外部連携, no capture; one row asks for the capture
  const byFile = await finished(await startImport([row('fileDefault'), row('rowCapture', { capture: true })], { shipDateMode: 'external', capture: false }));
  expect([...byShop.rows, ...byFile.rows].every((r) => r.outcome === 'applied')).toBe(true);

  await until(async () => (await captureStatus(ids.shopDefault)) === '売上確定済み' && (await captureStatus(ids.rowCapture)) === '売上確定済み', 30_000);
  await until(() => shipmentOut(ids.rowExternal).length > 0 && shipmentOut(ids.fileDefault).length > 0, 30_000);
  expect(await gmoStatus(rig.sandbox, gmo.shopDefault)).toBe('SALES');
  expect(shipmentOut(ids.shopDefault)).toEqual([]);
  expect(await gmoStatus(rig.sandbox, gmo.rowExternal)).toBe('AUTH');
  expect(await captureStatus(ids.rowExternal)).toBeNull();
  expect(await gmoStatus(rig.sandbox, gmo.fileDefault)).toBe('AUTH');
  expect(await gmoStatus(rig.sandbox, gmo.rowCapture)).toBe('SALES');
  expect(shipmentOut(ids.rowCapture)).toHaveLength(1);
}, 120_000);

test(`more than ${ROWS_PER_RUN} rows: the workflow continues as new with only its position; each run's history stays bounded`, async () => {
  const N = ROWS_PER_RUN + 20;
  const prefix = newId('CAN');
  const rows = Array.from({ length: N }, (_, i): JsonShipmentRow => ({ ...base(`${prefix}-${i}`), mall: '自社', shipDateMode: 'ship-date-only' }));
  const imp = await startImport(rows);
  const done = await finished(imp, 180_000);
  expect(done.view).toMatchObject({ status: 'completed', total: N, done: N, counts: { applied: N } });

  // the runs, from the last back to the first (each started run names the one it continued)
  const runs: Array<{ runId: string; events: temporal.api.history.v1.IHistoryEvent[] }> = [];
  for (let runId: string | undefined = (await imp.handle.describe()).runId; runId;) {
    const events: temporal.api.history.v1.IHistoryEvent[] = (await env.client.workflow.getHandle(imp.handle.workflowId, runId).fetchHistory()).events ?? [];
    runs.unshift({ runId, events });
    runId = events[0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId || undefined;
  }
  expect(runs).toHaveLength(2);
  const [first, second] = runs as [typeof runs[number], typeof runs[number]];
  expect(first.events.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  expect(second.events.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  // the continued run is still found by its shop
  expect((await env.client.workflow.getHandle(imp.handle.workflowId, second.runId).describe()).typedSearchAttributes.get(SHOP_ID_KEY)).toBe(SHOP_ID);
  // only line numbers go through history: no order number appears in it
  const bytes = Buffer.from(temporal.api.history.v1.History.encode({ events: first.events }).finish()).toString('utf8');
  expect(bytes).not.toContain(prefix);
  expect(first.events.length).toBeLessThan(ROWS_PER_RUN * 8);
  process.stdout.write(`shipment import: ${first.events.length} history events in a run of ${ROWS_PER_RUN} rows, ${second.events.length} in the last run of ${N - ROWS_PER_RUN}\n`);
}, 240_000);

test('cancel: the rows in flight finish, the rows not taken are canceled and nothing is sent for them', async () => {
  // each Yahoo call answers after 3 s (within the client's 5 s), so the first rows are still in flight when the cancel comes
  await rig.sandbox.control('POST', '/yahoo/_sandbox/faults', { operation: 'orderShipStatusChange', kind: 'slow', delayMs: 3000 });
  const orders = await Promise.all(Array.from({ length: 30 }, async () => ({ orderId: newId('CNL'), yahooOrderId: await yahooSandboxOrder() })));
  const imp = await startImport(orders.map((o) => ({ ...base(o.orderId), mall: 'yahoo', mallOrderId: o.yahooOrderId, trackingNumber: '2222-3333' })));
  const rowsInFlight = async () => ((await imp.handle.describe()).raw.pendingActivities ?? []).filter((a) => a.activityType?.name === 'applyShipmentImportRow').length;
  await until(async () => (await rowsInFlight()) > 0, 30_000, 50);

  const update = await imp.handle.startUpdate(cancelShipmentImportUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
  await until(async () => (await getShipmentImport(rig.db.pool, SHOP_ID, imp.id))?.status !== 'running', 60_000, 100);
  expect(await update.result()).toEqual({ status: 'canceled' });
  expect(await imp.handle.result()).toEqual({ status: 'canceled' });
  await expect(imp.handle.executeUpdate(cancelShipmentImportUpdate)).rejects.toThrow(); // finished: refused

  const rows = await listRowResults(rig.db.pool, SHOP_ID, imp.id);
  const applied = rows.filter((r) => r.outcome === 'applied');
  const canceled = rows.filter((r) => r.outcome === 'canceled');
  expect(applied.length + canceled.length).toBe(orders.length);
  expect(applied.length).toBeGreaterThan(0);
  expect(applied.length).toBeLessThanOrEqual(10); // at most the lanes in flight
  for (const o of orders) {
    const sent = yahooShips(o.yahooOrderId).length;
    expect(sent).toBe(applied.some((r) => r.orderId === o.orderId) ? 1 : 0);
  }
  for (const r of canceled) expect(await getOrderShipment(rig.db.pool, SHOP_ID, r.orderId)).toBeUndefined();
  expect(await getShipmentImport(rig.db.pool, SHOP_ID, imp.id)).toMatchObject({ status: 'canceled', done: orders.length, counts: { canceled: canceled.length } });
  await keep('canceled', imp.handle);
}, 120_000);

test('a row whose step keeps failing ends failed with the error\'s own words; the other rows are applied', async () => {
  await rig.sandbox.control('POST', '/yahoo/_sandbox/faults', { operation: 'orderShipStatusChange', kind: 'error', status: 503 });
  const ok = newId('OK');
  const bad = { orderId: newId('FAIL'), yahooOrderId: await yahooSandboxOrder() };
  const imp = await startImport([{ ...base(ok), mall: '自社', shipDateMode: 'ship-date-only' }, { ...base(bad.orderId), mall: 'yahoo', mallOrderId: bad.yahooOrderId, trackingNumber: '3333-4444' }]);
  // in real time until only the failing row is left; then result() lets the server skip its retries' backoff
  await until(async () => (await getOrderShipment(rig.db.pool, SHOP_ID, ok)) !== undefined, 30_000, 100);
  expect(await imp.handle.result()).toEqual({ status: 'completed' });
  const rows = await listRowResults(rig.db.pool, SHOP_ID, imp.id);
  expect(outcomes(rows)).toEqual({ [ok]: 'applied', [bad.orderId]: 'failed' });
  expect(rows.find((r) => r.orderId === bad.orderId)!.detail).toMatch(/503/) // Yahoo's answer, not "Activity task failed";
  expect(yahooShips(bad.yahooOrderId)).toEqual([]);
  expect(await getShipmentImport(rig.db.pool, SHOP_ID, imp.id)).toMatchObject({ status: 'completed', counts: { applied: 1, failed: 1 } });
  await keep('failed-row', imp.handle);
}, 120_000);

test('a worker without its Temporal client does not take a row: the step throws, to be retried by a worker that has one', async () => {
  const activities = createShipmentImportActivities({ db: rig.db.pool, yahooShop: () => undefined });
  await expect(activities.applyShipmentImportRow({ shopId: SHOP_ID, importId: 'none', line: 1 })).rejects.toThrow('no Temporal client');
});
