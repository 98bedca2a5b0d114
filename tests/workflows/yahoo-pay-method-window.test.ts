import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { yahooWindowSweepWorkflow } from '../../workflows/yahoo-window-sweep';
import { orderSeenSignal, windowDecisionUpdate, windowStateQuery } from '../../workflows/yahoo-pay-method-window-messages';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { getWindow } from '../../db/yahoo-orders';
import { listOutbox } from '../../db/amazon-pay-orders';
import { YAHOO_WINDOW_SUBJECTS } from '../../mail/yahoo-window-mails';
import type { SweepResult } from '../../activities/yahoo-window-activities';
import type { TestDatabase } from '../support/database';
import type { TestSandbox } from '../support/sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { authErrorOrder, yahooDeps, yahooOrder, yahooTestShop, type YahooTestShop } from '../support/yahoo-fixtures';
import { until } from '../support/until';
import { sleepClearOfTimers } from '../support/time-skip';
import { recordHistory } from '../support/record-history';

/**
 * Yahoo!ショッピング's payment-method-change window on the time-skipping test server, with the real activities against
 * the Yahoo sandbox, a real PostgreSQL and the SMTP sink. The calendar cases come first: the server's clock only
 * moves forward, and they travel to fixed JST dates.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let shop: YahooTestShop;
/** A client whose result() does not unlock time skipping: the server's time moves only by env.sleep here. */
let plain: Client;
const taskQueue = 'yahoo-window-test';
/** While set, the next orderInfo answer waits for `release` after Yahoo gave it (a sighting can arrive during the read). */
let heldAnswer: { answered: () => void; release: Promise<void> } | undefined;

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ sandbox: s }) => {
      shop = yahooTestShop(s);
      return yahooDeps(shop.shop);
    },
  });
  ({ env, db, sandbox } = rig);
  plain = new Client({ connection: env.connection });
  // the shop's real client, whose orderInfo answer can be held once Yahoo has given it
  const real = shop.shop.client;
  shop.shop.client = Object.assign(Object.create(real) as typeof real, {
    async orderInfo(orderId: string, fields: string[]) {
      const answer = await real.orderInfo(orderId, fields);
      const hold = heldAnswer;
      if (hold) {
        hold.answered();
        await hold.release;
      }
      return answer;
    },
  });
}, 60_000);
afterAll(() => rig?.stop());

beforeEach(async () => {
  sandbox.sink.clear();
  shop.window.deadlineAction = 'cancel';
  await sandbox.control('POST', '/yahoo/_sandbox/settings', { rateLimitPerSecond: 0, emitPayMethodChangeDeadline: true });
});

const workflowId = (orderId: string) => yahooPayMethodWindowWorkflowId(SHOP_ID, orderId);
const handleOf = (orderId: string): WorkflowHandle<typeof yahooPayMethodWindowWorkflow> => env.client.workflow.getHandle(workflowId(orderId));

/** The sandbox's clock at the test server's time, before the test acts as the buyer. */
async function syncClock(): Promise<Date> {
  const now = new Date(await env.currentTimeMs());
  sandbox.yahoo.kit.clock.set(now);
  return now;
}

/** Skips the server (and then the sandbox) to a JST wall-clock time; nothing is running then. */
async function travelTo(jstWallClock: string): Promise<Date> {
  const target = Date.parse(`${jstWallClock}+09:00`);
  const now = await env.currentTimeMs();
  if (target <= now) throw new Error(`the server is already past ${jstWallClock} JST: ${new Date(now).toISOString()}`);
  await env.sleep(target - now);
  return syncClock();
}

/**
 * One scheduled sweep, awaited without unlocking time skipping: the server's clock moves only through env.sleep in
 * these tests, so no idle moment lets it run ahead (the sweep itself needs no timer).
 */
let sweeps = 0;
function sweep(): Promise<SweepResult> {
  return plain.workflow.execute(yahooWindowSweepWorkflow, { workflowId: `yahoo-sweep-test-${++sweeps}`, taskQueue, args: [SHOP_ID] });
}

/** The window's result once its timers have been reached with env.sleep (the last activities run in real time). */
const finished = (orderId: string) => plain.workflow.getHandle<typeof yahooPayMethodWindowWorkflow>(workflowId(orderId)).result();

/** Waits (in real time; nothing here needs the clock) until the window stands at `status`, its deadline known. */
async function waitForStatus(orderId: string, status: string): Promise<void> {
  const handle = handleOf(orderId);
  await until(async () => {
    const state = await handle.query(windowStateQuery).catch(() => undefined); // not started yet
    return state?.status === status && !!state.deadline;
  }, 30_000, 100);
}

/** The first mail whose subject contains `subject`, once the SMTP sink has it. */
const mailWith = (subject: string) => until(() => sandbox.sink.messages({ subjectContains: subject })[0], 15_000, 100);

const ourCalls = (orderId: string, operation: string) => sandbox.yahoo.kit.ledger.list({ orderId, operation }).filter((e) => e.applied);

describe('the deadline from the API, across a year end and a month end (JST)', () => {
  test('auth error 2026-12-27 JST: the deadline is 2027-01-04 23:59:59 JST; still waiting a minute before, canceled at Yahoo right after', async () => {
    await travelTo('2026-12-27T10:00:00');
    const order = await authErrorOrder(sandbox);
    expect(order.PayMethodChangeDeadline).toBe('2027-01-04T23:59:59+09:00');
    expect(await sweep()).toMatchObject({ started: 1, signalled: 0 });
    const handle = handleOf(order.OrderId);

    await env.sleep(Date.parse('2027-01-04T23:59:00+09:00') - (await env.currentTimeMs()));
    expect(await handle.query(windowStateQuery)).toMatchObject({ status: WINDOW_STATUS.waiting, deadline: '2027-01-04T14:59:59.000Z', deadlineSource: 'api' });
    expect(ourCalls(order.OrderId, 'orderStatusChange')).toHaveLength(0);

    await env.sleep('2 minutes');
    const result = await finished(order.OrderId);
    await recordHistory(handle, 'yahoo-pay-method-window-expired-canceled');
    expect(result).toMatchObject({ status: WINDOW_STATUS.expiredCanceled, deadline: '2027-01-04T14:59:59.000Z', deadlineSource: 'api' });
    const reached = Date.parse(result.deadlineReachedAt!);
    expect(reached).toBeGreaterThanOrEqual(Date.parse('2027-01-05T00:00:00+09:00')); // 23:59:59 is still the buyer's
    expect(reached).toBeLessThan(Date.parse('2027-01-05T00:01:00+09:00'));
    const [cancel] = ourCalls(order.OrderId, 'orderStatusChange');
    expect(cancel!.effect).toBe('OrderStatus 2 -> 4 CancelReason=200');
    expect(Date.parse(cancel!.at)).toBeGreaterThanOrEqual(Date.parse('2027-01-05T00:00:00+09:00'));
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ OrderStatus: '4', CancelReason: '200' });
    expect(await getWindow(db.pool, SHOP_ID, order.OrderId)).toMatchObject({ windowStatus: WINDOW_STATUS.expiredCanceled, orderStatus: '4', deadline: '2027-01-04T14:59:59.000Z' });
    const outbox = await listOutbox(db.pool, SHOP_ID, order.OrderId);
    expect(outbox).toEqual([{ event: 'yahoo.order-canceled', payload: expect.objectContaining({ windowStatus: WINDOW_STATUS.expiredCanceled, orderStatus: '4' }) }]);
  });

  test('auth error 2027-02-25 JST (not a leap year): deadline 2027-03-05 23:59:59 JST; the operator setting mails and the operator keeps the order', async () => {
    await travelTo('2027-02-25T23:30:00');
    shop.window.deadlineAction = 'operator';
    const order = await authErrorOrder(sandbox);
    expect(order.PayMethodChangeDeadline).toBe('2027-03-05T23:59:59+09:00');
    await sweep();
    const handle = handleOf(order.OrderId);

    await env.sleep(Date.parse('2027-03-06T00:00:30+09:00') - (await env.currentTimeMs()));
    await waitForStatus(order.OrderId, WINDOW_STATUS.expiredAwaitingOperator);
    expect((await handle.query(windowStateQuery)).pending).toEqual({ kind: 'deadline', options: ['cancel', 'keep'] });
    const mail = await mailWith('支払い方法変更期限');
    expect(mail).toMatchObject({ subject: YAHOO_WINDOW_SUBJECTS.deadline, to: [NOTIFY_EMAIL] });
    expect(mail.text).toContain(order.OrderId);
    expect(mail.text).toContain('2027-03-05 23:59:59 (JST)');
    expect(ourCalls(order.OrderId, 'orderStatusChange')).toHaveLength(0); // the operator decides, not the timer

    await handle.executeUpdate(windowDecisionUpdate, { args: [{ decision: 'keep', operator: '山田' }] });
    expect(await finished(order.OrderId)).toMatchObject({ status: WINDOW_STATUS.operatorKept, decision: 'keep' });
    expect(ourCalls(order.OrderId, 'orderStatusChange')).toHaveLength(0);
    expect(await getWindow(db.pool, SHOP_ID, order.OrderId)).toMatchObject({ windowStatus: WINDOW_STATUS.operatorKept, decision: 'keep', decidedBy: '山田' });
  });

  test('no deadline in the API answers: the local rule gives the same instant (auth error 2027-03-28 JST → 2027-04-05 23:59:59 JST)', async () => {
    await travelTo('2027-03-28T09:00:00');
    await sandbox.control('POST', '/yahoo/_sandbox/settings', { emitPayMethodChangeDeadline: false });
    const order = await authErrorOrder(sandbox);
    await sweep();
    const handle = handleOf(order.OrderId);
    await waitForStatus(order.OrderId, WINDOW_STATUS.waiting);
    expect(await handle.query(windowStateQuery)).toMatchObject({ deadline: '2027-04-05T14:59:59.000Z', deadlineSource: 'local' });
    await env.sleep(Date.parse('2027-04-06T00:00:30+09:00') - (await env.currentTimeMs()));
    const result = await finished(order.OrderId);
    expect(result).toMatchObject({ status: WINDOW_STATUS.expiredCanceled, deadlineSource: 'local' });
    expect(Date.parse(result.deadlineReachedAt!)).toBeGreaterThanOrEqual(Date.parse('2027-04-06T00:00:00+09:00'));
    expect(Date.parse(ourCalls(order.OrderId, 'orderStatusChange')[0]!.at)).toBeLessThan(Date.parse('2027-04-06T00:01:00+09:00'));
  });
});

describe('the 8-day window', () => {
  test('the buyer changes on day 5: the sweep signals, ShipStatus 出荷可, one order data OUT; repeated sweeps change nothing', async () => {
    const t0 = await syncClock();
    const order = await authErrorOrder(sandbox);
    expect(order.ShipStatus).toBe('0');
    expect(await sweep()).toMatchObject({ started: 1, signalled: 0 });
    await recordHistory(plain.workflow.getHandle(`yahoo-sweep-test-${sweeps}`), 'yahoo-window-sweep-started');
    await waitForStatus(order.OrderId, WINDOW_STATUS.waiting);
    await recordHistory(handleOf(order.OrderId), 'yahoo-pay-method-window-waiting'); // open: the buyer has 8 days
    expect(await sweep()).toMatchObject({ started: 0, signalled: 0, skipped: 1 }); // known: no Temporal call at all

    await sleepClearOfTimers(env, handleOf(order.OrderId), '5 days'); // the sweep's signal follows: clear of the 6-hourly check
    const changedAt = await syncClock();
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a19' });
    expect(await sweep()).toMatchObject({ signalled: 1 }); // recipe 2: SettleStatus 3 in the same deadline range
    await recordHistory(plain.workflow.getHandle(`yahoo-sweep-test-${sweeps}`), 'yahoo-window-sweep-signalled');
    const result = await finished(order.OrderId);
    await recordHistory(handleOf(order.OrderId), 'yahoo-pay-method-window-changed-released');

    expect(result).toMatchObject({ status: WINDOW_STATUS.changedReleased, deadlineReachedAt: null });
    // the records ran in their workflow tasks (only Yahoo's calls are activities), and the Web UI's attributes went
    // out once: the sweep's start set 変更待ち and the deadline, and the 20 reads of 5 days found the same instant
    const events = (await handleOf(order.OrderId).fetchHistory()).events ?? [];
    expect(new Set(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []))).toEqual(new Set(['yahooReadOrder', 'yahooReleaseForShipping']));
    const shown = events.flatMap((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.YahooWindowStatus ?? []);
    expect(shown.map((p) => JSON.parse(Buffer.from(p.data!).toString()))).toEqual([WINDOW_STATUS.changedReleased]);
    const [release] = ourCalls(order.OrderId, 'orderShipStatusChange');
    expect(release!.effect).toContain('ShipStatus=1');
    expect(Date.parse(release!.at) - changedAt.getTime()).toBeLessThan(3_600_000); // released on day 5, not at the deadline
    expect(Date.parse(release!.at) - t0.getTime()).toBeGreaterThan(5 * 86_400_000 - 60_000);
    expect(ourCalls(order.OrderId, 'orderPayStatusChange')).toHaveLength(0); // PayPayクレジット: Yahoo keeps PayStatus
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ ShipStatus: '1', SettleStatus: '3', OrderStatus: '2' });

    const row = await getWindow(db.pool, SHOP_ID, order.OrderId);
    expect(row).toMatchObject({ windowStatus: WINDOW_STATUS.changedReleased, settleStatus: '3', payMethod: 'payment_a19', shipStatus: '1' });
    expect(Math.abs(Date.parse(row!.payMethodChangeDoneAt!) - changedAt.getTime())).toBeLessThan(60_000);
    const outbox = await listOutbox(db.pool, SHOP_ID, order.OrderId);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ event: 'yahoo.pay-method-changed', payload: { windowStatus: WINDOW_STATUS.changedReleased, shipStatus: '1', settleStatus: '3', payMethod: 'payment_a19' } });

    expect(await sweep()).toMatchObject({ started: 0, signalled: 0 }); // the closed window is left alone
    expect(ourCalls(order.OrderId, 'orderShipStatusChange')).toHaveLength(1);
  });

  test('a lost sweep: the buyer changes on day 2 and no sweep runs; the workflow\'s own check finds it', async () => {
    await syncClock();
    const order = await authErrorOrder(sandbox);
    await sweep();
    await env.sleep('2 days');
    await syncClock();
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
    const before = (await handleOf(order.OrderId).query(windowStateQuery)).checks;
    await env.sleep('6 hours'); // the next check, at most 6 hours away
    const result = await finished(order.OrderId);
    expect(result.status).toBe(WINDOW_STATUS.changedReleased);
    expect((await handleOf(order.OrderId).query(windowStateQuery)).sightings).toBe(0);
    expect((await handleOf(order.OrderId).query(windowStateQuery)).checks).toBe(before + 1);
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ ShipStatus: '1' });
  });

  test('a sighting that arrives while the window reads the order wakes the next wait: released at once, not at the next check', async () => {
    await syncClock();
    const order = await authErrorOrder(sandbox);
    let answered!: () => void;
    const readAnswered = new Promise<void>((resolve) => (answered = resolve));
    let release!: () => void;
    heldAnswer = { answered, release: new Promise<void>((resolve) => (release = resolve)) };
    // started without a sighting: the window reads the order first, and Yahoo's answer (still open) is held
    await plain.workflow.start(yahooPayMethodWindowWorkflow, { workflowId: workflowId(order.OrderId), taskQueue, args: [{ shopId: SHOP_ID, orderId: order.OrderId }] });
    await readAnswered;
    heldAnswer = undefined;
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
    await handleOf(order.OrderId).signal(orderSeenSignal, { settleStatus: '3', changePossible: false, deadline: null, recipe: 2 });
    release(); // the read completes after the sighting: both reach the workflow in one task, the sighting's handler first

    // no clock moves here (the next check is hours away): only the sighting can make the window read again
    await until(async () => (await handleOf(order.OrderId).query(windowStateQuery)).status === WINDOW_STATUS.changedReleased, 30_000, 100);
    expect(await handleOf(order.OrderId).query(windowStateQuery)).toMatchObject({ sightings: 1, checks: 2 });
    await recordHistory(handleOf(order.OrderId), 'yahoo-pay-method-window-woken-during-read');
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ ShipStatus: '1' });
  });

  test('a change to コンビニ (SettleStatus 2): the next sweep settles it at once, 変更完了・入金待ち, not released (the shop\'s 入金確認 takes over)', async () => {
    await syncClock();
    const order = await authErrorOrder(sandbox);
    await sweep();
    await sleepClearOfTimers(env, handleOf(order.OrderId), '1 day');
    await syncClock();
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a7' });
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ SettleStatus: '2' }); // the sandbox's start state for コンビニ
    const checks = (await handleOf(order.OrderId).query(windowStateQuery)).checks;
    const before = await env.currentTimeMs();
    expect(await sweep()).toMatchObject({ signalled: 1 }); // recipe 2 lists a completed change in any of its states, 2 too
    // settled by the sweep's sighting, with no time passing: not by the workflow's 6-hourly check
    expect((await finished(order.OrderId)).status).toBe(WINDOW_STATUS.changedAwaitingPayment);
    expect(await env.currentTimeMs() - before).toBeLessThan(60_000);
    const state = await handleOf(order.OrderId).query(windowStateQuery);
    expect(state).toMatchObject({ sightings: 1, checks: checks + 1 }); // one read, the one the sighting asked for
    expect(ourCalls(order.OrderId, 'orderShipStatusChange')).toHaveLength(0);
    expect((await listOutbox(db.pool, SHOP_ID, order.OrderId)).map((o) => o.event)).toEqual(['yahoo.pay-method-changed']);
  });

  test('the buyer cancels on day 3: the window ends as キャンセル, recorded, nothing sent to Yahoo', async () => {
    await syncClock();
    const order = await authErrorOrder(sandbox);
    await sweep();
    await env.sleep('3 days');
    await syncClock();
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/buyer-cancel`, { cancelReason: '380' });
    expect(await sweep()).toMatchObject({ started: 0, signalled: 0 }); // no recipe lists a canceled order
    await env.sleep('6 hours');
    const result = await finished(order.OrderId);
    expect(result.status).toBe(WINDOW_STATUS.canceled);
    expect(ourCalls(order.OrderId, 'orderStatusChange')).toHaveLength(0);
    expect(ourCalls(order.OrderId, 'orderShipStatusChange')).toHaveLength(0);
    expect(await getWindow(db.pool, SHOP_ID, order.OrderId)).toMatchObject({ windowStatus: WINDOW_STATUS.canceled, orderStatus: '4' });
    expect((await listOutbox(db.pool, SHOP_ID, order.OrderId)).map((o) => o.event)).toEqual(['yahoo.order-canceled']);
  });

  test('no change, operator setting: a decision that is not a choice is refused with the reason; "cancel" cancels at Yahoo', async () => {
    shop.window.deadlineAction = 'operator';
    await syncClock();
    const order = await authErrorOrder(sandbox);
    await sweep();
    const handle = handleOf(order.OrderId);
    const refusedEarly = await handle.executeUpdate(windowDecisionUpdate, { args: [{ decision: 'cancel', operator: 'ops' }] }).catch((e: unknown) => e);
    expect(refusedEarly).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusedEarly as WorkflowUpdateFailedError).cause?.message).toBe(`no decision is pending: the window is ${WINDOW_STATUS.waiting}`);

    await env.sleep('9 days');
    await waitForStatus(order.OrderId, WINDOW_STATUS.expiredAwaitingOperator);
    const refused = await handle.executeUpdate(windowDecisionUpdate, { args: [{ decision: 'retry', operator: 'ops' }] }).catch((e: unknown) => e);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(`retry is not a choice at ${WINDOW_STATUS.expiredAwaitingOperator}; choose cancel or keep`);
    expect(await handle.executeUpdate(windowDecisionUpdate, { args: [{ decision: 'cancel', operator: 'ops' }] })).toEqual({ previous: WINDOW_STATUS.expiredAwaitingOperator, decision: 'cancel' });
    expect(await finished(order.OrderId)).toMatchObject({ status: WINDOW_STATUS.expiredCanceled, decision: 'cancel' });
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ OrderStatus: '4', CancelReason: '200' });
    expect(sandbox.sink.messages({ subjectContains: '支払い方法変更期限' })).toHaveLength(1);
  });

  test("Yahoo refuses the release: 連携エラー and a mail; the operator's retry finishes it", async () => {
    await syncClock();
    const order = await authErrorOrder(sandbox);
    await sweep();
    await sandbox.control('POST', '/yahoo/_sandbox/faults', { operation: 'orderShipStatusChange', kind: 'error', status: 400, times: 1 });
    await sandbox.control('POST', `/yahoo/_sandbox/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
    expect(await sweep()).toMatchObject({ signalled: 1 });
    await waitForStatus(order.OrderId, WINDOW_STATUS.linkError);
    const state = await handleOf(order.OrderId).query(windowStateQuery);
    expect(state).toMatchObject({ pending: { kind: 'linkError', options: ['retry', 'keep'] } });
    expect(state.lastError).toContain('400');
    const mail = await mailWith('連携エラー'); // sent right after the status is stored
    expect(mail.text).toContain(order.OrderId);
    expect(await getWindow(db.pool, SHOP_ID, order.OrderId)).toMatchObject({ windowStatus: WINDOW_STATUS.linkError, lastError: state.lastError });

    await handleOf(order.OrderId).executeUpdate(windowDecisionUpdate, { args: [{ decision: 'retry', operator: 'ops' }] });
    expect(await finished(order.OrderId)).toMatchObject({ status: WINDOW_STATUS.changedReleased, decision: 'retry' });
    expect(await yahooOrder(sandbox, order.OrderId)).toMatchObject({ ShipStatus: '1' });
    expect((await listOutbox(db.pool, SHOP_ID, order.OrderId)).map((o) => o.event)).toEqual(['yahoo.pay-method-changed']);
  });
});
