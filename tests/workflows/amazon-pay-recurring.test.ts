import { BY_TEST } from '../support/acted-by';
import { WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { RECURRING_MAIL_SUBJECTS } from '../../mail/amazon-pay-recurring-mails';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../../workflows/amazon-pay-recurring';
import {
  cancelChildUpdate, changePlanUpdate, chargePermissionNotifiedSignal, childShippedUpdate, closeParentUpdate, recurringStateQuery, skipNextChildUpdate,
} from '../../workflows/amazon-pay-recurring-messages';
import type { PlanInterval } from '../../workflows/amazon-pay-recurring-plan';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { recordHistory } from '../support/record-history';
import { until } from '../support/until';

/** The recurring parent (定期親受注) for years, in seconds, against the Amazon Pay sandbox whose clock follows the server. */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
const taskQueue = 'amazon-pay-recurring-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue);
  env = rig.env;
}, 120_000);
afterAll(() => rig?.stop());
beforeEach(async () => {
  await rig.sandbox.control('POST', '/amazon-pay/_sandbox/reset');
  amazonPayTestClient(rig.sandbox);
  rig.sandbox.sink.clear();
});

const DAY = 86_400_000;
let n = 0;

/** A Recurring permission minted at the server's now, and a parent whose first child is `firstInMs` later. */
async function newParent(amountJpy: number, interval: PlanInterval, o: { firstChargeAt?: string; captureNow?: boolean } = {}): Promise<RecurringParentInput> {
  n += 1;
  const now = await env.currentTimeMs();
  rig.sandbox.amazonPay.kit.clock.set(new Date(now));
  const chargePermissionId = await mintChargePermission(rig.sandbox, {
    chargePermissionType: 'Recurring', frequency: { unit: interval.unit, value: String(interval.value) }, amount: amountJpy,
  });
  const input: RecurringParentInput = {
    shopId: SHOP_ID, parentOrderId: `SUB-${Date.now()}-${n}`, chargePermissionId, captureNow: o.captureNow ?? true, expiryWarningDays: 30,
    plan: { amountJpy, interval, firstChargeAt: o.firstChargeAt ?? new Date(now + 60 * 60 * 1000).toISOString() },
  };
  await insertRecurringParent(rig.db.pool, {
    shopId: SHOP_ID, parentOrderId: input.parentOrderId, chargePermissionId, amountJpy, intervalUnit: interval.unit, intervalValue: interval.value,
  });
  return input;
}

const start = (input: RecurringParentInput) =>
  env.client.workflow.start(amazonPayRecurringWorkflow, { workflowId: amazonPayRecurringWorkflowId(SHOP_ID, input.parentOrderId), taskQueue, args: [input] });
const children = (input: RecurringParentInput) => listRecurringChildren(rig.db.pool, SHOP_ID, input.parentOrderId);
const chargesApplied = (cp: string) => rig.sandbox.amazonPay.kit.ledger.list().filter((e) => e.operation === 'createCharge' && e.applied && e.orderId.startsWith(cp));
const setPermission = (cp: string, state: string, reasonCode?: string) =>
  rig.sandbox.control('POST', `/amazon-pay/_sandbox/charge-permissions/${cp}/state`, { state, ...(reasonCode ? { reasonCode } : {}) });

test('three years of monthly children in seconds: each charged once, the expiry pushed out each time, history bounded', async () => {
  const input = await newParent(9800, { unit: 'Month', value: 1 });
  const handle = await start(input);
  await env.sleep(`${365 * 3} days`);
  const state = await handle.query(recurringStateQuery);
  expect(state.status).toBe('active');
  expect(state.cycle).toBe(37);

  const kids = await children(input);
  expect(kids).toHaveLength(36);
  expect(kids.every((k) => k.outcome === 'charged' && k.chargeState === 'Captured')).toBe(true);
  expect(new Set(kids.map((k) => k.chargeId)).size).toBe(36);
  // the expiry is 13 months after the last successful charge
  const last = new Date(kids[35]!.scheduledAt);
  const expires = new Date(state.expiresAt);
  expect(Math.round((expires.getTime() - last.getTime()) / DAY)).toBeGreaterThanOrEqual(393);
  expect(Math.round((expires.getTime() - last.getTime()) / DAY)).toBeLessThanOrEqual(397);
  expect(rig.sandbox.sink.messages()).toHaveLength(0); // never near expiry

  // continue-as-new kept each run short
  const description = await handle.describe();
  expect(description.runId).not.toBe(handle.firstExecutionRunId);
  expect((await handle.fetchHistory()).events!.length).toBeLessThan(250);
  await recordHistory(handle, 'amazon-pay-recurring-after-continue-as-new'); // open: a later run, waiting for its next child

  const closed = await handle.executeUpdate(closeParentUpdate, { args: ['会員退会'] });
  expect(closed.status).toBe('closed');
  const cp = await rig.amazonPay.getChargePermission(input.chargePermissionId);
  expect(cp.statusDetails).toMatchObject({ state: 'Closed', reasons: [expect.objectContaining({ reasonCode: 'MerchantClosed' })] });
}, 180_000);

test('charges stop (PaymentMethodInvalid, never fixed): warned before, expired 13 months after the last charge', async () => {
  const input = await newParent(9800, { unit: 'Month', value: 1 });
  const handle = await start(input);
  await env.sleep('40 days'); // two children charged
  await setPermission(input.chargePermissionId, 'NonChargeable', 'PaymentMethodInvalid');
  await handle.signal(chargePermissionNotifiedSignal);
  await env.sleep('500 days');
  const result = await handle.result();
  expect(result.status).toBe('expired');
  await recordHistory(handle, 'amazon-pay-recurring-expired-after-continue-as-new');
  const kids = await children(input);
  expect(kids.filter((k) => k.outcome === 'charged')).toHaveLength(2);
  expect(kids.filter((k) => k.outcome === 'paused').length).toBeGreaterThanOrEqual(11);
  expect(rig.sandbox.sink.messages().map((m) => m.subject)).toEqual([RECURRING_MAIL_SUBJECTS['expiry-warning'], RECURRING_MAIL_SUBJECTS.expired]);
}, 180_000);

test('PaymentMethodInvalid pauses the parent; Chargeable again resumes it', async () => {
  const input = await newParent(3000, { unit: 'Week', value: 1 });
  const handle = await start(input);
  await env.sleep('2 hours'); // child 1
  await setPermission(input.chargePermissionId, 'NonChargeable', 'PaymentMethodInvalid');
  await handle.signal(chargePermissionNotifiedSignal);
  await env.sleep('7 days'); // child 2 is due while paused
  expect((await handle.query(recurringStateQuery)).status).toBe('paused');
  await recordHistory(handle, 'amazon-pay-recurring-paused');
  await setPermission(input.chargePermissionId, 'Chargeable');
  await handle.signal(chargePermissionNotifiedSignal);
  await env.sleep('7 days'); // child 3
  expect((await handle.query(recurringStateQuery)).status).toBe('active');
  expect((await children(input)).map((k) => k.outcome)).toEqual(['charged', 'paused', 'charged']);
  // closed here: left running, it would charge on (against the next test's reset sandbox) while later tests skip time
  await handle.executeUpdate(closeParentUpdate, { args: ['test over'] });
});

test('BuyerClosed at Amazon ends the parent and tells the shop', async () => {
  const input = await newParent(3000, { unit: 'Week', value: 1 });
  const handle = await start(input);
  await env.sleep('2 hours');
  await setPermission(input.chargePermissionId, 'Closed', 'BuyerClosed');
  await handle.signal(chargePermissionNotifiedSignal);
  expect((await handle.result()).status).toBe('buyer-closed');
  expect(rig.sandbox.sink.messages().map((m) => m.subject)).toEqual([RECURRING_MAIL_SUBJECTS['buyer-closed']]);
});

test('the ¥100,000 JST month: a charge at 00:10 JST on the 1st counts in the new month, and a child over the cap is not charged', async () => {
  // The first child is at 10:00 JST on the 1st of a month ahead; weekly ¥20,000 (at most 5 a month: ¥100,000).
  const now = new Date(await env.currentTimeMs());
  const jst = new Date(now.getTime() + 9 * 3600_000);
  const firstOfMonth = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth() + 2, 1) - 9 * 3600_000; // 00:00 JST on the 1st
  const input = await newParent(20000, { unit: 'Week', value: 1 }, { firstChargeAt: new Date(firstOfMonth + 10 * 3600_000).toISOString() });
  const handle = await start(input);

  // Another system charges the same permission: ¥50,000 at 23:30 JST on the last day of the month before (that month),
  // and ¥50,000 at 00:10 JST on the 1st (15:10 UTC the day before: the new month only in JST).
  const other = async (at: number, key: string) => {
    rig.sandbox.amazonPay.kit.clock.set(new Date(at));
    await rig.amazonPay.createCharge({ chargePermissionId: input.chargePermissionId, chargeAmount: { amount: '50000', currencyCode: 'JPY' }, captureNow: true }, key);
  };
  await other(firstOfMonth - 30 * 60_000, `othersystemA${n}`);
  await other(firstOfMonth + 10 * 60_000, `othersystemB${n}`);

  await env.sleep(`${Math.ceil((firstOfMonth - now.getTime()) / DAY) + 22} days`);
  const kids = await children(input);
  // ¥50,000 + ¥20,000 + ¥20,000 = ¥90,000; the third child would make ¥110,000 in this JST month
  expect(kids.slice(0, 4).map((k) => k.outcome)).toEqual(['charged', 'charged', 'cap-exceeded', 'cap-exceeded']);
  expect(kids[2]!.reason).toBe('PeriodicAmountExceeded');
  expect(rig.sandbox.sink.messages()[0]!.subject).toBe(RECURRING_MAIL_SUBJECTS['cap-exceeded']);
  await env.sleep('21 days'); // into the next month: charged again
  expect((await children(input)).some((k) => k.cycle >= 5 && k.outcome === 'charged')).toBe(true);
  await handle.executeUpdate(closeParentUpdate, { args: ['test over'] });
}, 180_000);

test('plans over the cap or over 13 months are refused at creation, with the reason', async () => {
  const tooMuch = await newParent(100_001, { unit: 'Month', value: 1 });
  const err = await (await start(tooMuch)).result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause?.message).toMatch(/plan refused/);
  const tooLong = await newParent(5000, { unit: 'Month', value: 14 });
  await expect((await start(tooLong)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect(chargesApplied(tooMuch.chargePermissionId)).toHaveLength(0);
});

test('the shop skips a child, changes the plan (re-validated), cancels an authorized child, closes the parent', async () => {
  const input = await newParent(5000, { unit: 'Week', value: 2 }, { captureNow: false });
  const handle = await start(input);
  await env.sleep('2 hours'); // child 1, authorized
  expect(await handle.executeUpdate(cancelChildUpdate, { args: [1] })).toEqual({ cycle: 1, chargeState: 'Canceled' });
  await handle.executeUpdate(skipNextChildUpdate, { args: [BY_TEST] });
  await expect(handle.executeUpdate(changePlanUpdate, { args: [{ amountJpy: 40_000 }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError); // 3 × ¥40,000 a month
  expect((await handle.executeUpdate(changePlanUpdate, { args: [{ amountJpy: 6000 }] })).amountJpy).toBe(6000);
  await env.sleep('29 days'); // child 2 skipped, child 3 at ¥6,000
  const kids = await children(input);
  expect(kids.map((k) => [k.cycle, k.outcome, k.amountJpy])).toEqual([[1, 'canceled', 5000], [2, 'skipped', 6000], [3, 'charged', 6000]]);
  // each child's change went to the order data OUT, under the parent's order id, in order
  const { rows: out } = await rig.db.pool.query(
    `SELECT payload FROM order_outbox WHERE shop_id = $1 AND order_id = $2 AND event = 'amazon-pay-recurring.child' ORDER BY id`, [input.shopId, input.parentOrderId],
  );
  expect(out.map((r: { payload: Record<string, unknown> }) => [r.payload.cycle, r.payload.outcome, r.payload.chargeState])).toEqual([
    [1, 'charged', 'Authorized'], [1, 'canceled', 'Canceled'], [2, 'skipped', null], [3, 'charged', 'Authorized'],
  ]);
  expect((await handle.executeUpdate(closeParentUpdate, { args: ['解約'] })).status).toBe('closed');
  await expect(handle.executeUpdate(skipNextChildUpdate, { args: [BY_TEST] })).rejects.toThrow();
  await recordHistory(handle, 'amazon-pay-recurring-skipped-changed-closed');
});

test('a close that arrives while a child is being charged ends the parent at once, not at the next child a month later', async () => {
  const input = await newParent(5000, { unit: 'Month', value: 1 }, { firstChargeAt: new Date(await env.currentTimeMs()).toISOString() });
  const client = rig.amazonPay;
  const createCharge = client.createCharge.bind(client);
  let answered!: () => void;
  const chargeAnswered = new Promise<void>((resolve) => (answered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // the child's charge is made at Amazon, and its answer held until the close is in
  client.createCharge = async (...args: Parameters<typeof createCharge>) => {
    const answer = await createCharge(...args);
    answered();
    await released;
    return answer;
  };
  try {
    const handle = await start(input);
    await chargeAnswered;
    const close = await handle.startUpdate(closeParentUpdate, { args: ['解約'], waitForStage: WorkflowUpdateStage.ACCEPTED });
    release();
    // no clock moves here: only the close can end the wait that follows the charge
    await until(async () => (await handle.query(recurringStateQuery)).status === 'closed', 30_000, 100);
    expect((await close.result()).status).toBe('closed');
    expect((await children(input)).map((k) => [k.cycle, k.outcome])).toEqual([[1, 'charged']]);
    await recordHistory(handle, 'amazon-pay-recurring-closed-during-charge');
    // its rows were saved in its workflow tasks: only Amazon Pay's calls went through the server as activities
    const scheduled = ((await handle.fetchHistory()).events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(['chargeRecurringChild', 'closeChargePermission']);
  } finally {
    client.createCharge = createCharge;
    release();
  }
});

test('authorize now, capture on shipment: the shipped child is captured once; a parent that captures with each charge refuses', async () => {
  const input = await newParent(4000, { unit: 'Month', value: 1 }, { captureNow: false });
  const handle = await start(input);
  await env.sleep('2 hours'); // child 1, authorized
  expect((await children(input))[0]).toMatchObject({ outcome: 'charged', chargeState: 'Authorized' });
  expect(await handle.executeUpdate(childShippedUpdate, { args: [1] })).toEqual({ cycle: 1, chargeState: 'Captured' });
  expect((await children(input))[0]).toMatchObject({ chargeState: 'Captured' });
  expect(rig.sandbox.amazonPay.kit.ledger.list({ operation: 'captureCharge' }).filter((e) => e.applied)).toHaveLength(1);
  await handle.executeUpdate(closeParentUpdate, { args: ['test over'] });

  const capturing = await newParent(4000, { unit: 'Month', value: 1 });
  const other = await start(capturing);
  await env.sleep('2 hours');
  await expect(other.executeUpdate(childShippedUpdate, { args: [1] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await other.executeUpdate(closeParentUpdate, { args: ['test over'] });
});
