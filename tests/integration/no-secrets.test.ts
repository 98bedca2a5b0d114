import { BY_TEST } from '../support/acted-by';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../support/amazon-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { newReviewOrder } from '../support/oplux-fixtures';
import { gmoAuthorize, gmoPgBaseUrl, METHODS, newGmoOrderId, setUpCancelShop } from '../support/order-cancel-fixtures';
import { AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';
import { dataConverterFor, payloadCodecFromConfig } from '../../common/payload-config';
import { ENCRYPTED_ENCODING } from '../../common/payload-codec';
import { relinkUpdate } from '../../workflows/oplux-fraud-review-messages';

/**
 * Secrets never enter workflow history or logs (issue 6 §5): the real worker process runs au PAY (its key from the
 * shop's sealed account), Amazon Pay,
 * O-PLUX, order data OUT and a GMO-PG cancel with freshly made secrets; then every workflow's history is exported,
 * its payloads decoded, and neither the histories nor anything the worker wrote holds any secret.
 *
 * Nor does personal data (issue 10 §7): the worker and the API's client encrypt payloads (PAYLOAD_KEYS), so no buyer
 * field (the O-PLUX buyer's name, address, phone, e-mail and IP; the Amazon Pay buyer's) is in any exported history,
 * as bytes or as text; the API's /codec/decode gives them back to whoever holds the key.
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
const payloadKeys = `pk1:${randomBytes(32).toString('base64')}`;
const codec = payloadCodecFromConfig({ PAYLOAD_KEYS: payloadKeys, PAYLOAD_KEY_ID: 'pk1' })!;
const WEB_UI = 'http://127.0.0.1:8233';
const S = {
  auPayKey: secret('aupay'), opluxSecret: secret('oplux'), signing: `whsec_${randomBytes(24).toString('base64')}`,
  yahooClientSecret: secret('yahoo'), yahooRefresh: secret('rt'), keyRing: keyRing.slice(5),
};

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  amazonPayTestClient(sandbox); // registers the test key's public half
  accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  // the API's client encrypts as the worker does
  const temporalClient = new Client({ connection: env.connection, dataConverter: dataConverterFor(codec) });
  api = await startTestApi({ temporal: temporalClient, db: db.pool, taskQueue, accounts, payloadCodec: { codec, origins: [WEB_UI], trustLoopback: false } });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api.url}/shops/${SHOP_ID}${path}`, method, body);

/** A buyer of this run's own: no value can be in a history by chance. */
const tag = randomBytes(4).toString('hex');
const digits = String(parseInt(tag, 16)).padStart(10, '0');
const opluxBuyer = {
  memberId: `M-${tag}`, lastName: '蔵前', firstName: `彩${tag}`, email: `ayaka.${tag}@example.jp`, tel: `03-${digits.slice(0, 4)}-${digits.slice(4, 8)}`,
  address: { zipcode: '111-0051', prefecture: '東京都', city: '台東区', street: `蔵前${tag}-1-2` },
};
const opluxIp = `198.51.100.${parseInt(tag.slice(0, 2), 16) % 250 + 1}`;
const amazonBuyer = { buyerId: `amzn1.account.${tag.toUpperCase()}`, name: `尼 花子${tag}`, email: `hanako.${tag}@example.jp`, phoneNumber: `090${digits.slice(2, 10)}` };
/** Each buyer field, as it would show in clear. */
const BUYER_FIELDS: Record<string, string> = {
  'oplux.memberId': opluxBuyer.memberId, 'oplux.firstName': opluxBuyer.firstName, 'oplux.email': opluxBuyer.email, 'oplux.tel': opluxBuyer.tel,
  'oplux.tel(bare)': opluxBuyer.tel.replaceAll('-', ''), 'oplux.street': opluxBuyer.address.street, 'oplux.ipAddress': opluxIp,
  'amazon.buyerId': amazonBuyer.buyerId, 'amazon.name': amazonBuyer.name, 'amazon.email': amazonBuyer.email, 'amazon.phoneNumber': amazonBuyer.phoneNumber,
};

/** Every payload in an exported history, with where it sits. */
function payloadsOf(node: unknown, at = ''): Array<{ at: string; payload: Payload }> {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return [];
  const o = node as Record<string, unknown>;
  if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') return [{ at, payload: o as Payload }];
  return Object.entries(o).flatMap(([k, v]) => payloadsOf(v, at ? `${at}.${k}` : k));
}
const encodingOf = (p: Payload) => Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString('utf8');

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
    PAYLOAD_KEYS: payloadKeys, PAYLOAD_KEY_ID: 'pk1',
  }, (line) => lines.push(line));
  try {
    // au PAY: a shipment pushed and completed with the API key
    await sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId: '700000901' });
    expect((await call('POST', '/au-pay/shipments', {
      orderId: 'NS-AU-1', auPayOrderId: '700000901', managementClass: '通常', shipDate: '2026-11-20', carrier: '1', trackingNumber: '1111-2222-3333',
    })).status).toBe(202);
    // Amazon Pay: an authorization signed with the private key, its outbox row signed out to the external system
    const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000, buyer: amazonBuyer });
    expect((await call('POST', '/amazon-pay/authorizations', { orderId: 'NS-AMZ-1', chargePermissionId, amountJpy: 4200 })).status).toBe(202);
    // O-PLUX: a review signed with the secret
    const { shopId: _s, ...review } = newReviewOrder({ orderId: 'NS-OPLUX-1', buyer: opluxBuyer, ipAddress: opluxIp });
    expect((await call('POST', '/oplux/orders', review)).status).toBe(202);
    // GMO-PG: a cancel with the shop password from the sealed account
    const trade = newGmoOrderId('N');
    await gmoAuthorize(sandbox, trade, new Date());
    expect((await call('POST', '/cancellations', { orderId: 'NS-GMO-1', source: 'buyer', payment: { method: METHODS.gmo, gmoPgOrderId: trade } })).status).toBe(202);

    await until(async () => (await db.pool.query(`SELECT 1 FROM au_pay_orders WHERE order_id = 'NS-AU-1' AND link_status = '受注完了ステータス反映済み'`)).rowCount === 1);
    await until(async () => (await db.pool.query(`SELECT 1 FROM order_outbox WHERE order_id = 'NS-AMZ-1' AND status = 'delivered'`)).rowCount === 1);
    await until(async () => (await db.pool.query(`SELECT 1 FROM order_cancellations WHERE order_id = 'NS-GMO-1' AND status = 'canceled'`)).rowCount === 1);
    await until(async () => sandbox.oplux.kit.ledger.list({ operation: 'registerEvent' }).length === 1);
    // a workflow's refusal crosses encrypted (its message is an encoded failure) and reaches the operator in words
    const refused = await call('POST', '/oplux/orders/NS-OPLUX-1/relink');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/a manual re-link applies to 審査エラー or 更新エラー only/);
    // without the key the same refusal does not even open: Temporal carried it encrypted
    const noKey = await env.client.workflow.getHandle(`oplux-fraud-review:${SHOP_ID}:NS-OPLUX-1`).executeUpdate(relinkUpdate, { args: [BY_TEST] }).then(() => undefined, (e: unknown) => e);
    expect(String(noKey)).toMatch(/Unknown encoding: binary\/encrypted/); // the failure's message is an encrypted payload
    expect(JSON.stringify(noKey, Object.getOwnPropertyNames(noKey))).not.toMatch(/re-link applies/);
  } finally {
    await worker.stop();
  }

  const secrets = { ...S, gmoShopPass, privateKeyBody };
  const histories: string[] = [];
  const exported: Array<{ workflowId: string; bytes: Buffer; payloads: ReturnType<typeof payloadsOf> }> = [];
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    // payloads are bytes: decode them, so a secret inside a JSON payload would show
    histories.push(JSON.stringify(history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)));
    // and the history as Temporal stores and exports it, byte for byte
    exported.push({ workflowId: wf.workflowId, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()), payloads: payloadsOf(history) });
  }
  expect(histories.length).toBeGreaterThanOrEqual(5); // au PAY, Amazon Pay, O-PLUX, cancel, order OUT (and the dispatcher)
  expect(histories.join('\n')).toContain('NS-GMO-1'); // the decoding works: business data is there

  // no buyer field in clear, in any history: neither as text nor in the stored bytes
  const inClear = exported.flatMap(({ workflowId, bytes }, i) => Object.entries(BUYER_FIELDS)
    .filter(([, value]) => bytes.includes(Buffer.from(value, 'utf8')) || histories[i]!.includes(value)).map(([field]) => `${workflowId}: ${field}`));
  process.stdout.write(`PII: ${exported.length} histories exported, ${new Set(inClear.map((l) => l.split(': ')[0])).size} with a buyer field in clear\n`);
  expect(inClear).toEqual([]);
  // every payload renkei wrote is encrypted; the SDK's own are not, and hold no buyer field: the search attributes
  // (indexed, so never encoded), the SDK core's local-activity marker record (seq, attempt, activity type, times) and
  // a patch marker (the patch id)
  const sdkOwn = (at: string) => at.includes('searchAttributes') || /markerRecordedEventAttributes\.details\.(data|patch-data)\./.test(at);
  const plain = exported.flatMap(({ workflowId, payloads }) => payloads
    .filter(({ at, payload }) => !sdkOwn(at) && encodingOf(payload) !== ENCRYPTED_ENCODING).map(({ at }) => `${workflowId}: ${at}`));
  expect(plain).toEqual([]);

  // whoever holds the key reads them back: the API's codec endpoint decodes what the worker encoded
  const sealed = exported.flatMap(({ payloads }) => payloads.filter(({ at }) => !sdkOwn(at)).map(({ payload }) => payload));
  const decoded = await fetch(`${api.url}/codec/decode`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', origin: WEB_UI, 'x-namespace': 'default' },
    body: JSON.stringify({ payloads: sealed.map((p) => temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(p), { bytes: String })) }),
  });
  expect(decoded.status).toBe(200);
  expect(decoded.headers.get('access-control-allow-origin')).toBe(WEB_UI);
  const { payloads } = (await decoded.json()) as { payloads: Array<{ metadata: Record<string, string>; data?: string }> };
  expect(payloads).toHaveLength(sealed.length);
  const clear = payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
  for (const field of ['oplux.firstName', 'oplux.email', 'oplux.tel', 'oplux.street', 'oplux.ipAddress'] as const) {
    expect({ field, decoded: clear.includes(BUYER_FIELDS[field]!) }).toEqual({ field, decoded: true });
  }
  expect(new Set(payloads.map((p) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString('utf8')))).not.toContain(ENCRYPTED_ENCODING);
  const output = lines.join('\n');
  expect(output).toContain('worker polling');
  for (const [name, value] of Object.entries(secrets)) {
    expect({ name, inHistory: histories.some((h) => h.includes(value)) }).toEqual({ name, inHistory: false });
    expect({ name, inLogs: output.includes(value) }).toEqual({ name, inLogs: false });
  }
  // the worker's logs (JSON lines: renkei's business events, the Temporal SDK's and its Core's) name orders, never a buyer
  expect(output).toMatch(/"msg":"order status changed"/);
  expect(Object.entries(BUYER_FIELDS).filter(([, value]) => output.includes(value)).map(([field]) => field)).toEqual([]);
}, 240_000);
