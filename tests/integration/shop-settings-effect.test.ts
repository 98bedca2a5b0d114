import { createShopDirectory } from '../../shops/shop-directory';
import { yahooPayMethodWindowWorkflow } from '../../workflows/yahoo-pay-method-window';
import { yahooPayMethodWindowWorkflowId } from '../../workflows/workflow-ids';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { callApi } from '../support/test-api';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { authErrorOrder, yahooDeps, yahooOrder, yahooTestShop } from '../support/yahoo-fixtures';
import { until } from '../support/until';

/**
 * A shop's settings changed through the API are what the running worker decides with next, without a restart: the
 * Yahoo window's deadline action and cancel reason come from the shop's stored settings, read at the deadline.
 */
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('shop-settings-effect', {
    shops: (db) => createShopDirectory(db.pool),
    deps: ({ sandbox }) => yahooDeps(yahooTestShop(sandbox).shop), // its in-memory window settings say cancel with 200: unused
  });
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
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
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
