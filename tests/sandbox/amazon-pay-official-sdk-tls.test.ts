import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createAmazonPayEmulator } from '../../amazon-pay/emulator';
import { amazonPayHeaders, signRequest } from '../../amazon-pay/signature';
import { startAmazonPayTls, type TlsListener } from '../../sandbox/tls-listener';

/**
 * The official Node SDK, unmodified, calling the emulator over its TLS listener: in a child process that trusts the
 * sandbox's generated certificate (the SDK also turns TLS checks off process-wide with overrideServiceUrl, which must
 * not leak into this test process).
 */
const run = promisify(execFile);
let tls: TlsListener;
const emulator = createAmazonPayEmulator();
const dir = mkdtempSync(path.join(tmpdir(), 'renkei-sdk-'));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  tls = await startAmazonPayTls(emulator.router, 0);
  writeFileSync(path.join(dir, 'ca.pem'), tls.certificatePem);
  writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  emulator.keys.register('SANDBOX-SDKTLS', publicKey.export({ type: 'spki', format: 'pem' }).toString());
});
afterAll(() => tls.stop());

test('the SDK creates and reads a charge over https, with no setting changed', async () => {
  const host = `127.0.0.1:${tls.port}`;
  // With overrideServiceUrl the SDK signs the override string as x-amz-pay-host: the listener accepts its own host:port
  // beside the configured one, which stays as it was.
  expect(await fetchJson('/_sandbox/settings', 'GET')).toMatchObject({ expectedHost: 'pay-api.amazon.jp' });
  const cp = (await fetchJson('/_sandbox/charge-permissions', 'POST', { chargePermissionType: 'OneTime', amount: 5000 })) as { chargePermissionId: string };

  const script = `
    const { WebStoreClient } = require('@amazonpay/amazon-pay-api-sdk-nodejs');
    const fs = require('fs');
    const client = new WebStoreClient({ publicKeyId: 'SANDBOX-SDKTLS', privateKey: fs.readFileSync(process.argv[1], 'utf8'),
      region: 'jp', sandbox: true, algorithm: 'AMZN-PAY-RSASSA-PSS-V2', overrideServiceUrl: process.argv[2] });
    (async () => {
      const created = await client.createCharge({ chargePermissionId: process.argv[3], chargeAmount: { amount: '1200', currencyCode: 'JPY' }, captureNow: true },
        { 'x-amz-pay-idempotency-key': 'sdktls0001' });
      const read = await client.getCharge(created.data.chargeId);
      console.log(JSON.stringify({ created: created.status, state: read.data.statusDetails.state }));
    })().catch((e) => { console.error(e.response ? JSON.stringify(e.response.data) : e.message); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['-e', script, path.join(dir, 'key.pem'), host, cp.chargePermissionId], {
    cwd: path.resolve(__dirname, '../..'), env: { ...process.env, NODE_OPTIONS: '', NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') },
  });
  expect(JSON.parse(stdout.trim())).toEqual({ created: 201, state: 'Captured' });
}, 30_000);

test('on the TLS listener, any other wrong host is still refused', async () => {
  const cp = (await fetchJson('/_sandbox/charge-permissions', 'POST', { chargePermissionType: 'OneTime', amount: 5000 })) as { chargePermissionId: string };
  const get = (host: string) => {
    const path = `/v2/chargePermissions/${cp.chargePermissionId}`;
    const { headers } = signRequest({ method: 'GET', path, publicKeyId: 'SANDBOX-SDKTLS', privateKey, headers: amazonPayHeaders({ host, region: 'jp' }) });
    return request(path, 'GET', headers);
  };
  expect(await get(`127.0.0.1:${tls.port}`)).toMatchObject({ status: 200 });
  expect(await get(`localhost:${tls.port}`)).toMatchObject({ status: 200 });
  expect(await get('pay-api.amazon.jp')).toMatchObject({ status: 200 });
  for (const wrong of ['pay-api.amazon.com', `127.0.0.1:${tls.port + 1}`, '127.0.0.1']) {
    const res = await get(wrong);
    expect([wrong, res.status, JSON.parse(res.text)]).toEqual([wrong, 403, { reasonCode: 'InvalidRequestSignature', message: 'x-amz-pay-host must be pay-api.amazon.jp.' }]);
  }
});

/** The control plane over the same TLS listener, trusting its certificate. */
async function fetchJson(pathname: string, method: string, body?: unknown): Promise<unknown> {
  const res = await request(pathname, method, { 'content-type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
  if (res.status >= 300) throw new Error(`${res.status} ${res.text}`);
  return JSON.parse(res.text);
}

/** One request over the TLS listener, trusting its certificate. */
async function request(pathname: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: tls.port, path: pathname, method, ca: tls.certificatePem, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
