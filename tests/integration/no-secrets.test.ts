import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../accounts/account-crypto';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../support/amazon-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { newReviewOrder } from '../support/oplux-fixtures';
import { gmoAuthorize, gmoPgBaseUrl, METHODS, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { callApi, startTestApi } from '../support/test-api';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * Secrets never enter workflow history or logs (issue 6 §5): the real worker process runs au PAY (its key from the
 * shop's sealed account), Amazon Pay,
 * O-PLUX, order data OUT and a GMO-PG cancel with freshly made secrets; then every workflow's history is exported,
 * its payloads decoded, and neither the histories nor anything the worker wrote holds any secret.
 */
const taskQueue = 'no-secrets';
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
let api: Awaited<ReturnType<typeof startTestApi>>;
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const keyRing = `test:${randomBytes(32).toString('base64')}`;
const S = {
  auPayKey: secret('aupay'), opluxSecret: secret('oplux'), signing: `whsec_${randomBytes(24).toString('base64')}`,
  yahooClientSecret: secret('yahoo'), yahooRefresh: secret('rt'), keyRing: keyRing.slice(5),
};

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  amazonPayTestClient(sandbox); // registers the test key's public half
  accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api.url}/shops/${SHOP_ID}${path}`, method, body);

test('no secret in any exported history or in the worker’s output', async () => {
  sandbox.auPay.market.registerShop(AU_SHOP_ID, S.auPayKey);
  // the au PAY key comes from the shop's sealed account; the environment's is wrong, so only the account can work
  await accounts.put(SHOP_ID, 'au-pay', { shopId: AU_SHOP_ID, apiKey: S.auPayKey, apiKeyIssuedOn: '2026-11-01' });
  await sandbox.control('POST', '/oplux/_sandbox/merchants', { shopId: 'OPLUXNOSECRET', connectionId: 'CONN-NS', secretKey: S.opluxSecret });
  await sandbox.control('POST', '/external-system/_sandbox/endpoints', { name: 'ns', secret: S.signing });
  expect((await call('PUT', '/accounts/external-system', { url: `${sandbox.url}/external-system/receive/ns`, signingSecret: S.signing })).status).toBe(200);
  await setUpCancelShop(db.pool, accounts, sandbox, SHOP_ID);
  const gmoShopPass = (await accounts.load(SHOP_ID, 'gmo-pg'))!.shopPass;
  const keyFile = writeTestKeyFile();
  const privateKeyBody = readFileSync(keyFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'))[3]!;

  const lines: string[] = [];
  const worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
    SMTP_URL: sandbox.smtpUrl, AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: 'not-the-key-from-the-environment',
    AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: keyFile,
    OPLUX_EVENT_URL: `${sandbox.url}/oplux/v2/event`, OPLUX_NORMALIZER_URL: `${sandbox.url}/oplux/name-normalizer/`,
    OPLUX_SHOP_ID: 'OPLUXNOSECRET', OPLUX_CONNECTION_ID: 'CONN-NS', OPLUX_SECRET_KEY: S.opluxSecret,
    YAHOO_CLIENT_SECRET: S.yahooClientSecret, ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'test', GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox),
  }, (line) => lines.push(line));
  try {
    // au PAY: a shipment pushed and completed with the API key
    await sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: '700000901' });
    expect((await call('POST', '/au-pay/shipments', {
      orderId: 'NS-AU-1', auPayOrderId: '700000901', managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: '1111-2222-3333',
    })).status).toBe(202);
    // Amazon Pay: an authorization signed with the private key, its outbox row signed out to the external system
    const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
    expect((await call('POST', '/amazon-pay/authorizations', { orderId: 'NS-AMZ-1', chargePermissionId, amountJpy: 4200 })).status).toBe(202);
    // O-PLUX: a review signed with the secret
    const { shopId: _s, ...review } = newReviewOrder({ orderId: 'NS-OPLUX-1' });
    expect((await call('POST', '/oplux/orders', review)).status).toBe(202);
    // GMO-PG: a cancel with the shop password from the sealed account
    const trade = newGmoOrderId('N');
    await gmoAuthorize(sandbox, trade, new Date());
    expect((await call('POST', '/cancellations', { orderId: 'NS-GMO-1', source: 'buyer', payment: { method: METHODS.gmo, gmoPgOrderId: trade } })).status).toBe(202);

    await until(async () => (await db.pool.query(`SELECT 1 FROM au_pay_orders WHERE order_id = 'NS-AU-1' AND link_status = '受注完了ステータス反映済み'`)).rowCount === 1);
    await until(async () => (await db.pool.query(`SELECT 1 FROM order_outbox WHERE order_id = 'NS-AMZ-1' AND status = 'delivered'`)).rowCount === 1);
    await until(async () => (await db.pool.query(`SELECT 1 FROM order_cancellations WHERE order_id = 'NS-GMO-1' AND status = 'canceled'`)).rowCount === 1);
    await until(async () => sandbox.oplux.kit.ledger.list({ operation: 'event.register' }).length === 1);
  } finally {
    await worker.stop();
  }

  const secrets = { ...S, gmoShopPass, privateKeyBody };
  const histories: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    // payloads are bytes: decode them, so a secret inside a JSON payload would show
    histories.push(JSON.stringify(history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)));
  }
  expect(histories.length).toBeGreaterThanOrEqual(5); // au PAY, Amazon Pay, O-PLUX, cancel, order OUT (and the dispatcher)
  expect(histories.join('\n')).toContain('NS-GMO-1'); // the decoding works: business data is there
  const output = lines.join('\n');
  expect(output).toContain('worker polling');
  for (const [name, value] of Object.entries(secrets)) {
    expect({ name, inHistory: histories.some((h) => h.includes(value)) }).toEqual({ name, inHistory: false });
    expect({ name, inLogs: output.includes(value) }).toEqual({ name, inLogs: false });
  }
}, 240_000);
