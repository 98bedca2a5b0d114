import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { linkStateQuery, resetLinkStatusUpdate, shipmentReportedSignal } from '../../workflows/au-pay-shipment-messages';
import { LINK_STATUS, type ShipmentReport } from '../../workflows/au-pay-link-status';
import { recordHistory } from '../support/record-history';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { getAuPayOrder, LINK_STATUS_OUT_EVENT, upsertShipmentReport } from '../../db/au-pay-orders';
import { reportPlan } from '../../api/au-pay/report-plan';
import type { TestDatabase } from '../support/database';
import { AU_API_KEY, AU_SHOP_ID, type TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { history, ledger, newShipment, orderRow, auPaySettingsStandIn } from '../support/au-pay-fixtures';
import { until } from '../support/until';

/**
 * Issue 13 §1 on the time-skipping server, with the real activities, the au PAY sandbox and PostgreSQL: 対象外 is not
 * final, corrections reach the market, every link-status change goes back to the OMS as an order data OUT row,
 * 自動注文情報ステータス取得 in a held chain, and 受注完了ステータス反映済み by hand for an order completed before automation.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
const taskQueue = 'au-pay-corrections-test';

/** The shop's au PAY settings as the worker reads them; a test changes them. */
const auPay = auPaySettingsStandIn();

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, { deps: () => ({ shops: auPay.shops }) });
  ({ env, db, sandbox } = rig);
});
afterAll(() => rig?.stop());

beforeEach(async () => {
  auPay.reset();
  await sandbox.control('POST', '/au-pay/_sandbox/reset');
  await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY });
  sandbox.sink.clear();
});

const started = new Set<string>();
const handleOf = (r: ShipmentReport) => env.client.workflow.getHandle(auPayShipmentWorkflowId(r.shopId, r.orderId));
const start = (report: ShipmentReport) => {
  const workflowId = auPayShipmentWorkflowId(report.shopId, report.orderId);
  started.add(workflowId);
  return env.client.workflow.start(auPayShipmentWorkflow, { workflowId, taskQueue, args: [report] });
};
// a chain left waiting is closed as an operator would (marked done by hand): a waiting one would let the server skip ahead
afterEach(async () => {
  for (const id of started) {
    await env.client.workflow.getHandle(id).executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed] }).catch(() => undefined);
  }
  started.clear();
});

/** What the API does with a re-report: store it, decide from the order as it was, and start a new run if it says so. */
async function reReport(report: ShipmentReport) {
  const before = await getAuPayOrder(db.pool, report.shopId, report.orderId);
  const plan = reportPlan(before, report);
  await upsertShipmentReport(db.pool, report);
  if (plan.kind === 'reopen') {
    await env.client.workflow.start(auPayShipmentWorkflow, {
      workflowId: auPayShipmentWorkflowId(report.shopId, report.orderId), taskQueue, args: [report, plan.resume],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } else if (plan.kind === 'signal') {
    await handleOf(report).signal(shipmentReportedSignal, report);
  }
  return plan;
}

/**
 * With RECORD_HISTORIES=1, keeps the chain's history (its latest run) for the replay test: the paths this issue added
 * (a reopened run, a correction in a held chain, 注文情報ステータス取得エラー) must replay after later changes.
 */
const keep = (name: string, r: ShipmentReport) => recordHistory(handleOf(r), `au-pay-shipment-${name}`);

async function outRows(r: ShipmentReport) {
  const { rows } = await db.pool.query<{ payload: Record<string, unknown>; dedupeKey: string }>(
    `SELECT payload, dedupe_key AS "dedupeKey" FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND event = $3 ORDER BY id`,
    [r.shopId, r.orderId, LINK_STATUS_OUT_EVENT],
  );
  return rows;
}
const outStatuses = async (r: ShipmentReport) => (await outRows(r)).map((o) => o.payload.linkStatus);
const applied = async (auPayOrderId: string, operation: string) =>
  (await ledger(sandbox, auPayOrderId)).filter((e) => e.operation === operation && e.applied).length;
const waitForStatus = (r: ShipmentReport, status: string, waiting?: string) =>
  until(async () => {
    const s = await handleOf(r).query(linkStateQuery);
    return s.status === status && (waiting === undefined || s.waiting === waiting);
  }, 20_000, 100);

test('対象外 is not final: a management class made 通常 later is pushed by a new run of the same id', async () => {
  const report = await newShipment(db.pool, sandbox, { managementClass: '予約' });
  expect((await (await start(report)).result()).status).toBe(LINK_STATUS.notTarget);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);

  // the same 対象外 again: stored, nothing started
  expect(await reReport({ ...report, trackingNumber: '5555' })).toMatchObject({ kind: 'store', push: false });

  const fixed = { ...report, managementClass: '通常' };
  expect(await reReport(fixed)).toMatchObject({ kind: 'reopen', push: true });
  expect((await handleOf(fixed).result()).status).toBe(LINK_STATUS.completed);
  expect([await applied(report.auPayOrderId, 'updateTradeInfoProc'), await applied(report.auPayOrderId, 'updateTradeStsProc')]).toEqual([1, 1]);
  expect((await history(db.pool, report)).map((h) => h.operation)).toEqual([
    '対象外解除: 連携対象の条件を満たしました', 'searchTradeInfoProc', 'updateTradeInfoProc', 'updateTradeStsProc',
  ]);
  // every change went back to the OMS, once each
  expect(await outStatuses(report)).toEqual([LINK_STATUS.notTarget, LINK_STATUS.blank, LINK_STATUS.shipped, LINK_STATUS.completed]);
  await keep('reopened-not-target', report);
});

test('a bundled child later unbundled is pushed', async () => {
  const child = await newShipment(db.pool, sandbox, { bundledInto: 'PARENT-1' });
  expect((await (await start(child)).result()).status).toBe(LINK_STATUS.notTarget);
  expect(await reReport({ ...child, bundledInto: null })).toMatchObject({ kind: 'reopen', push: true });
  expect((await handleOf(child).result()).status).toBe(LINK_STATUS.completed);
  expect(sandbox.auPay.market.trade(AU_SHOP_ID, child.auPayOrderId)?.shippingNumber).toBe(child.trackingNumber);
});

test('a correction after completion pushes the ship info again; the same data again pushes nothing', async () => {
  const report = await newShipment(db.pool, sandbox);
  expect((await (await start(report)).result()).status).toBe(LINK_STATUS.completed);

  expect(await reReport(report)).toMatchObject({ kind: 'store', push: false });
  const corrected = { ...report, trackingNumber: '9999-8888', carrier: '2', shipDate: '2026-11-21' };
  expect(await reReport(corrected)).toMatchObject({ kind: 'reopen', push: true });
  expect((await handleOf(corrected).result()).status).toBe(LINK_STATUS.completed);
  expect(sandbox.auPay.market.trade(AU_SHOP_ID, report.auPayOrderId)).toMatchObject({
    shippingNumber: '9999-8888', shippingCarrier: '2', shippingDate: '2026/11/21', orderStatus: '完了',
  });
  expect(await applied(report.auPayOrderId, 'updateTradeInfoProc')).toBe(2);
  expect(await applied(report.auPayOrderId, 'updateTradeStsProc')).toBe(1); // the second 完了 is a same-status no-op
  const ops = (await history(db.pool, report)).map((h) => h.operation);
  expect(ops).toContain('訂正: 完了後の出荷情報の再反映');
  await keep('corrected-after-completion', report);
  // the same data once more (a retried report): nothing to push
  expect(await reReport(corrected)).toMatchObject({ kind: 'store', push: false });
  expect(await applied(report.auPayOrderId, 'updateTradeInfoProc')).toBe(2);
  // the OUT rows: unique per change, shipping data without personal data
  const rows = await outRows(report);
  expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(rows.length);
  expect(rows.at(-1)!.payload).toMatchObject({ orderId: report.orderId, linkStatus: LINK_STATUS.completed, trackingNumber: '9999-8888', carrier: '2', shipDate: '2026-11-21', at: expect.any(String) });
  expect(Object.keys(rows.at(-1)!.payload).sort()).toEqual(['at', 'auPayOrderId', 'carrier', 'error', 'linkStatus', 'manual', 'orderId', 'shipDate', 'trackingNumber']);
});

test('a correction while held at 出荷情報反映済み is pushed by the running chain, recorded in its history', async () => {
  auPay.change({ autoCompletion: '停止' });
  const report = await newShipment(db.pool, sandbox);
  await start(report);
  await waitForStatus(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');

  expect(await reReport({ ...report, managementClass: '通常' })).toMatchObject({ push: false }); // nothing new
  const corrected = { ...report, trackingNumber: '7777' };
  expect(await reReport(corrected)).toMatchObject({ kind: 'signal', push: true });
  await until(async () => sandbox.auPay.market.trade(AU_SHOP_ID, report.auPayOrderId)?.shippingNumber === '7777', 20_000, 100);
  await waitForStatus(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
  expect(await applied(report.auPayOrderId, 'updateTradeInfoProc')).toBe(2);
  expect((await history(db.pool, report)).map((h) => h.operation)).toContain('訂正: 出荷情報の再反映');
  expect(await outStatuses(report)).toEqual([LINK_STATUS.shipped, LINK_STATUS.blank, LINK_STATUS.shipped]);

  auPay.change({ autoCompletion: '開始' });
  expect((await handleOf(report).result()).status).toBe(LINK_STATUS.completed);
  await keep('held-corrected', report);
});

test('a held chain reads the trade once a day: canceled at the market, it stops at 注文情報ステータス取得エラー until reset to 空欄', async () => {
  auPay.change({ autoShipInfo: '停止' });
  const report = await newShipment(db.pool, sandbox);
  await start(report);
  await waitForStatus(report, LINK_STATUS.blank, '自動出荷情報反映が停止中です');
  await sandbox.control('POST', `/au-pay/_sandbox/trades/${AU_SHOP_ID}/${report.auPayOrderId}/cancel`);
  await env.sleep('25 hours'); // the daily read comes round
  await waitForStatus(report, LINK_STATUS.statusError);
  expect(await orderRow(db.pool, report)).toMatchObject({ linkStatus: LINK_STATUS.statusError, marketOrderStatus: 'キャンセル' });
  expect(await outStatuses(report)).toEqual([LINK_STATUS.statusError]);

  // settings back to 開始: the error still blocks the push, until an operator resets it
  auPay.change({ autoShipInfo: '開始' });
  await env.sleep('1 hour');
  expect((await handleOf(report).query(linkStateQuery)).status).toBe(LINK_STATUS.statusError);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
  await until(() => sandbox.sink.messages().length === 1, 15_000, 50);
  await keep('open-at-status-error', report);
});

test('completed before automation: 受注完了ステータス反映済み from 空欄 when the operator says so, recorded as manual', async () => {
  auPay.change({ autoShipInfo: '停止', autoCompletion: '停止' });
  const report = await newShipment(db.pool, sandbox);
  const handle = await start(report);
  await waitForStatus(report, LINK_STATUS.blank, '自動出荷情報反映が停止中です');

  // the flag sets 受注完了ステータス反映済み only
  await expect(handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.shipped, undefined, { completedBeforeAutomation: true }] }))
    .rejects.toMatchObject({ cause: { message: expect.stringContaining('sets 受注完了ステータス反映済み only') } });
  expect(await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed, undefined, { completedBeforeAutomation: true }] }))
    .toEqual({ previous: LINK_STATUS.blank, status: LINK_STATUS.completed });
  expect((await handle.result()).status).toBe(LINK_STATUS.completed);
  expect(await orderRow(db.pool, report)).toMatchObject({ linkStatus: LINK_STATUS.completed, linkStatusManual: true });
  expect((await history(db.pool, report)).map((h) => h.operation)).toEqual(['手動: 自動連携前に完了済み']);
  expect((await outRows(report)).map((o) => [o.payload.linkStatus, o.payload.manual])).toEqual([[LINK_STATUS.completed, true]]);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
});

test('the flag is refused on an order past 空欄', async () => {
  auPay.change({ autoCompletion: '停止' });
  const report = await newShipment(db.pool, sandbox);
  const handle = await start(report);
  await waitForStatus(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
  await expect(handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed, undefined, { completedBeforeAutomation: true }] }))
    .rejects.toMatchObject({ cause: { message: expect.stringContaining(`applies to an order at ${LINK_STATUS.blank}`) } });
});
