import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Webhook } from 'standardwebhooks';
import { listDeliveries, reopenFailed, setOrderOutFields } from '../../db/order-out';
import type { AccountStore } from '../../db/provider-accounts';
import { ORDER_OUT_FAILED_SUBJECT } from '../../mail/order-out-mails';
import { orderOutDeliveryWorkflow } from '../../workflows/order-out-delivery';
import { orderOutStateQuery, outboxWrittenSignal } from '../../workflows/order-out-messages';
import { orderOutDeliveryWorkflowId } from '../../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { connectExternalSystem, testAccounts, writeOutbox } from '../support/order-out-fixtures';
import type { ReceivedDelivery } from '../../external-system/emulator/receiver';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping-rig';
import { until } from '../support/until';
import { recordHistory } from '../support/record-history';
import { deliveringTo, wakeOrderOutDelivery } from '../../order-out/wake-delivery';
import { externalSystemClients } from '../../workers/shop-clients';

/**
 * Order data OUT on the time-skipping server: the real delivery activities POST to the external-system emulator,
 * whose faults make it fail, hang or refuse; PostgreSQL keeps the outbox and every attempt.
 */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let accounts: AccountStore;
let secret: string;
const taskQueue = 'order-out-test';

beforeAll(async () => {
  rig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db }) => {
      accounts = testAccounts(db.pool);
      return { accounts, notifyEmail: (s) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined), orderOutTimeoutMs: 1000 };
    },
  });
  env = rig.env;
  ({ secret } = await connectExternalSystem(accounts, rig.sandbox, SHOP_ID));
});
afterAll(() => rig?.stop());
beforeEach(async () => {
  await rig.sandbox.control('DELETE', '/external-system/_sandbox/faults');
  rig.sandbox.sink.clear();
  await setOrderOutFields(rig.db.pool, SHOP_ID, null);
});

let n = 0;
const newOrderId = () => `OUT-${Date.now()}-${++n}`;
const fault = (body: Record<string, unknown>) => rig.sandbox.control('POST', '/external-system/_sandbox/faults', { operation: 'receive', ...body });
const received = (orderId: string) => rig.sandbox.externalSystem.receiver.list({ orderId });
const start = (orderId: string) =>
  env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
    workflowId: orderOutDeliveryWorkflowId(SHOP_ID, orderId), taskQueue, args: [{ shopId: SHOP_ID, orderId }, { idleFor: '1 minute' }],
    signal: outboxWrittenSignal, signalArgs: [],
  });

test('the looks for the next row run in the workflow task; with idleFor 0 the workflow ends once its row is out, with no timer', async () => {
  const orderId = newOrderId();
  await writeOutbox(rig.db.pool, SHOP_ID, orderId, [{ event: 'authorized', payload: { orderId, paymentStatus: '審査完了' } }]);
  const handle = await env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
    workflowId: orderOutDeliveryWorkflowId(SHOP_ID, orderId), taskQueue, args: [{ shopId: SHOP_ID, orderId }, { idleFor: 0 }],
    signal: outboxWrittenSignal, signalArgs: [],
  });
  expect(await handle.result()).toBe(1);
  expect(received(orderId).filter((d) => d.accepted)).toHaveLength(1);
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  expect(scheduled).toEqual(['deliverOrderOut']);
  expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(2);
  expect(events.filter((e) => e.timerStartedEventAttributes)).toHaveLength(0);
});

test('three states of one order arrive in order, signed, through two failures of the first', async () => {
  const orderId = newOrderId();
  const ids = await writeOutbox(rig.db.pool, SHOP_ID, orderId, [
    { event: 'authorized', payload: { orderId, paymentStatus: '審査完了' } },
    { event: 'captured', payload: { orderId, paymentStatus: '売上確定' } },
    { event: 'canceled', payload: { orderId, paymentStatus: 'キャンセル' } },
  ]);
  await fault({ kind: 'error', status: 503, times: 2 });
  const handle = await start(orderId);
  expect(await handle.result()).toBe(3);
  await recordHistory(handle, 'order-out-delivery-three-states');

  const got = received(orderId).filter((d) => d.accepted);
  expect(got.map((d) => d.event)).toEqual(['authorized', 'captured', 'canceled']);
  expect(got.every((d) => d.signature === 'valid' && !d.duplicate)).toBe(true);
  const rows = (await listDeliveries(rig.db.pool, SHOP_ID, { orderId, limit: 10 })).reverse();
  expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
  expect(rows[0]!.attemptLog.map((a) => a.httpStatus)).toEqual([503, 503, 200]);
  expect(rows[0]!.attemptLog[0]!.responseExcerpt).toContain('503');
  expect(rows.map((r) => r.id)).toEqual(ids);
});

test('a delivery verifies with the Standard Webhooks library, and carries only the fields the shop chose (#1084)', async () => {
  const orderId = newOrderId();
  await setOrderOutFields(rig.db.pool, SHOP_ID, ['orderId', 'delivery.freeField1']);
  await writeOutbox(rig.db.pool, SHOP_ID, orderId, [
    { event: 'released', payload: { orderId, paymentStatus: '出荷可', delivery: { name: '山田 太郎', freeField1: '置き配希望', freeField2: 'x' } } },
  ]);
  expect(await (await start(orderId)).result()).toBe(1);
  const [d] = received(orderId) as [ReceivedDelivery];
  expect((d.body as { order: unknown }).order).toEqual({ orderId, delivery: { freeField1: '置き配希望' } });

  // the Standard Webhooks reference library, signing the raw request with the shop's secret, gets our header
  const stamp = Number(d.headers['webhook-timestamp']);
  expect(d.headers['webhook-id']).toBe(d.id);
  expect(new Webhook(secret).sign(d.id!, new Date(stamp * 1000), d.raw)).toBe(d.headers['webhook-signature']);
  expect(new Webhook(secret).sign(d.id!, new Date(stamp * 1000), `${d.raw} `)).not.toBe(d.headers['webhook-signature']);
});

test('a shop with no external system: its rows wait pending, nobody is mailed; once it has one, they go out', async () => {
  const shopId = `no-out-${Date.now()}`;
  const orderId = newOrderId();
  await writeOutbox(rig.db.pool, shopId, orderId, [{ event: 'au-pay.link-status', payload: { orderId } }]);
  const wake = () => env.client.workflow.signalWithStart(orderOutDeliveryWorkflow, {
    workflowId: orderOutDeliveryWorkflowId(shopId, orderId), taskQueue, args: [{ shopId, orderId }, { idleFor: '1 minute' }],
    signal: outboxWrittenSignal, signalArgs: [],
  });
  expect(await (await wake()).result()).toBe(0);
  expect((await listDeliveries(rig.db.pool, shopId, { orderId, limit: 10 })).map((r) => [r.status, r.attempts])).toEqual([['pending', 0]]);
  expect(rig.sandbox.sink.messages()).toEqual([]);

  await connectExternalSystem(accounts, rig.sandbox, shopId);
  expect(await (await wake()).result()).toBe(1);
  expect(rig.sandbox.externalSystem.receiver.list({ orderId }).filter((d) => d.accepted).map((d) => d.event)).toEqual(['au-pay.link-status']);
});

test('the processes wake a delivery only for a shop with an external system', async () => {
  const temporal = deliveringTo({ client: env.client, taskQueue }, externalSystemClients(accounts));
  const orderId = newOrderId();
  const without = `no-out-${Date.now()}`;
  await wakeOrderOutDelivery(temporal, without, orderId);
  await expect(env.client.workflow.getHandle(orderOutDeliveryWorkflowId(without, orderId)).describe()).rejects.toThrow(/not found/i);
  await wakeOrderOutDelivery(temporal, SHOP_ID, orderId);
  expect(await env.client.workflow.getHandle(orderOutDeliveryWorkflowId(SHOP_ID, orderId)).result()).toBe(0);
});

test('retries spent: the row fails, the shop is mailed, the next state waits; a redelivery sends both in order', async () => {
  const orderId = newOrderId();
  const [first] = await writeOutbox(rig.db.pool, SHOP_ID, orderId, [
    { event: 'authorized', payload: { orderId } }, { event: 'canceled', payload: { orderId } },
  ]);
  await fault({ kind: 'error', status: 500, times: 8 });
  const handle = await start(orderId);
  await env.sleep('1 hour'); // the backoff of 8 attempts is about 20 minutes
  await until(async () => (await handle.query(orderOutStateQuery)).heldBy !== null, 15_000, 100);
  expect(await handle.query(orderOutStateQuery)).toEqual({ delivered: 0, heldBy: first });
  await recordHistory(handle, 'order-out-delivery-held-by-failed-row'); // open: waiting for a redelivery

  const rows = (await listDeliveries(rig.db.pool, SHOP_ID, { orderId, limit: 10 })).reverse();
  expect(rows.map((r) => r.status)).toEqual(['failed', 'pending']);
  expect(rows[0]!.attempts).toBe(8);
  expect(rows[0]!.lastError).toMatch(/HTTP 500/);
  expect(received(orderId).filter((d) => d.accepted)).toHaveLength(0);
  const mail = await until(() => rig.sandbox.sink.messages()[0], 15_000, 100);
  expect(mail).toMatchObject({ subject: ORDER_OUT_FAILED_SUBJECT, to: [NOTIFY_EMAIL] });
  expect(mail!.text).toContain(orderId);

  expect(await reopenFailed(rig.db.pool, SHOP_ID, first!)).toMatchObject({ status: 'pending' });
  await handle.signal(outboxWrittenSignal);
  expect(await handle.result()).toBe(2);
  await recordHistory(handle, 'order-out-delivery-redelivered');
  expect(received(orderId).filter((d) => d.accepted).map((d) => d.event)).toEqual(['authorized', 'canceled']);
});

test('a refusal (4xx) is not retried; an answer lost after the receiver took it shows as a duplicate there, once', async () => {
  const refused = newOrderId();
  await writeOutbox(rig.db.pool, SHOP_ID, refused, [{ event: 'authorized', payload: { orderId: refused } }]);
  await fault({ kind: 'error', status: 422, times: 1 });
  const h1 = await start(refused);
  await until(async () => (await h1.query(orderOutStateQuery)).heldBy !== null, 15_000, 100); // failed, and holding the order
  const [row] = await listDeliveries(rig.db.pool, SHOP_ID, { orderId: refused, limit: 1 });
  expect(row).toMatchObject({ status: 'failed', attempts: 1 });
  expect(row!.lastError).toMatch(/refused it: HTTP 422/);
  await reopenFailed(rig.db.pool, SHOP_ID, row!.id);
  await h1.signal(outboxWrittenSignal);
  expect(await h1.result()).toBe(1);

  const lost = newOrderId();
  await writeOutbox(rig.db.pool, SHOP_ID, lost, [{ event: 'authorized', payload: { orderId: lost } }]);
  await fault({ kind: 'timeout', afterEffect: true, delayMs: 1500, times: 1 });
  expect(await (await start(lost)).result()).toBe(1);
  expect(received(lost).map((d) => d.duplicate)).toEqual([false, true]);
  const [lostRow] = await listDeliveries(rig.db.pool, SHOP_ID, { orderId: lost, limit: 1 });
  expect(lostRow!.attemptLog.map((a) => a.error ?? a.httpStatus)).toEqual(['no answer within 1000 ms', 200]);
});
