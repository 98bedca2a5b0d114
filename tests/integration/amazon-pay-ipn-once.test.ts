import { randomUUID } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApiApp } from '../../api/app';
import { amazonPayIpnAccounts } from '../../api/amazon-pay/ipn-account';
import { SANDBOX_MERCHANT_ID, SNS_CERT_FILE } from '../../amazon-pay/emulator/ipn-sender';
import { formatAmazonPayIpnMessage } from '../../amazon-pay/sns/ipn-message';
import { createSnsSigner, DEFAULT_SNS_TOPIC_ARN } from '../../amazon-pay/sns/sns-signer';
import { createSnsVerifier, hostPatternPolicy, MAX_CERT_BYTES } from '../../amazon-pay/sns/sns-verifier';
import { insertAuthorizationOrder } from '../../db/amazon-pay-orders';
import { createPool } from '../../db/pool';
import { createRenkeiWorker } from '../../workers/create-worker';
import { amazonPayAuthorizationWorkflow } from '../../workflows/amazon-pay-authorization';
import { authorizationStateQuery } from '../../workflows/amazon-pay-authorization-messages';
import type { AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { freePort } from '../support/free-port';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { API_TOKEN, SANDBOX_IPN_ACCOUNT, startTestApi } from '../support/test-api';
import { until } from '../support/until';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * IPNs are authentic, fresh, taken in once and never dropped (issue 10 §3), through the real API, the Temporal dev
 * server, PostgreSQL and the sandbox: replays signal nothing, a foreign topic or merchant and a stale Timestamp are
 * refused, an oversized certificate is refused without echo, and when PostgreSQL or Temporal is down the API answers
 * 503 at once and the sandbox's SNS-like retries deliver the message after the outage.
 */
const taskQueue = 'amazon-pay-ipn-once';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let worker: Worker;
let running: Promise<void>;
let api: string;
const cleanup: Array<() => Promise<unknown>> = [];
const signer = createSnsSigner();

beforeAll(async () => {
  ({ env } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  const amazonPay = amazonPayTestClient(sandbox);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
  api = testApi.url;
  worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: { ...activityDeps(db.pool, sandbox), amazonPayShop: (s) => (s === SHOP_ID ? { client: amazonPay, notifyEmail: NOTIFY_EMAIL } : undefined) },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  worker?.shutdown();
  await running;
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** An API like the real one over other dependencies (a dead database, an unreachable Temporal). */
async function startApi(o: { temporal: Client; pool: typeof db.pool }): Promise<string> {
  const app = createApiApp({
    temporal: o.temporal, db: o.pool, apiToken: API_TOKEN, taskQueue, isKnownShop: (s) => s === SHOP_ID,
    ipnVerifier: createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }) }),
    amazonPayIpnAccount: amazonPayIpnAccounts({ fallback: () => SANDBOX_IPN_ACCOUNT }),
  });
  return listen(http.createServer(app));
}

let n = 0;
/** An order under review with a pending charge, its workflow started; resolves with the handle and the charge id. */
async function pendingOrder() {
  n += 1;
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
  const req: AuthorizationRequest = { shopId: SHOP_ID, orderId: `ONCE-${n}-${Date.now()}`, chargePermissionId, amountJpy: 9800, captureOnAuthorization: false, cancelOnDecline: false };
  await insertAuthorizationOrder(db.pool, req);
  // The workflow's own check is a day away: only an IPN makes it look within the test.
  const handle = await env.client.workflow.start(amazonPayAuthorizationWorkflow, {
    workflowId: amazonPayAuthorizationWorkflowId(SHOP_ID, req.orderId), taskQueue, args: [req, { checkEvery: '1 day', giveUpAfter: '25 hours' }],
  });
  const chargeId = await until(async () => (await handle.query(authorizationStateQuery)).chargeId);
  // the order row names the charge: the API finds the workflow through it
  await until(async () => (await db.pool.query(`SELECT 1 FROM amazon_pay_orders WHERE charge_id = $1`, [chargeId])).rowCount);
  return { req, handle, chargeId, chargePermissionId };
}

/** A genuine IPN as the sandbox signs it (its key, its certificate URL), with any field chosen. */
function ipn(o: { objectId: string; chargePermissionId?: string; merchantId?: string; topicArn?: string; timestamp?: Date; messageId?: string; certUrl?: string }) {
  const message = formatAmazonPayIpnMessage({
    merchantId: o.merchantId ?? SANDBOX_MERCHANT_ID, objectType: 'CHARGE', objectId: o.objectId, chargePermissionId: o.chargePermissionId ?? 'S01-0000000-0000000',
    notificationType: 'STATE_CHANGE', notificationId: randomUUID(),
  });
  return signer.notification({
    message, signatureVersion: '2', signingCertUrl: o.certUrl ?? `${sandbox.url}/amazon-pay/__sns/${SNS_CERT_FILE}`, unsubscribeUrl: `${sandbox.url}/x`,
    topicArn: o.topicArn ?? DEFAULT_SNS_TOPIC_ARN, timestamp: o.timestamp, messageId: o.messageId,
  });
}

async function post(envelope: unknown, base = api) {
  const res = await fetch(`${base}/shops/${SHOP_ID}/amazon-pay/ipn`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: JSON.stringify(envelope) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text, retryAfter: res.headers.get('retry-after') };
}

const historyLength = async (handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) => (await handle.fetchHistory()).events?.length ?? 0;

test('a captured IPN replayed 50 times: each answers 200, and the workflow history gains events only once', async () => {
  const { handle, chargeId } = await pendingOrder();
  const captured = await ipn({ objectId: chargeId });

  const first = await post(captured);
  expect(first).toMatchObject({ status: 200, body: { routed: handle.workflowId } });
  await until(async () => (await handle.query(authorizationStateQuery)).checks === 1); // it looked, once
  // settled: the look's activity and the workflow task after it are done; nothing else is due for a day
  await until(async () => {
    const { raw } = await handle.describe();
    return !raw.pendingWorkflowTask && !raw.pendingActivities?.length;
  });
  const afterFirst = await historyLength(handle);

  const replays = await Promise.all(Array.from({ length: 50 }, () => post(captured)));
  expect(replays.map((r) => r.status)).toEqual(Array(50).fill(200));
  expect(new Set(replays.map((r) => r.body.ignored))).toEqual(new Set(['already taken in (same MessageId)']));
  // every answer above came after its signal would have been written: nothing was
  expect(await historyLength(handle)).toBe(afterFirst);
  expect((await handle.query(authorizationStateQuery)).checks).toBe(1);
  await handle.terminate('test done');
});

test('a foreign topic or merchant is refused with 403, a stale or malformed Timestamp with 400; none is signalled', async () => {
  const { handle, chargeId } = await pendingOrder();
  const before = await historyLength(handle);

  expect(await post(await ipn({ objectId: chargeId, topicArn: 'arn:aws:sns:ap-northeast-1:000000000000:someone-else' })))
    .toMatchObject({ status: 403, body: { reason: 'topic-not-allowed' } });
  expect(await post(await ipn({ objectId: chargeId, merchantId: 'ANOTHERMERCHANT' })))
    .toMatchObject({ status: 403, body: { reason: 'merchant-mismatch' } });
  expect(await post(await ipn({ objectId: chargeId, timestamp: new Date(Date.now() - 5 * 3_600_000) })))
    .toMatchObject({ status: 400, body: { reason: 'stale' } });
  expect(await post(await ipn({ objectId: chargeId, timestamp: new Date(Date.now() + 3_600_000) })))
    .toMatchObject({ status: 400, body: { reason: 'stale' } });
  const genuine = await ipn({ objectId: chargeId });
  // signed as it stands, so only the Timestamp is wrong
  const malformed = await signer.sign({ ...genuine, Timestamp: 'Mon, 30 Nov 2026 10:00:00 GMT' }, '2');
  expect(await post(malformed)).toMatchObject({ status: 400, body: { reason: 'malformed' } });

  expect(await historyLength(handle)).toBe(before);
  // and the genuine one still goes through: the refusals claimed no MessageId
  expect(await post(genuine)).toMatchObject({ status: 200, body: { routed: handle.workflowId } });
  await handle.terminate('test done');
});

test('a certificate over 64 KB is refused, and the refusal does not echo it', async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-pem-file' });
    res.end(`-----BEGIN CERTIFICATE-----\nFAR-SIDE-${'A'.repeat(MAX_CERT_BYTES)}\n-----END CERTIFICATE-----\n`);
  });
  const base = await listen(server);
  const answer = await post(await ipn({ objectId: 'S01-0000000-0000000-C999999', certUrl: `${base}/huge.pem` }));
  expect(answer).toMatchObject({ status: 503, body: { reason: 'cert-unavailable', error: expect.stringContaining(`larger than ${MAX_CERT_BYTES} bytes`) } });
  expect(answer.text).not.toContain('FAR-SIDE');
  expect(answer.text.length).toBeLessThan(1000);
});

test('PostgreSQL down: 503 with Retry-After, and nothing is remembered', async () => {
  const deadPool = createPool(`postgres://renkei:renkei@127.0.0.1:${await freePort()}/renkei`);
  cleanup.push(() => deadPool.end());
  const noDb = await startApi({ temporal: env.client, pool: deadPool });
  const { handle, chargeId } = await pendingOrder();
  const message = await ipn({ objectId: chargeId });
  // the API gives up by itself (fetch has no deadline here: a hang would fail the test by its timeout); how fast is
  // not measured on a shared machine
  const down = await post(message, noDb);
  expect(down).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
  // SNS's retry, once the database is back, is taken in, not mistaken for a replay
  expect(await post(message)).toMatchObject({ status: 200, body: { routed: handle.workflowId } });
  await handle.terminate('test done');
});

test('Temporal down: 503 once the signal deadline passes, the MessageId released, so the retry is taken in', async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` }); // nothing listens there
  cleanup.push(() => connection.close());
  const noTemporal = await startApi({ temporal: new Client({ connection }), pool: db.pool });
  const { handle, chargeId } = await pendingOrder();
  const message = await ipn({ objectId: chargeId });
  const down = await post(message, noTemporal); // answered at the API's own deadline, not left hanging
  expect(down).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
  expect(await post(message)).toMatchObject({ status: 200, body: { routed: handle.workflowId } });
  await handle.terminate('test done');
});

test("an outage: the API answers 503, the sandbox's IPN sender retries until it is delivered, and the order is 審査完了", async () => {
  // The endpoint the sandbox posts to: an API with its database down until the outage ends, then the real one.
  const deadPool = createPool(`postgres://renkei:renkei@127.0.0.1:${await freePort()}/renkei`);
  cleanup.push(() => deadPool.end());
  const broken = await startApi({ temporal: env.client, pool: deadPool });
  let outage = true;
  const gate = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(`${outage ? broken : api}${req.url ?? ''}`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: Buffer.concat(chunks) })
        .then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()))
        .catch(() => res.writeHead(502).end());
    });
  });
  const gateUrl = await listen(gate);
  const { req, handle, chargeId } = await pendingOrder(); // its IPNs so far went nowhere
  // a short schedule: the default (SNS's 3 × 20 s) is the sandbox test's
  sandbox.amazonPayIpn.configure({ targetUrl: `${gateUrl}/shops/${SHOP_ID}/amazon-pay/ipn`, retryDelaysMs: Array(20).fill(250) });
  cleanup.push(async () => sandbox.amazonPayIpn.configure({ targetUrl: null }));
  await sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Authorized' });
  const forCharge = () => sandbox.amazonPayIpn.deliveries().filter((d) => d.objectId === chargeId && d.outcome !== 'not-sent');
  await until(() => forCharge().some((d) => d.status === 503), 10_000, 20);
  outage = false;

  await until(() => forCharge().some((d) => d.outcome === 'delivered'), 20_000, 50);
  const result = await handle.result();
  expect(result).toMatchObject({ paymentStatus: '審査完了', chargeState: 'Authorized' });
  const attempts = forCharge();
  expect(attempts[0]).toMatchObject({ outcome: 'failed', status: 503, attempt: 1 });
  expect(attempts.at(-1)).toMatchObject({ outcome: 'delivered', status: 200 });
  expect(new Set(attempts.map((d) => d.messageId)).size).toBe(1);
  expect((await db.pool.query(`SELECT payment_status FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = $2`, [SHOP_ID, req.orderId])).rows[0])
    .toEqual({ payment_status: '審査完了' });
});
