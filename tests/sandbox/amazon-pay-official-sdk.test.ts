import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import express from 'express';
import { createAmazonPayEmulator, type AmazonPayEmulator } from '../../amazon-pay/emulator';

/**
 * The official Node SDK (npm @amazonpay/amazon-pay-api-sdk-nodejs) signs, our emulator verifies. The SDK's own
 * transport always calls https://<host>/<path> (§2.2), so its `getSignedHeaders` makes the headers and fetch sends
 * them over plain HTTP. The SDK signs the path without any proxy prefix, so the emulator is mounted at the root here,
 * as it would be behind its own host name.
 */
interface SdkClient {
  getSignedHeaders(options: { method: string; urlFragment: string; payload?: unknown; headers?: Record<string, string> }): Record<string, string>;
}
const sdk = createRequire(__filename)('@amazonpay/amazon-pay-api-sdk-nodejs') as { WebStoreClient: new (config: Record<string, unknown>) => SdkClient };

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

let emulator: AmazonPayEmulator;
let server: Server;
let url = '';

beforeAll(async () => {
  emulator = createAmazonPayEmulator();
  const app = express();
  app.use(emulator.router);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const publicKeyId of ['SANDBOX-SDKTEST', 'AEXAMPLESDKKEY']) {
    emulator.keys.register(publicKeyId, PUBLIC_PEM);
  }
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function mint(): Promise<string> {
  const res = await fetch(`${url}/_sandbox/charge-permissions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chargePermissionType: 'Recurring', amount: '3980' }),
  });
  return ((await res.json()) as { chargePermissionId: string }).chargePermissionId;
}

/** Signs with the SDK, sends with fetch: exactly the headers and the body string the SDK would have sent. */
async function viaSdk(client: SdkClient, method: string, urlFragment: string, payload?: unknown, headers?: Record<string, string>) {
  const options: { method: string; urlFragment: string; payload?: unknown; headers?: Record<string, string> } = { method, urlFragment, payload, headers };
  const signed = client.getSignedHeaders(options); // prefixes urlFragment and stringifies payload in place
  const res = await fetch(`${url}/${options.urlFragment}`, { method, headers: signed, body: method === 'GET' ? undefined : (options.payload as string) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test.each([
  ['SANDBOX-SDKTEST', 'AMZN-PAY-RSASSA-PSS-V2'],
  ['AEXAMPLESDKKEY', undefined], // the SDK's default: the legacy algorithm, /sandbox/v2/…
])('key %s, algorithm %s: GET, POST with an idempotency key, DELETE with a body', async (publicKeyId, algorithm) => {
  const client = new sdk.WebStoreClient({ publicKeyId, privateKey: PRIVATE_PEM, region: 'jp', sandbox: true, ...(algorithm ? { algorithm } : {}) });
  const cpId = await mint();

  expect(await viaSdk(client, 'GET', `chargePermissions/${cpId}`)).toMatchObject({ status: 200, body: { chargePermissionId: cpId } });
  const created = await viaSdk(client, 'POST', 'charges', {
    chargePermissionId: cpId, chargeAmount: { amount: '3980', currencyCode: 'JPY' }, captureNow: true,
  }, { 'x-amz-pay-idempotency-key': `sdk${Date.now()}` });
  expect(created).toMatchObject({ status: 201, body: { statusDetails: { state: 'Captured' } } });
  expect(await viaSdk(client, 'DELETE', `chargePermissions/${cpId}/close`, { closureReason: 'sdk test' })).toMatchObject({
    status: 200, body: { statusDetails: { state: 'Closed' } },
  });
});

test('a request the SDK signed is refused once its body is changed', async () => {
  const client = new sdk.WebStoreClient({ publicKeyId: 'SANDBOX-SDKTEST', privateKey: PRIVATE_PEM, region: 'jp', sandbox: true, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' });
  const cpId = await mint();
  const options = { method: 'POST', urlFragment: 'charges', payload: { chargePermissionId: cpId, chargeAmount: { amount: '100', currencyCode: 'JPY' } } as unknown, headers: { 'x-amz-pay-idempotency-key': `sdkx${Date.now()}` } };
  const headers = client.getSignedHeaders(options);
  const res = await fetch(`${url}/${options.urlFragment}`, { method: 'POST', headers, body: (options.payload as string).replace('100', '900') });
  expect(res.status).toBe(403);
  expect(await res.json()).toMatchObject({ reasonCode: 'InvalidRequestSignature' });
});
