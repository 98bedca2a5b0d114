import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { completionReportedSignal, linkStateQuery, resetLinkStatusUpdate, shipmentReportedSignal } from '../../workflows/au-pay-shipment-messages';
import { LINK_STATUS, MISSING_SHIP_DATE, TIMEOUT_MESSAGE, type ShipmentReport, type ManualStatus } from '../../workflows/au-pay-link-status';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { AU_PAY_ERROR_SUBJECTS } from '../../mail/au-pay-error-mail';
import type { TestDatabase } from '../support/database';
import { AU_API_KEY, AU_SHOP_ID, type TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { history, ledger, newShipment, NOTIFY_EMAIL, orderRow, auPaySettingsStandIn } from '../support/au-pay-fixtures';
import { until } from '../support/until';
import { settled, sleepClearOfTimers } from '../support/time-skip';

/**
 * The au PAY ship-then-complete chain on the time-skipping test server, with its real activities against the au PAY
 * sandbox, a real PostgreSQL and the SMTP sink.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
const taskQueue = 'au-pay-shipment-test';

/** The shop's au PAY settings as the worker reads them; a test changes them. */
const auPay = auPaySettingsStandIn();

beforeAll(async () => {
  // The client's timeout is short so the "timeout where the change landed" case runs in a second.
  rig = await startTimeSkippingRig(taskQueue, { auPayTimeoutMs: 500, deps: () => ({ shops: auPay.shops }) });
  ({ env, db, sandbox } = rig);
});
afterAll(() => rig?.stop());

beforeEach(async () => {
  auPay.reset();
  await sandbox.control('POST', '/au-pay/_sandbox/reset');
  await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY });
  sandbox.sink.clear();
});

const started: string[] = [];
const start = (report: ShipmentReport) => {
  const workflowId = auPayShipmentWorkflowId(report.shopId, report.orderId);
  started.push(workflowId);
  return env.client.workflow.start(auPayShipmentWorkflow, { workflowId, taskQueue, args: [report] });
};

// A workflow left waiting for an operator is closed the way an operator would (marked done by hand): a waiting
// workflow would let the time-skipping server jump ahead in later tests, and terminating one leaves the test
// server's time-skipping lock held.
afterEach(async () => {
  for (const id of started.splice(0)) {
    await env.client.workflow.getHandle(id).executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed] }).catch(() => undefined);
  }
});

/** Waits (in real time; nothing here needs the clock) until the workflow stands at `status`. */
async function waitForStatus(report: ShipmentReport, status: string): Promise<void> {
  const handle = env.client.workflow.getHandle(auPayShipmentWorkflowId(report.shopId, report.orderId));
  await until(async () => (await handle.query(linkStateQuery)).status === status, 20_000, 100);
}

const applied = (entries: Array<{ operation: string; applied: boolean }>, operation: string) =>
  entries.filter((e) => e.operation === operation && e.applied).length;

test('success: ship info then 完了, each applied once, no mail', async () => {
  const report = await newShipment(db.pool, sandbox);
  const handle = await start(report);
  const result = await handle.result();

  expect(result.status).toBe(LINK_STATUS.completed);
  // the settings reads ran in their workflow tasks: only the market's calls went through the server as activities, and
  // the run's one patch marker stands for all the chain's patches
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['checkTradeStatus', 'pushShippingInfo', 'pushCompletion']);
  expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toHaveLength(1);
  expect((await orderRow(db.pool, report))?.linkStatus).toBe(LINK_STATUS.completed);
  const trade = sandbox.auPay.market.trade(AU_SHOP_ID, report.auPayOrderId)!;
  expect(trade).toMatchObject({ orderStatus: '完了', shippingDate: '2026/11/20', shippingCarrier: '1', shippingNumber: '4321-0000-1111' });
  const entries = await ledger(sandbox, report.auPayOrderId);
  expect(applied(entries, 'updateTradeInfoProc')).toBe(1);
  expect(applied(entries, 'updateTradeStsProc')).toBe(1);
  expect((await history(db.pool, report)).map((h) => [h.operation, h.result])).toEqual([
    ['searchTradeInfoProc', '成功'], // 自動注文情報ステータス取得 before the push
    ['updateTradeInfoProc', '成功'],
    ['updateTradeStsProc', '成功'],
  ]);
  expect(await orderRow(db.pool, report)).toMatchObject({ marketOrderStatus: '発送待ち', marketPaymentStatus: 'Y', linkStatusManual: false });
  expect(sandbox.sink.messages()).toHaveLength(0);
});

test('ship date missing: 出荷情報反映エラー with the seed message, no call made, error mail sent', async () => {
  const report = await newShipment(db.pool, sandbox, { shipDate: null });
  await start(report);
  await waitForStatus(report, LINK_STATUS.shipError);

  const row = await orderRow(db.pool, report);
  expect(row).toMatchObject({ linkStatus: LINK_STATUS.shipError, lastError: MISSING_SHIP_DATE });
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
  const h = await history(db.pool, report);
  expect(h).toHaveLength(1);
  expect(h[0]).toMatchObject({ operation: 'updateTradeInfoProc', result: 'エラー', httpStatus: null, errorMessage: MISSING_SHIP_DATE });
  await waitForMail(1);
  const [mail] = sandbox.sink.messages();
  expect(mail).toMatchObject({ subject: AU_PAY_ERROR_SUBJECTS.shipping, to: [NOTIFY_EMAIL] });
  expect(mail!.text).toContain(report.orderId);
  expect(mail!.text).toContain(MISSING_SHIP_DATE);
});

test('canceled trade: 注文情報ステータス取得エラー before any push; the market’s words reach the shop; a reset to 空欄 checks again', async () => {
  const report = await newShipment(db.pool, sandbox);
  await sandbox.control('POST', `/au-pay/_sandbox/trades/${AU_SHOP_ID}/${report.auPayOrderId}/cancel`);
  const handle = await start(report);
  await waitForStatus(report, LINK_STATUS.statusError);

  expect(await orderRow(db.pool, report)).toMatchObject({
    lastError: expect.stringContaining('指定の取引はキャンセル済みです'), marketOrderStatus: 'キャンセル',
  });
  expect((await history(db.pool, report)).map((x) => [x.operation, x.result])).toEqual([['searchTradeInfoProc', '成功']]);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]); // no push reached the market
  await waitForMail(1);
  expect(sandbox.sink.messages()[0]!.text).toContain('指定の取引はキャンセル済みです');

  // the seed: reset to 空欄 to reprocess; the trade is still canceled, so the check stops it again
  await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.blank] });
  await until(async () => (await history(db.pool, report)).length === 2, 20_000, 100);
  await waitForStatus(report, LINK_STATUS.statusError);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
  await waitForMail(2);
});

test('trade not found at the market: 注文情報ステータス取得エラー, no push', async () => {
  const report = await newShipment(db.pool, sandbox, { auPayOrderId: '999999999999' });
  sandbox.auPay.market.trades.delete(`${AU_SHOP_ID}:999999999999`); // the OMS has an order number the market does not
  await start(report);
  await waitForStatus(report, LINK_STATUS.statusError);
  expect((await orderRow(db.pool, report))?.lastError).toContain('指定の取引は存在しません');
  expect((await history(db.pool, report)).map((x) => x.operation)).toEqual(['searchTradeInfoProc']);
  await waitForMail(1); // the shop hears of it as of a failed ship-info push
});

test('5xx twice, then success: retried with backoff, applied once, no mail', async () => {
  const report = await newShipment(db.pool, sandbox);
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeInfoProc', kind: 'error', status: 503, times: 2 });
  const result = await (await start(report)).result();

  expect(result.status).toBe(LINK_STATUS.completed);
  const h = await history(db.pool, report);
  expect(h.filter((x) => x.operation === 'updateTradeInfoProc').map((x) => [x.result, x.httpStatus])).toEqual([
    ['エラー', 503], ['エラー', 503], ['成功', 200],
  ]);
  expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeInfoProc')).toBe(1);
  expect(sandbox.sink.messages()).toHaveLength(0);
});

test('timeout where the change landed: the retry reads the trade and does not push again', async () => {
  const report = await newShipment(db.pool, sandbox);
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeInfoProc', kind: 'timeout', afterEffect: true, delayMs: 1500, times: 1 });
  const result = await (await start(report)).result();

  expect(result.status).toBe(LINK_STATUS.completed);
  expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeInfoProc')).toBe(1);
  expect((await history(db.pool, report)).map((x) => [x.operation, x.result, x.errorCode ?? null])).toEqual([
    ['searchTradeInfoProc', '成功', null], // 自動注文情報ステータス取得
    ['updateTradeInfoProc', 'エラー', 'TIMEOUT'],
    ['searchTradeInfoProc', '成功', null],
    ['updateTradeStsProc', '成功', null],
  ]);
});

test('timeouts until the retries are spent: the seed timeout message and a mail', async () => {
  const report = await newShipment(db.pool, sandbox);
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeStsProc', kind: 'timeout', delayMs: 1000 });
  const handle = await start(report);
  await waitForStatus(report, LINK_STATUS.shipped);
  // Retries back off on server timers; skip time, a minute at a time, until the six attempts are spent.
  await until(async () => {
    if ((await handle.query(linkStateQuery)).status === LINK_STATUS.completeError) return true;
    await env.sleep('1m');
    return false;
  }, 120_000, 0);
  expect((await orderRow(db.pool, report))?.lastError).toBe(TIMEOUT_MESSAGE);
  expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeStsProc')).toBe(0);
  expect((await history(db.pool, report)).filter((h) => h.operation === 'updateTradeStsProc')).toHaveLength(6);
  await waitForMail(1);
  expect(sandbox.sink.messages()[0]!.subject).toBe(AU_PAY_ERROR_SUBJECTS.completion);

  await sandbox.control('DELETE', '/au-pay/_sandbox/faults');
  await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.shipped] });
  expect((await handle.result()).status).toBe(LINK_STATUS.completed);
  const entries = await ledger(sandbox, report.auPayOrderId);
  expect(applied(entries, 'updateTradeInfoProc')).toBe(1); // the reset to 出荷情報反映済み re-ran only the completion
  expect(applied(entries, 'updateTradeStsProc')).toBe(1);
}, 180_000);

test('operator reset after an error: a wrong target is refused with a reason, 空欄 reprocesses', async () => {
  const report = await newShipment(db.pool, sandbox);
  await sandbox.control('POST', `/au-pay/_sandbox/shops/${AU_SHOP_ID}/expire-key`);
  const handle = await start(report);
  // 自動注文情報ステータス取得 fails as well: not the trade's state, so the push reports the error as before
  await waitForStatus(report, LINK_STATUS.shipError);
  expect((await orderRow(db.pool, report))?.lastError).toBe('認証に失敗しました (0002)');
  expect((await history(db.pool, report)).map((h) => [h.operation, h.result])).toEqual([['searchTradeInfoProc', 'エラー'], ['updateTradeInfoProc', 'エラー']]);

  const refused = handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completeError as unknown as ManualStatus] });
  await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await expect(refused).rejects.toMatchObject({ cause: { message: expect.stringContaining('cannot be set by hand') } });

  await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY }); // the shop renewed its key
  expect(await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.blank] })).toEqual({
    previous: LINK_STATUS.shipError, status: LINK_STATUS.blank,
  });
  expect((await handle.result()).status).toBe(LINK_STATUS.completed);
  expect((await orderRow(db.pool, report))).toMatchObject({ linkStatus: LINK_STATUS.completed, lastError: null });
  const entries = await ledger(sandbox, report.auPayOrderId);
  expect(applied(entries, 'updateTradeInfoProc')).toBe(1);
  expect(applied(entries, 'updateTradeStsProc')).toBe(1);
});

test('operator marks an errored order done by hand: 受注完了ステータス反映済み, no further call', async () => {
  const report = await newShipment(db.pool, sandbox, { shipDate: null });
  const handle = await start(report);
  await waitForStatus(report, LINK_STATUS.shipError);
  await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed] });
  expect((await handle.result()).status).toBe(LINK_STATUS.completed);
  expect((await orderRow(db.pool, report))?.linkStatus).toBe(LINK_STATUS.completed);
  expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
});

test('bundled child skipped: 対象外, no call, no mail; only the parent is pushed', async () => {
  const parent = await newShipment(db.pool, sandbox);
  const child = await newShipment(db.pool, sandbox, { bundledInto: parent.orderId, auPayOrderId: String(Number(parent.auPayOrderId) + 1) });
  const childResult = await (await start(child)).result();
  const parentResult = await (await start(parent)).result();

  expect(childResult.status).toBe(LINK_STATUS.notTarget);
  expect((await orderRow(db.pool, child))?.linkStatus).toBe(LINK_STATUS.notTarget);
  expect(await ledger(sandbox, child.auPayOrderId)).toEqual([]);
  expect(await history(db.pool, child)).toEqual([]);
  expect(parentResult.status).toBe(LINK_STATUS.completed);
  expect(sandbox.sink.messages()).toHaveLength(0);
});

test('split orders: both pushed to the one au PAY order, the later tracking number stays', async () => {
  const first = await newShipment(db.pool, sandbox, { trackingNumber: '1111' });
  const second = await newShipment(db.pool, sandbox, { auPayOrderId: first.auPayOrderId, splitFrom: first.orderId, trackingNumber: '2222' });
  expect((await (await start(first)).result()).status).toBe(LINK_STATUS.completed);
  expect((await (await start(second)).result()).status).toBe(LINK_STATUS.completed);

  expect(sandbox.auPay.market.trade(AU_SHOP_ID, first.auPayOrderId)?.shippingNumber).toBe('2222');
  const entries = await ledger(sandbox, first.auPayOrderId);
  expect(applied(entries, 'updateTradeInfoProc')).toBe(2);
  expect(applied(entries, 'updateTradeStsProc')).toBe(1); // the second 完了 is a same-status no-op at the market
});

async function waitForMail(n: number): Promise<void> {
  await until(() => sandbox.sink.messages().length >= n, 15_000, 50);
  expect(sandbox.sink.messages()).toHaveLength(n);
}

describe('the shop\'s settings (seed 004 section 4), read at each decision', () => {
  const handleOf = (report: ShipmentReport) => env.client.workflow.getHandle(auPayShipmentWorkflowId(report.shopId, report.orderId));
  /** Waits (in real time) until the chain holds at `status` for the reason `waiting`, with nothing in flight. */
  const waitForHold = async (report: ShipmentReport, status: string, waiting: string) => {
    await until(async () => {
      const state = await handleOf(report).query(linkStateQuery);
      return state.status === status && state.waiting === waiting;
    }, 20_000, 100);
    await until(() => settled(handleOf(report)), 20_000, 20);
  };

  test('自動受注完了ステータス反映 停止: ship info pushed, 完了 not, for hours; back to 開始: completed at the next re-check', async () => {
    auPay.change({ autoCompletion: '停止' });
    const report = await newShipment(db.pool, sandbox);
    const handle = await start(report);
    await waitForHold(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
    await env.sleep('2 hours'); // eight re-checks, each reading 停止
    expect((await handle.query(linkStateQuery)).status).toBe(LINK_STATUS.shipped);
    expect((await orderRow(db.pool, report))?.linkStatus).toBe(LINK_STATUS.shipped);
    let entries = await ledger(sandbox, report.auPayOrderId);
    expect([applied(entries, 'updateTradeInfoProc'), applied(entries, 'updateTradeStsProc')]).toEqual([1, 0]);

    auPay.change({ autoCompletion: '開始' });
    expect((await handle.result()).status).toBe(LINK_STATUS.completed); // the server skips to the next re-check
    entries = await ledger(sandbox, report.auPayOrderId);
    expect([applied(entries, 'updateTradeInfoProc'), applied(entries, 'updateTradeStsProc')]).toEqual([1, 1]);
    expect(sandbox.sink.messages()).toHaveLength(0);
  });

  test('自動出荷情報反映 停止: no push and no error (even with no ship date yet) until 開始; the corrected report then ships', async () => {
    auPay.change({ autoShipInfo: '停止' });
    const report = await newShipment(db.pool, sandbox, { shipDate: null });
    const handle = await start(report);
    await waitForHold(report, LINK_STATUS.blank, '自動出荷情報反映が停止中です');
    await sleepClearOfTimers(env, handle, '1 hour'); // a report is sent next
    expect((await handle.query(linkStateQuery)).status).toBe(LINK_STATUS.blank);
    expect(await orderRow(db.pool, report)).toMatchObject({ linkStatus: LINK_STATUS.blank, lastError: null });
    expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);
    expect(await history(db.pool, report)).toEqual([]);

    // the OMS sends the ship date meanwhile: the report wakes the chain, which reads 停止 again and keeps waiting
    await handle.signal(shipmentReportedSignal, { ...report, shipDate: '2026-11-21' });
    await waitForHold(report, LINK_STATUS.blank, '自動出荷情報反映が停止中です');
    expect(await ledger(sandbox, report.auPayOrderId)).toEqual([]);

    auPay.change({ autoShipInfo: '開始' });
    expect((await handle.result()).status).toBe(LINK_STATUS.completed);
    expect(sandbox.auPay.market.trade(AU_SHOP_ID, report.auPayOrderId)).toMatchObject({ orderStatus: '完了', shippingDate: '2026/11/21' });
    expect(sandbox.sink.messages()).toHaveLength(0);
  });

  test('completionTiming oms-report: 完了 is pushed only once the OMS reports the order completed', async () => {
    auPay.change({ completionTiming: 'oms-report' });
    const report = await newShipment(db.pool, sandbox);
    const handle = await start(report);
    await waitForHold(report, LINK_STATUS.shipped, 'OMSからの受注完了の報告を待っています');
    await sleepClearOfTimers(env, handle, '1 hour'); // the OMS's report is sent next
    expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeStsProc')).toBe(0);

    await handle.signal(completionReportedSignal);
    expect((await handle.result()).status).toBe(LINK_STATUS.completed);
    const entries = await ledger(sandbox, report.auPayOrderId);
    expect([applied(entries, 'updateTradeInfoProc'), applied(entries, 'updateTradeStsProc')]).toEqual([1, 1]);
  });

  test('a held order may be marked 受注完了ステータス反映済み by hand (seed 004 section 6), and nothing else', async () => {
    auPay.change({ autoCompletion: '停止' });
    const report = await newShipment(db.pool, sandbox);
    const handle = await start(report);
    await waitForHold(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
    await expect(handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.blank] }))
      .rejects.toMatchObject({ cause: { message: expect.stringContaining('waits on the shop') } });
    expect(await handle.executeUpdate(resetLinkStatusUpdate, { args: [LINK_STATUS.completed] })).toEqual({
      previous: LINK_STATUS.shipped, status: LINK_STATUS.completed,
    });
    expect((await handle.result()).status).toBe(LINK_STATUS.completed);
    expect((await orderRow(db.pool, report))?.linkStatus).toBe(LINK_STATUS.completed);
    expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeStsProc')).toBe(0);
  });

  test('a hold of days continues as new, keeping where it stands', async () => {
    auPay.change({ autoCompletion: '停止', completionTiming: 'oms-report' });
    const report = await newShipment(db.pool, sandbox);
    const handle = await start(report);
    await waitForHold(report, LINK_STATUS.shipped, '自動受注完了ステータス反映が停止中です');
    await handle.signal(completionReportedSignal);
    const firstRun = (await handle.describe()).runId;
    await env.sleep('51 hours'); // 200 re-checks
    await until(async () => (await handle.describe()).runId !== firstRun, 20_000, 100);
    expect(await handle.query(linkStateQuery)).toMatchObject({ status: LINK_STATUS.shipped, completionReported: true });

    auPay.change({ autoCompletion: '開始' });
    expect((await handle.result()).status).toBe(LINK_STATUS.completed);
    expect(applied(await ledger(sandbox, report.auPayOrderId), 'updateTradeStsProc')).toBe(1);
  }, 180_000);
});
