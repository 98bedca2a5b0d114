import { createShopDirectory } from '../../shops/shop-directory';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { callApi } from '../support/test-api';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { authErrorOrder, yahooDeps, yahooOrder, yahooTestShop } from '../support/yahoo-fixtures';
import { until } from '../support/until';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { newReviewOrder, opluxTestShops, registerOpluxMerchant } from '../support/oplux-fixtures';

/**
 * A shop's settings changed through the API are what the running worker decides with next, without a restart: the
 * Yahoo window's deadline action and cancel reason come from the shop's stored settings, read at the deadline.
 */
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('shop-settings-effect', {
    shops: (db) => createShopDirectory(db.pool),
    // the in-memory settings of these test shops (Yahoo: cancel with 200; O-PLUX: ng-review-hold) are not what decides
    deps: ({ sandbox }) => ({ ...yahooDeps(yahooTestShop(sandbox).shop), opluxShop: opluxTestShops(sandbox) }),
  });
  await registerOpluxMerchant(world.sandbox);
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
}, 120_000);
afterAll(async () => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi<Record<string, unknown>>(`${world.api}${path}`, method, body);
const windowStatus = async (orderId: string) => (await call('GET', `/shops/${SHOP_ID}/yahoo/orders/${orderId}`)).body.windowStatus;

/** A window whose deadline passed yesterday, started as the sweep would. */
async function expiredWindow(): Promise<string> {
  const order = await authErrorOrder(world.sandbox, new Date(Date.now() - 10 * 86_400_000));
  await world.env.client.workflow.start(yahooPayMethodWindowWorkflow, {
    workflowId: yahooPayMethodWindowWorkflowId(SHOP_ID, order.OrderId), taskQueue: world.taskQueue, args: [{ shopId: SHOP_ID, orderId: order.OrderId }],
  });
  return order.OrderId;
}

test('the deadline action follows the shop settings as changed through the API, order after order', async () => {
  expect((await call('PUT', `/shops/${SHOP_ID}/settings/yahoo`, { deadlineAction: 'cancel', cancelReason: '170' })).status).toBe(200);
  const first = await expiredWindow();
  await until(async () => (await windowStatus(first)) === WINDOW_STATUS.expiredCanceled, 30_000);
  expect(await yahooOrder(world.sandbox, first)).toMatchObject({ OrderStatus: '4', CancelReason: '170' });

  expect((await call('PUT', `/shops/${SHOP_ID}/settings/yahoo`, { deadlineAction: 'operator' })).status).toBe(200);
  const second = await expiredWindow();
  await until(async () => (await windowStatus(second)) === WINDOW_STATUS.expiredAwaitingOperator, 30_000);
  expect(await yahooOrder(world.sandbox, second)).toMatchObject({ OrderStatus: expect.not.stringMatching(/^4$/) });
  // the operator keeps it: the window ends, nothing left running
  expect((await call('POST', `/shops/${SHOP_ID}/yahoo/orders/${second}/decision`, { decision: 'keep' })).status).toBe(200);
  await until(async () => (await windowStatus(second)) === WINDOW_STATUS.operatorKept, 30_000);
  const handle = world.env.client.workflow.getHandle(yahooPayMethodWindowWorkflowId(SHOP_ID, second));
  await handle.result();
}, 90_000);

test('O-PLUX 受注OUT制御 follows the shop settings: a REVIEW result goes out with 制御しない, is held back with 制御する', async () => {
  const reviewed = async (mode: string): Promise<{ orderId: string; outbox: unknown[] }> => {
    expect((await call('PUT', `/shops/${SHOP_ID}/settings/oplux`, { orderOutControl: mode })).status).toBe(200);
    await world.sandbox.control('POST', '/oplux/_sandbox/next-results', { results: [{ result: 'REVIEW', rules: [{ code: 'NEG_ITEM', description: '要確認' }] }] });
    const { shopId: _shop, ...order } = newReviewOrder();
    expect((await call('POST', `/shops/${SHOP_ID}/oplux/orders`, order)).status).toBe(202);
    const path = `/shops/${SHOP_ID}/oplux/orders/${order.orderId}`;
    await until(async () => (await call('GET', path)).body.status === FRAUD_STATUS.awaitingManual, 30_000);
    return { orderId: order.orderId, outbox: (await call('GET', path)).body.outbox as unknown[] };
  };
  const released = await reviewed('none');
  expect(released.outbox).toHaveLength(1);
  const held = await reviewed('ng-review-hold');
  expect(held.outbox).toHaveLength(0);
  // the operator's OK ends both reviews
  for (const { orderId } of [released, held]) {
    expect((await call('POST', `/shops/${SHOP_ID}/oplux/orders/${orderId}/manual-review`, { result: 'OK' })).status).toBe(202);
    await until(async () => (await call('GET', `/shops/${SHOP_ID}/oplux/orders/${orderId}`)).body.status === FRAUD_STATUS.ok, 30_000);
  }
}, 90_000);
