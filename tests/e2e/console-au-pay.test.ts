import path from 'node:path';
import type { Pool } from 'pg';
import type { Page } from 'playwright-core';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { AU_API_KEY, AU_SHOP_ID } from '../support/sandbox';
import { lateTemporal } from '../support/order-cancel-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';
import { buildConsole } from '../../console/build';
import { beginCancel, recordProviderOutcome } from '../../db/order-cancel';
import { markFailed } from '../../db/order-out';
import { writeOutbox } from '../support/order-out-fixtures';
import { signIn, withPage } from './support/browser';
import { makeOperator, type SignedOperator } from './support/operators';

/**
 * The console in Chromium against the real API, dev server, database, sandbox and worker (issue 14 §3): each role
 * signs in; seed 004's expired au PAY key leaves orders at 出荷情報反映エラー; an operator finds one in the attention
 * list and resets it, and resets twenty more in one bulk action, watching it reach 20/20; a viewer sees no action.
 */
let world: ApiWorld;
const ops: Record<'admin' | 'operator' | 'viewer', SignedOperator> = {} as never;

const TASK_QUEUE = 'e2e-au-pay';
const SINGLE = 'E2E-SINGLE';
const BULK = Array.from({ length: 20 }, (_, i) => `E2E-BULK-${String(i + 1).padStart(2, '0')}`);
const ALL = [SINGLE, ...BULK];

const statusOf = async (orderId: string) => (await world.db.pool.query<{ link_status: string }>(
  'SELECT link_status FROM au_pay_orders WHERE shop_id = $1 AND order_id = $2', [SHOP_ID, orderId])).rows[0]?.link_status;
const countAt = async (ids: string[], status: string) => Number((await world.db.pool.query<{ n: string }>(
  'SELECT count(*) AS n FROM au_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND link_status = $3', [SHOP_ID, ids, status])).rows[0]!.n);

/** Rows of the other processes as their activities leave them, so the attention list shows every kind (README screenshots). */
async function seedOtherProcesses(db: Pool): Promise<void> {
  const oplux = `INSERT INTO oplux_orders (shop_id, order_id, status, rule_description, error_message, order_data) VALUES ($1, $2, $3, $4, $5, '{}')`;
  await db.query(oplux, [SHOP_ID, 'OP-1001', '目視審査待ち', 'NEG_ITEM: 要確認', null]);
  await db.query(oplux, [SHOP_ID, 'OP-1002', '審査エラー', null, 'O-PLUX接続エラー']);
  await db.query(`INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source, updated_at)
    VALUES ($1, 'YH-2001', '期限切れ・担当者確認待ち', now(), 'api', now() - interval '5 hours')`, [SHOP_ID]);
  await beginCancel(db, { shopId: SHOP_ID, orderId: 'CX-3001', payment: { method: 'credit-gmo-pg', gmoPgOrderId: 'CX-3001' }, source: 'shop-admin', runId: 'run-CX-3001' });
  await recordProviderOutcome(db, { shopId: SHOP_ID, orderId: 'CX-3001', status: 'provider-failed', outcome: 'failed', detail: 'E01410010 取引が処理中です', flagged: false });
  const [out] = await writeOutbox(db, SHOP_ID, 'OUT-4001', [{ event: 'created', payload: {} }]);
  await markFailed(db, out!, 'HTTP 503 from the external system');
  await db.query(`INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, amount_jpy, payment_status, created_at)
    VALUES ($1, 'AP-5001', 'S01-0000000-0000001', 12800, '審査中', now() - interval '30 hours')`, [SHOP_ID]);
}

/** CONSOLE_SCREENSHOTS=1: the README's screenshots are taken from this run (docs/console-*.png). */
const screenshot = async (page: Page, name: string, fullPage = false) => {
  if (!process.env.CONSOLE_SCREENSHOTS) return;
  await page.evaluate('window.scrollTo(0, 0)'); // a string: the tests' types have no DOM
  await page.screenshot({ path: path.resolve(__dirname, `../../docs/console-${name}.png`), fullPage });
};

beforeAll(async () => {
  await buildConsole();
  // the bulk action's steps act through the worker's own Temporal client
  world = await startApiWorld(TASK_QUEUE, { deps: () => ({ temporal: lateTemporal(() => world.env.client, TASK_QUEUE) }) });
  expect((await callApi(`${world.api}/shops`, 'POST', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
  ops.admin = await makeOperator(world.api, '管理 太郎', 'admin');
  ops.operator = await makeOperator(world.api, '更新 花子', 'operator');
  ops.viewer = await makeOperator(world.api, '参照 次郎', 'viewer');

  // seed 004: the shop's API key expired, so every shipment report stops at 出荷情報反映エラー
  ALL.forEach((_, i) => world.sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: String(810000 + i) }));
  await world.sandbox.control('POST', `/au-pay/_sandbox/shops/${AU_SHOP_ID}/expire-key`);
  const answers = await Promise.all(ALL.map((orderId, i) => callApi(`${world.api}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', {
    orderId, auPayOrderId: String(810000 + i), managementClass: '通常', shipDate: '2026/11/20', carrier: '6', trackingNumber: `T-${i}`,
  })));
  expect(answers.map((a) => a.status)).toEqual(ALL.map(() => 202));
  await until(async () => (await countAt(ALL, LINK_STATUS.shipError)) === ALL.length, 60_000);
  await world.sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY }); // the shop renewed its key
  await seedOtherProcesses(world.db.pool);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const row = (page: Page, orderId: string) => page.getByTestId(`attention-au-pay-${orderId}`);

test('the console is public, its data is not', async () => {
  const page = await fetch(`${world.api}/console/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<script type="module" src="app.js">');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect((await fetch(`${world.api}/console/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  expect((await fetch(`${world.api}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
  expect((await fetch(`${world.api}/shops/${SHOP_ID}/attention`)).status).toBe(401);
});

test('each role signs in: an admin also manages, an operator acts, a viewer sees no action control', async () => {
  await withPage('roles-admin', async (page) => {
    await signIn(page, world.api, ops.admin.token, '管理 太郎(管理者)');
    for (const link of ['ショップ', '設定', 'アカウント', '担当者']) await page.getByRole('link', { name: link, exact: true }).waitFor();
    await page.getByRole('link', { name: '担当者', exact: true }).click();
    await page.getByRole('cell', { name: '参照 次郎' }).waitFor();
    await page.getByRole('link', { name: 'ショップ', exact: true }).click();
    await page.getByRole('cell', { name: 'テストショップ' }).waitFor();
    await page.getByRole('link', { name: '設定', exact: true }).click();
    await page.getByRole('textbox', { name: 'au-pay' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // this world keeps no provider accounts: the page shows the API's own reason
    await page.getByRole('link', { name: 'アカウント', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'ACCOUNTS_KEYS' }).waitFor();
  });
  await withPage('roles-operator', async (page) => {
    await signIn(page, world.api, ops.operator.token, '更新 花子(更新)');
    await row(page, SINGLE).getByRole('button', { name: 'API連携ステータス変更' }).waitFor();
    expect(await page.getByRole('link', { name: '担当者', exact: true }).count()).toBe(0);
  });
  await withPage('roles-viewer', async (page) => {
    await signIn(page, world.api, ops.viewer.token, '参照 次郎(参照)');
    await row(page, SINGLE).waitFor();
    await expect(row(page, SINGLE).textContent()).resolves.toContain(LINK_STATUS.shipError);
    expect(await page.locator('main').getByRole('button').filter({ hasNotText: /前へ|次へ/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('toolbar', { name: '一括処理' }).count()).toBe(0);
    // the order page: the statuses and the timeline, no action
    await page.getByRole('link', { name: SINGLE }).click();
    await page.getByTestId('status-au-pay').filter({ hasText: LINK_STATUS.shipError }).waitFor();
    expect(await page.locator('main').getByRole('button').filter({ hasNotText: '再読み込み' }).count()).toBe(0);
    // a process's list: its rows, no checkbox and no bulk toolbar
    await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'au PAY 連携' }).click();
    await page.getByTestId(`order-${SINGLE}`).waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('toolbar', { name: '一括処理' }).count()).toBe(0);
  });
  await withPage('roles-wrong-token', async (page) => {
    await page.goto(`${world.api}/console/`);
    await page.getByLabel('APIトークン').fill('not-a-token');
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('alert').filter({ hasText: 'トークンが正しくない' }).waitFor();
  });
});

test('an operator finds the au PAY order in error in the attention list, resets it, and sees it complete', async () => {
  await withPage('single-reset', async (page) => {
    await signIn(page, world.api, ops.operator.token, '更新 花子');
    await page.getByTestId('attention-oplux-OP-1001').waitFor();
    await screenshot(page, 'attention');
    await row(page, SINGLE).getByRole('button', { name: 'API連携ステータス変更' }).click();
    const dialog = page.getByRole('dialog', { name: 'API連携ステータス変更' });
    await dialog.getByLabel('ステータス').selectOption(LINK_STATUS.blank);
    await dialog.getByRole('button', { name: '実行する' }).click();
    await dialog.getByRole('status').filter({ hasText: '受け付けました' }).waitFor();
    await dialog.getByRole('button', { name: '閉じる' }).click();

    await page.goto(`${world.api}/console/#/order/${SINGLE}`);
    await until(async () => {
      await page.getByRole('button', { name: '再読み込み' }).click();
      return (await page.getByTestId('status-au-pay').textContent()) === LINK_STATUS.completed;
    }, 60_000, 500);
    expect(await statusOf(SINGLE)).toBe(LINK_STATUS.completed);
    // the timeline names who reset it
    await page.getByRole('list', { name: '履歴' }).getByText('更新 花子').first().waitFor();
    const webUi = await page.getByRole('link', { name: 'Temporal Web UI で開く' }).first().getAttribute('href');
    expect(webUi).toContain(encodeURIComponent(`au-pay-shipment:${SHOP_ID}:${SINGLE}`));
    await screenshot(page, 'order', true);
  });
});

test('an operator ticks twenty orders and resets them in bulk, watching the progress reach 20/20', async () => {
  await withPage('bulk-reset', async (page) => {
    await signIn(page, world.api, ops.operator.token, '更新 花子');
    await page.goto(`${world.api}/console/#/attention?process=au-pay`);
    for (const id of BULK) await page.getByRole('checkbox', { name: `${id} を選択` }).check();
    const bar = page.getByRole('toolbar', { name: '一括処理' });
    await bar.getByText('20件選択中').waitFor();
    await bar.getByLabel('一括処理の操作').selectOption({ label: 'API連携ステータス変更' });
    await bar.getByRole('button', { name: '一括実行' }).click();
    const dialog = page.getByRole('dialog', { name: 'API連携ステータス変更' });
    await dialog.getByText('20件の注文に一括で実行します。').waitFor();
    await dialog.getByLabel('ステータス').selectOption(LINK_STATUS.blank);
    await dialog.getByRole('button', { name: '実行する' }).click();
    await dialog.getByTestId('bulk-done').filter({ hasText: '20/20' }).waitFor({ timeout: 60_000 });
    await dialog.getByTestId('bulk-status').filter({ hasText: '完了' }).waitFor();
    await dialog.getByText('実行済み 20・拒否 0').waitFor();
    await until(async () => (await countAt(BULK, LINK_STATUS.completed)) === BULK.length, 60_000);

    // the bulk action's page lists each order's outcome
    await dialog.getByRole('link', { name: '一括処理の詳細' }).click();
    await page.getByRole('cell', { name: BULK[19]! }).waitFor();
    expect(await page.getByRole('cell', { name: '実行済み' }).count()).toBe(20);
  });
});
