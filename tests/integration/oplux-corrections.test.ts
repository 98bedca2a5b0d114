import { getOpluxOrder } from '../../db/oplux-orders';
import { listAudit } from '../../db/audit-log';
import { opluxFraudReviewWorkflow } from '../../workflows/oplux-fraud-review';
import { fraudReviewStateQuery } from '../../workflows/oplux-fraud-review-messages';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { opluxFraudReviewWorkflowId } from '../../workflows/workflow-ids';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { newReviewOrder, opluxTestShops, registerOpluxMerchant } from '../support/oplux-fixtures';
import { writeOutbox } from '../support/order-out-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';

/**
 * Issue 13 §2 through the real API on the Temporal dev server: a corrected 目視審査 (audited), the black flag after the
 * review ended, a re-report with corrected data at 審査エラー, and the order's data OUT rows withheld after a final NG.
 * The shop is 制御する(自動審査NG,自動審査REVIEW,目視審査NG,目視審査HOLD).
 */
const taskQueue = 'oplux-corrections-integration';
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld(taskQueue, {
    deps: ({ sandbox }) => ({
      opluxShop: opluxTestShops(sandbox),
      temporal: { get client() { return world.env.client; }, taskQueue },
    }),
  });
  await registerOpluxMerchant(world.sandbox);
}, 120_000);
afterAll(() => world?.stop());
afterEach(() => world.sandbox.control('DELETE', '/oplux/_sandbox/faults'));

type Body = Record<string, unknown> & { error?: string };
const call = (method: string, path: string, body?: unknown) => callApi<Body>(`${world.api}/shops/${SHOP_ID}${path}`, method, body);
const report = (o: ReturnType<typeof newReviewOrder>) => {
  const { shopId: _shopId, ...body } = o;
  return body;
};
const row = (orderId: string) => getOpluxOrder(world.db.pool, SHOP_ID, orderId);
const reviewAt = (orderId: string, status: string) => async () =>
  (await row(orderId))?.status === status
  && (await world.env.client.workflow.getHandle(opluxFraudReviewWorkflowId(SHOP_ID, orderId)).query(fraudReviewStateQuery).catch(() => undefined))?.status === status;
const event = (eventId: string) => world.sandbox.oplux.detector.events.get(eventId)!;
const script = (result: string) => world.sandbox.control('POST', '/oplux/_sandbox/next-results', { results: [{ result }] });

test('a manual review corrected through the API: sent to O-PLUX, the status follows, both in the audit', async () => {
  await script('REVIEW');
  const order = newReviewOrder();
  expect((await call('POST', '/oplux/orders', report(order))).status).toBe(202);
  await until(reviewAt(order.orderId, FRAUD_STATUS.awaitingManual), 30_000);
  expect((await call('POST', `/oplux/orders/${order.orderId}/manual-review`, { result: 'OK' })).status).toBe(202);
  await until(reviewAt(order.orderId, FRAUD_STATUS.ok), 30_000);
  expect(await call('POST', `/oplux/orders/${order.orderId}/manual-review`, { result: 'NG', memo: '訂正' })).toMatchObject({ status: 202, body: { accepted: true } });
  await until(reviewAt(order.orderId, FRAUD_STATUS.ng), 30_000);
  const read = await call('GET', `/oplux/orders/${order.orderId}`);
  expect(read.body).toMatchObject({ manualResult: '20', manualMemo: '訂正', status: FRAUD_STATUS.ng, processingResult: '更新済' });
  expect(event(read.body.eventId as string)).toMatchObject({ maResult: 'NG', memo: '訂正' });
  const audit = await listAudit(world.db.pool, { shopId: SHOP_ID, orderId: order.orderId, limit: 10 });
  expect(audit.map((a) => [a.action, a.outcome, (a.input as { result: string }).result])).toEqual([
    ['oplux.manual-review', 'applied', '20'], ['oplux.manual-review', 'applied', '10'],
  ]);
}, 120_000);

test('the black flag after the review ended: the API still sends it to O-PLUX and records it', async () => {
  const order = newReviewOrder();
  // a review whose grace for the black flag is a second (the API starts them with 90 days)
  const handle = await world.env.client.workflow.start(opluxFraudReviewWorkflow, {
    workflowId: opluxFraudReviewWorkflowId(SHOP_ID, order.orderId), taskQueue, args: [order, { keepOpenFor: '1 second' }],
  });
  const { eventId } = await handle.result();
  const res = await call('POST', `/oplux/orders/${order.orderId}/black-flag`, { flag: '1' });
  expect(res).toMatchObject({ status: 202, body: { accepted: true, reviewEnded: true, status: FRAUD_STATUS.ok } });
  await until(async () => (await row(order.orderId))?.blackFlag === '1', 30_000);
  expect(event(eventId!)).toMatchObject({ blacked: true });
  expect(await call('GET', `/oplux/orders/${order.orderId}`)).toMatchObject({ body: { blackFlag: '1', processingResult: '更新済', status: FRAUD_STATUS.ok } });
  const [audit] = await listAudit(world.db.pool, { shopId: SHOP_ID, orderId: order.orderId, limit: 1 });
  expect(audit).toMatchObject({ action: 'oplux.black-flag', outcome: 'applied' });
  // a manual review of an order O-PLUX passed on its own is still refused, in the same words
  expect(await call('POST', `/oplux/orders/${order.orderId}/manual-review`, { result: '20' }))
    .toMatchObject({ status: 409, body: { error: expect.stringContaining('no manual review is awaited') } });
}, 120_000);

test('審査エラー from data O-PLUX refused: the corrected re-report registers again (202), the same again changes nothing', async () => {
  await world.sandbox.control('POST', '/oplux/_sandbox/faults', { operation: 'registerEvent', kind: 'error', status: 400, times: 1 });
  const order = newReviewOrder();
  expect((await call('POST', '/oplux/orders', report(order))).status).toBe(202);
  await until(reviewAt(order.orderId, FRAUD_STATUS.reviewError), 30_000);

  const corrected = { ...order, buyer: { ...order.buyer, address: { ...order.buyer.address!, street: '訂正後の住所 1-1' } } };
  const first = await call('POST', '/oplux/orders', report(corrected));
  expect(first).toMatchObject({ status: 202, body: { note: expect.stringContaining('corrected data') } });
  const again = await call('POST', '/oplux/orders', report(corrected));
  expect([200, 202]).toContain(again.status);
  await until(reviewAt(order.orderId, FRAUD_STATUS.ok), 30_000);
  const registered = world.sandbox.oplux.kit.ledger.list({ orderId: order.orderId }).filter((e) => /register/i.test(e.operation) && e.applied);
  expect(registered).toHaveLength(1);
  expect(event(registered[0]!.key!).fields['event.ec.customers.buyer.address.addressC']).toBe('訂正後の住所 1-1');
  // registered now: other data is refused as before
  expect((await call('POST', '/oplux/orders', { ...report(corrected), amountJpy: 1 })).status).toBe(409);
}, 120_000);

test('a final NG withholds every order data OUT row of the order, and the deliveries say so', async () => {
  await script('NG');
  const order = newReviewOrder();
  expect((await call('POST', '/oplux/orders', report(order))).status).toBe(202);
  await until(reviewAt(order.orderId, FRAUD_STATUS.awaitingManual), 30_000);
  await writeOutbox(world.db.pool, SHOP_ID, order.orderId, [
    { event: 'amazon-pay.authorized', payload: { orderId: order.orderId } },
    { event: 'order-cancel.canceled', payload: { orderId: order.orderId } },
  ]);
  expect((await call('POST', `/oplux/orders/${order.orderId}/manual-review`, { result: '20' })).status).toBe(202);
  await until(reviewAt(order.orderId, FRAUD_STATUS.ng), 30_000);
  const deliveries = async () => ((await call('GET', `/order-out/deliveries?orderId=${order.orderId}`)).body.deliveries as Array<{ event: string; status: string }>);
  await until(async () => (await deliveries()).every((d) => d.status === 'withheld'), 30_000);
  expect((await deliveries()).map((d) => [d.event, d.status])).toEqual([['order-cancel.canceled', 'withheld'], ['amazon-pay.authorized', 'withheld']]);
  expect((await call('GET', `/order-out/deliveries?orderId=${order.orderId}&status=withheld`)).body.deliveries).toHaveLength(2);
}, 120_000);
