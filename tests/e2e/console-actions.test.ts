import type { Page } from 'playwright-core';
import type { AccountStore } from '../../db/provider-accounts';
import { FRAUD_STATUS } from '../../workflows/oplux-review-rules';
import { markFailed, recordAttempt } from '../../db/order-out';
import { getCancelRecord } from '../../db/order-cancel';
import { getOpluxOrder } from '../../db/oplux-orders';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { newReviewOrder, opluxTestShops, registerOpluxMerchant } from '../support/oplux-fixtures';
import { cancelGmoPgDeps, gmoAuthorize, GMO_SHOP, lateTemporal, METHODS, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { connectExternalSystem, testAccounts, writeOutbox } from '../support/order-out-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';
import { buildConsole } from '../../console/build';
import { signIn, withPage } from './support/browser';
import { makeOperator, type SignedOperator } from './support/operators';

/**
 * The console's actions beyond au PAY, in Chromium against the real API, dev server, database, sandbox and worker:
 * an O-PLUX manual review submitted from the attention list, a failed GMO-PG cancel decided on the order page (and a
 * second decision refused with the workflow's reason), and a failed order data OUT delivery redelivered from the
 * delivery log.
 */
const TASK_QUEUE = 'e2e-actions';
let world: ApiWorld;
let accounts: AccountStore;
let operator: SignedOperator;

beforeAll(async () => {
  await buildConsole();
  world = await startApiWorld(TASK_QUEUE, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      return {
        opluxShop: opluxTestShops(sandbox), accounts, notifyEmail: () => NOTIFY_EMAIL, gmoPg: cancelGmoPgDeps(sandbox, accounts),
        temporal: lateTemporal(() => world.env.client, TASK_QUEUE),
      };
    },
  });
  await registerOpluxMerchant(world.sandbox);
  await connectExternalSystem(accounts, world.sandbox, SHOP_ID);
  await setUpCancelShop(world.db.pool, accounts, world.sandbox, SHOP_ID);
  expect((await callApi(`${world.api}/shops`, 'POST', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
  operator = await makeOperator(world.api, '更新 花子', 'operator');
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const api = (method: string, path: string, body?: unknown) => callApi(`${world.api}/shops/${SHOP_ID}${path}`, method, body);
const dialogNamed = (page: Page, name: string) => page.getByRole('dialog', { name });

test('an operator submits an O-PLUX manual review from the attention list', async () => {
  const { shopId: _shopId, ...order } = newReviewOrder({ orderId: 'E2E-OPLUX-1' });
  await world.sandbox.control('POST', '/oplux/_sandbox/next-results', { results: [{ result: 'REVIEW', rules: [{ code: 'NEG_ITEM', description: '要確認' }] }] });
  expect((await api('POST', '/oplux/orders', order)).status).toBe(202);
  await until(async () => (await getOpluxOrder(world.db.pool, SHOP_ID, order.orderId))?.status === FRAUD_STATUS.awaitingManual, 60_000);

  await withPage('oplux-manual-review', async (page) => {
    await signIn(page, world.api, operator.token, '更新 花子');
    const row = page.getByTestId(`attention-oplux-${order.orderId}`);
    await row.getByText(FRAUD_STATUS.awaitingManual, { exact: true }).waitFor();
    await row.getByRole('button', { name: '目視審査結果登録' }).click();
    const dialog = dialogNamed(page, '目視審査結果登録');
    await dialog.getByLabel('目視審査結果', { exact: true }).selectOption({ label: '10 OK' });
    await dialog.getByLabel('目視審査結果メモ').fill('本人確認済み');
    await dialog.getByRole('button', { name: '実行する' }).click();
    await dialog.getByRole('status').filter({ hasText: '受け付けました' }).waitFor();
    await dialog.getByRole('button', { name: '閉じる' }).click();
    await until(async () => (await getOpluxOrder(world.db.pool, SHOP_ID, order.orderId))?.status === FRAUD_STATUS.ok, 30_000);
    // gone from the attention list once reloaded
    await page.reload();
    await page.getByTestId('who').waitFor();
    await page.getByRole('heading', { name: '要対応一覧' }).waitFor();
    await until(async () => (await row.count()) === 0, 10_000);
  });
});

test('an operator decides a failed cancel on the order page; a second decision is refused with the reason', async () => {
  const orderId = 'E2E-CANCEL-1';
  const trade = newGmoOrderId('E');
  await gmoAuthorize(world.sandbox, trade, new Date());
  await world.sandbox.control('POST', `/gmo-pg/_sandbox/trades/${GMO_SHOP.shopId}/${trade}/lock`, { locked: true }); // GMO refuses the cancel
  expect((await api('POST', '/cancellations', { orderId, source: 'buyer', payment: { method: METHODS.gmo, gmoPgOrderId: trade } })).status).toBe(202);
  await until(async () => (await getCancelRecord(world.db.pool, SHOP_ID, orderId))?.status === 'provider-failed', 60_000);

  await withPage('cancel-decision', async (page) => {
    await signIn(page, world.api, operator.token, '更新 花子');
    await page.getByTestId(`attention-cancel-${orderId}`).getByRole('link', { name: orderId }).click();
    await page.getByTestId('status-cancel').waitFor();
    const decide = async () => {
      await page.getByTestId('process-cancel').getByRole('button', { name: '決済取消失敗の判断' }).click();
      const dialog = dialogNamed(page, '決済取消失敗の判断');
      await dialog.getByLabel('判断').selectOption('leave');
      await dialog.getByRole('button', { name: '実行する' }).click();
      return dialog;
    };
    const first = await decide();
    await first.getByRole('status').filter({ hasText: '受け付けました' }).waitFor();
    await first.getByRole('button', { name: '閉じる' }).click();
    await until(async () => (await getCancelRecord(world.db.pool, SHOP_ID, orderId))?.decision === 'leave', 30_000);

    const second = await decide();
    const refusal = second.getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\S/); // the workflow's own reason, as the API answered 409
    await second.getByRole('alert').getByText('実行できませんでした').waitFor();
    await second.getByRole('button', { name: '閉じる' }).click();

    // the cancellations' own list, filtered by the status's count
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'キャンセル', exact: true }).click();
    await page.getByTestId(`order-${orderId}`).waitFor();
    await page.locator('.chips').getByRole('button', { name: /^すべて/ }).waitFor();
  });
});

test('an operator redelivers a failed order data OUT row from the delivery log', async () => {
  const orderId = 'E2E-OUT-1';
  const [id] = await writeOutbox(world.db.pool, SHOP_ID, orderId, [{ event: 'created', payload: { orderId } }]);
  await recordAttempt(world.db.pool, { outboxId: id!, at: new Date(), httpStatus: 502, responseExcerpt: 'Bad Gateway', error: 'HTTP 502', durationMs: 5 });
  await markFailed(world.db.pool, id!, 'HTTP 502');

  await withPage('order-out-redeliver', async (page) => {
    await signIn(page, world.api, operator.token, '更新 花子');
    await page.getByRole('link', { name: '受注データOUT 配信ログ' }).click();
    const row = page.getByTestId(`delivery-${id!}`);
    await row.getByText('送信失敗').waitFor();
    await row.getByText('HTTP 502').first().waitFor();
    await row.getByRole('button', { name: '再送信' }).click();
    const dialog = dialogNamed(page, '受注データ再送信');
    await dialog.getByRole('button', { name: '実行する' }).click();
    await dialog.getByRole('status').filter({ hasText: '受け付けました' }).waitFor();
    await dialog.getByRole('button', { name: '閉じる' }).click();
    await until(async () => {
      await page.getByRole('button', { name: '再読み込み' }).click();
      return (await row.getByText('送信済み').count()) === 1;
    }, 30_000, 500);
    expect(await row.getByRole('button', { name: '再送信' }).count()).toBe(0);
  });
});
