import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createIpnSender, SNS_CERT_FILE, type IpnDelivery, type IpnSender } from '../../amazon-pay/emulator/ipn-sender';
import { createSelfSignedCertificate } from '../../amazon-pay/sns/self-signed';
import { createSnsSigner, DEFAULT_SNS_TOPIC_ARN } from '../../amazon-pay/sns/sns-signer';
import {
  createSnsVerifier, fetchCertificatePem, hostPatternPolicy, parseAmazonPayIpnMessage, type SnsVerifier,
} from '../../amazon-pay/sns/sns-verifier';
import type { SnsEnvelope } from '../../amazon-pay/sns/envelope';
import { until } from '../support/until';

/**
 * The emulator's IPN delivery over real HTTP: a shop endpoint on node:http receives the POSTs, our verifier fetches the
 * certificate from the emulator's certRouter, and the npm `sns-validator` (AWS's own) checks one message too.
 */
const NOW = new Date('2026-11-22T03:04:05.678Z');
const signer = createSnsSigner();

interface Received { headers: IncomingHttpHeaders; body: string }
/** The shop's IPN endpoint: records every POST and answers the scripted statuses in turn ('hang' never answers), then 200. */
const shop = { received: [] as Received[], answers: [] as Array<number | 'hang'>, url: '', server: undefined as unknown as Server };
let emulatorUrl = '';
let emulator: Server;
let sender: IpnSender;
let draws: number[] = [];
const fetchedCerts: string[] = [];
let verifier: SnsVerifier;

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

beforeAll(async () => {
  shop.server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      shop.received.push({ headers: req.headers, body });
      const answer = shop.answers.shift() ?? 200;
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  });
  shop.url = `http://${await listen(shop.server)}/ipn`;

  const app = express();
  emulator = http.createServer(app);
  emulatorUrl = `http://${await listen(emulator)}`;
  sender = createIpnSender({
    merchantId: 'A3SANDBOXMERCHANT',
    certUrl: `${emulatorUrl}/__sns/${SNS_CERT_FILE}`,
    unsubscribeBaseUrl: `${emulatorUrl}/__sns/`,
    signer,
    clock: () => NOW,
    random: () => draws.shift() ?? 0.99,
  });
  app.use('/__sns', sender.certRouter);
  app.use('/ipn', sender.router);

  verifier = createSnsVerifier({
    allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }),
    allowedTopicArns: [DEFAULT_SNS_TOPIC_ARN],
    now: () => NOW.getTime(), // the messages carry the emulator's fixed clock
    fetchCert: (url) => {
      fetchedCerts.push(url);
      return fetchCertificatePem(url);
    },
  });
});
afterAll(async () => {
  await close(shop.server);
  await close(emulator);
});
beforeEach(() => {
  sender.reset();
  sender.configure({ targetUrl: shop.url });
  shop.received = [];
  shop.answers = [];
  draws = [];
});

const control = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${emulatorUrl}${p}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const change = (objectId: string) => ({ objectType: 'CHARGE' as const, objectId, chargePermissionId: 'S01-0000000-0000000' });
const objectIds = () => shop.received.map((r) => parseAmazonPayIpnMessage((JSON.parse(r.body) as SnsEnvelope).Message).objectId);
const outcomes = (s: IpnSender = sender) => s.deliveries().map((d) => [d.objectId, d.outcome, d.attempt, d.status ?? d.error]);

test.each(['2', '1'] as const)('SignatureVersion %s: one signed Notification with the SNS headers, which our verifier accepts', async (version) => {
  sender.configure({ signatureVersion: version });
  sender.notify({ ...change('S01-0000000-0000000-C000001'), notificationType: 'STATE_CHANGE' });
  await sender.flush();

  expect(shop.received).toHaveLength(1);
  const { headers, body } = shop.received[0]!;
  const envelope = await verifier.verify(body);
  expect(headers).toMatchObject({
    'content-type': 'text/plain; charset=UTF-8',
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': envelope.MessageId,
    'x-amz-sns-topic-arn': DEFAULT_SNS_TOPIC_ARN,
  });
  expect(headers['x-amz-sns-subscription-arn']).toMatch(new RegExp(`^${DEFAULT_SNS_TOPIC_ARN}:[0-9a-f-]{36}$`));
  expect(envelope).toMatchObject({
    Type: 'Notification', SignatureVersion: version, Timestamp: '2026-11-22T03:04:05.678Z',
    SigningCertURL: `${emulatorUrl}/__sns/${SNS_CERT_FILE}`,
    UnsubscribeURL: `${emulatorUrl}/__sns/?Action=Unsubscribe&SubscriptionArn=${headers['x-amz-sns-subscription-arn'] as string}`,
  });
  expect('Subject' in envelope).toBe(false);
  expect(JSON.parse(envelope.Message)).toEqual({
    MerchantID: 'A3SANDBOXMERCHANT', ObjectType: 'CHARGE', ObjectId: 'S01-0000000-0000000-C000001', ChargePermissionId: 'S01-0000000-0000000',
    NotificationType: 'STATE_CHANGE', NotificationId: expect.stringMatching(/^[0-9a-f-]{36}$/), NotificationVersion: 'V2',
  });
  const { body: log } = await control('GET', '/ipn/deliveries');
  expect(log.deliveries).toEqual([expect.objectContaining({ messageId: envelope.MessageId, outcome: 'delivered', attempt: 1, status: 200, at: NOW.toISOString(), targetUrl: shop.url })]);
});

test('the certificate is served as PEM and fetched once for many messages', async () => {
  const res = await fetch(`${emulatorUrl}/__sns/${SNS_CERT_FILE}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-pem-file/);
  expect(await res.text()).toBe(await signer.certificatePem());

  const before = fetchedCerts.length;
  for (const id of ['C1', 'C2', 'C3']) sender.notify(change(id));
  await sender.flush();
  for (const r of shop.received) await verifier.verify(r.body);
  expect(fetchedCerts.length - before).toBeLessThanOrEqual(1); // the first test may already have cached it
  expect(new Set(fetchedCerts).size).toBe(1);
});

test('without a target URL deliveries are only logged; a bad change is logged, never thrown', async () => {
  sender.configure({ targetUrl: null });
  sender.notify(change('C1'));
  expect(() => sender.notify({ objectType: 'ORDER' as 'CHARGE', objectId: 'x', chargePermissionId: 'y' })).not.toThrow();
  await sender.flush();
  expect(shop.received).toEqual([]);
  expect(sender.deliveries().map((d) => [d.objectId, d.outcome])).toEqual([['C1', 'not-sent'], ['x', 'error']]);
});

test('dropRate: a drawn message is never sent', async () => {
  sender.configure({ dropRate: 0.5 });
  draws = [0.1, 0.99, /* next message */ 0.7, 0.99];
  sender.notify(change('C1'));
  sender.notify(change('C2'));
  await sender.flush();
  expect(objectIds()).toEqual(['C2']);
  expect(outcomes()).toEqual([['C1', 'dropped', undefined, undefined], ['C2', 'delivered', 1, 200]]);
});

test('duplicateRate: a drawn message arrives twice with the same MessageId, both verifiable', async () => {
  sender.configure({ duplicateRate: 0.5 });
  draws = [0.99, 0.1];
  sender.notify(change('C1'));
  await sender.flush();
  expect(shop.received).toHaveLength(2);
  const [a, b] = await Promise.all(shop.received.map((r) => verifier.verify(r.body)));
  expect(a!.MessageId).toBe(b!.MessageId);
  expect(sender.deliveries().map((d: IpnDelivery) => d.duplicate ?? false)).toEqual([false, true]);
});

test('reorder: each held message follows the next one; turning it off releases the held one', async () => {
  await control('PUT', '/ipn', { reorder: true });
  sender.notify(change('C1'));
  await sender.flush();
  expect(shop.received).toEqual([]);
  expect((await control('GET', '/ipn')).body.held).toMatchObject({ objectId: 'C1' });

  sender.notify(change('C2'));
  await sender.flush();
  sender.notify(change('C3'));
  sender.notify(change('C4'));
  sender.notify(change('C5'));
  await sender.flush();
  expect(objectIds()).toEqual(['C2', 'C1', 'C4', 'C3']);

  await control('PUT', '/ipn', { reorder: false });
  await sender.flush();
  expect(objectIds()).toEqual(['C2', 'C1', 'C4', 'C3', 'C5']);
});

test('delayMs holds the first attempt', async () => {
  sender.configure({ delayMs: 100 });
  sender.notify(change('C1'));
  // Not a wait for something to happen (an absence cannot be waited on) and not a race: this timer is started after
  // the sender's 100 ms one and is due first; Node runs due timers in order, each one's promise callbacks before the
  // next, so the check below always runs while C1 is still held. flush() then waits for the delivery itself.
  await new Promise((r) => setTimeout(r, 30));
  expect(shop.received).toEqual([]);
  expect(sender.deliveries()).toEqual([]);
  await sender.flush();
  expect(objectIds()).toEqual(['C1']);
});

test("by default SNS's HTTP/S delivery policy: a 503 is retried after 20 s, 20 s and 20 s until delivered, then given up", async () => {
  expect(sender.settings.retryDelaysMs).toEqual([20_000, 20_000, 20_000]);
  const waits: number[] = [];
  const sns = createIpnSender({
    merchantId: 'A3SANDBOXMERCHANT', certUrl: `${emulatorUrl}/__sns/${SNS_CERT_FILE}`, unsubscribeBaseUrl: `${emulatorUrl}/__sns/`, signer,
    clock: () => NOW, sleep: async (ms) => void waits.push(ms), // the schedule is recorded, not waited out
  });
  sns.configure({ targetUrl: shop.url });
  shop.answers = [503, 503, 503];
  sns.notify(change('C1'));
  await sns.flush();
  expect(outcomes(sns)).toEqual([['C1', 'failed', 1, 503], ['C1', 'failed', 2, 503], ['C1', 'failed', 3, 503], ['C1', 'delivered', 4, 200]]);
  expect(waits).toEqual([20_000, 20_000, 20_000]);
  expect(new Set(shop.received.map((r) => r.body)).size).toBe(1); // the same MessageId, Timestamp and signature each time

  // a fourth 503: the schedule is spent and the message discarded, as SNS does without a dead-letter queue
  sns.reset();
  sns.configure({ targetUrl: shop.url });
  shop.answers = [503, 500, 502, 504];
  sns.notify(change('C2'));
  await sns.flush();
  expect(outcomes(sns).map((o) => o[1])).toEqual(['failed', 'failed', 'failed', 'failed']);
});

test('with a schedule, 5xx, timeouts and network errors are retried with the same message; a 4xx is final, as at SNS', async () => {
  sender.configure({ retryDelaysMs: [10, 10, 10], timeoutMs: 300 });
  shop.answers = [503, 'hang', 502];
  sender.notify(change('C2'));
  await sender.flush();
  expect(outcomes()).toEqual([
    ['C2', 'failed', 1, 503], ['C2', 'failed', 2, 'no answer within 300 ms'], ['C2', 'failed', 3, 502], ['C2', 'delivered', 4, 200],
  ]);
  expect(new Set(shop.received.map((r) => r.body)).size).toBe(1);

  shop.answers = [403];
  sender.notify(change('C3'));
  await sender.flush();
  expect(outcomes().filter((o) => o[0] === 'C3')).toEqual([['C3', 'failed', 1, 403]]);
});

test('reset() abandons the waits of pending retries', async () => {
  shop.answers = [503];
  sender.notify(change('C1')); // the default schedule: the retry would come in 20 s
  await until(() => sender.deliveries().length === 1, 5000, 10);
  sender.reset();
  await sender.flush(); // returns at once, not after 20 s
  expect(shop.received).toHaveLength(1);
});

test('an unreachable endpoint is a logged failure', async () => {
  const dead = http.createServer();
  const host = await listen(dead);
  await close(dead);
  sender.configure({ targetUrl: `http://${host}/ipn`, retryDelaysMs: [] });
  sender.notify(change('C1'));
  await sender.flush();
  expect(outcomes()).toEqual([['C1', 'failed', 1, 'network error: ECONNREFUSED']]);
});

test('PUT /ipn validates: 400 with the field and the reason', async () => {
  for (const [body, field] of [
    [{ dropRate: 2 }, 'dropRate'],
    [{ targetUrl: 'ftp://127.0.0.1/x' }, 'targetUrl'],
    [{ signatureVersion: '3' }, 'signatureVersion'],
    [{ retryDelaysMs: [-1] }, 'retryDelaysMs.0'],
    [{ dropRat: 0.1 }, '(body)'],
  ] as const) {
    const res = await control('PUT', '/ipn', body);
    expect([field, res.status]).toEqual([field, 400]);
    expect(res.body.issues).toEqual([expect.objectContaining({ field, reason: expect.any(String) })]);
  }
  const ok = await control('PUT', '/ipn', { signatureVersion: '1', duplicateRate: 0.25, retryDelaysMs: [60_000] });
  expect(ok.body).toMatchObject({ targetUrl: shop.url, signatureVersion: '1', duplicateRate: 0.25, retryDelaysMs: [60_000], dropRate: 0 });
  expect((await control('GET', '/ipn')).body).toMatchObject({ settings: ok.body, held: null, deliveries: [] });
});

/**
 * AWS's own validator (npm sns-validator 0.3.5) only fetches certificates over https, with Node's default trust store
 * and its module-level https.get. So the certificate is served over TLS on loopback, and the validator runs in a child
 * Node process that trusts our TLS certificate through NODE_EXTRA_CA_CERTS, as a shop's process would: no patching
 * of the library or of the global https agent. Its host pattern is its documented constructor argument (it tests the
 * host with the port).
 */
test('the npm sns-validator accepts emulator-signed messages (v1 and v2) and rejects a tampered one', async () => {
  const tls = await createSelfSignedCertificate({ commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'] });
  const tlsApp = express();
  tlsApp.use('/__sns', sender.certRouter);
  const tlsServer = https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, tlsApp);
  const tlsHost = await listen(tlsServer);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'renkei-sns-'));
  try {
    const httpsSender = createIpnSender({
      merchantId: 'A3SANDBOXMERCHANT', certUrl: `https://${tlsHost}/__sns/${SNS_CERT_FILE}`, unsubscribeBaseUrl: `https://${tlsHost}/__sns/`, signer,
    });
    httpsSender.configure({ targetUrl: shop.url, signatureVersion: '2' });
    httpsSender.notify(change('C1'));
    await httpsSender.flush();
    httpsSender.configure({ signatureVersion: '1' });
    httpsSender.notify(change('C2'));
    await httpsSender.flush();
    const [v2, v1] = shop.received.map((r) => r.body);
    const tampered = JSON.stringify({ ...(JSON.parse(v2!) as SnsEnvelope), Message: '{"ObjectId":"other"}' });

    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, tls.certificatePem);
    const script = `
      const MessageValidator = require('sns-validator');
      const validator = new MessageValidator(/^127\\.0\\.0\\.1:\\d+$/);
      const check = (body) => new Promise((resolve) => validator.validate(body, (err) => resolve(err ? err.message : 'valid')));
      (async () => {
        const results = [];
        for (const body of JSON.parse(process.argv[1])) results.push(await check(body));
        process.stdout.write(JSON.stringify(results));
      })();`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-e', script, JSON.stringify([v2, v1, tampered])], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: '' },
        timeout: 20_000,
      }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)));
    });
    expect(JSON.parse(stdout)).toEqual(['valid', 'valid', 'The message signature is invalid.']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await close(tlsServer);
  }
});
