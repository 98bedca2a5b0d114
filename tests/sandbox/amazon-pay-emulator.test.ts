import { generateKeyPairSync } from 'node:crypto';
import { createAmazonPayClient, type AmazonPayClient } from '../../amazon-pay/client';
import { AmazonPayApiError } from '../../amazon-pay/errors';
import { amazonPayHeaders, signRequest } from '../../amazon-pay/signature';
import type { AmazonPayStateChange } from '../../amazon-pay/emulator';
import { chargeSchema, type Charge, type ChargePermission } from '../../amazon-pay/schemas';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

/** The Amazon Pay emulator over HTTP through the sandbox host (under /amazon-pay), with our client and raw signed requests. */
const KEY_ID = 'SANDBOX-RENKEI-TEST';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const HOST = 'pay-api.amazon.jp';
const DAY = 86_400_000;

let sandbox: TestSandbox;
let client: AmazonPayClient;
let changes: AmazonPayStateChange[] = [];
let unsubscribe: () => void;

const clientFor = (over: Partial<Parameters<typeof createAmazonPayClient>[0]> = {}) =>
  createAmazonPayClient({
    baseUrl: sandbox.amazonPayBaseUrl, host: HOST, region: 'jp', environment: 'sandbox', publicKeyId: KEY_ID, privateKey: PRIVATE_PEM, timeoutMs: 2000, ...over,
  });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = clientFor();
  unsubscribe = sandbox.amazonPay.onStateChange((c) => changes.push(c));
});
afterAll(async () => {
  unsubscribe();
  await sandbox.stop();
});
beforeEach(async () => {
  await control('POST', '/reset');
  await control('POST', '/keys', { publicKeyId: KEY_ID, publicKeyPem: PUBLIC_PEM });
  changes = [];
});

const control = <T = unknown>(method: string, path: string, body?: unknown) => sandbox.control<T>(method, `/amazon-pay/_sandbox${path}`, body);
const setClock = (iso: string) => control('POST', '/clock', { now: iso });
const advance = (ms: number) => control('POST', '/clock', { advanceMs: ms });
const mint = (body: Record<string, unknown> = {}) => control<ChargePermission>('POST', '/charge-permissions', body);
const recurring = (extra: Record<string, unknown> = {}) =>
  mint({ chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: '3980', ...extra });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AmazonPayApiError);
const yen = (amount: number) => ({ amount: String(amount), currencyCode: 'JPY' });
const ledger = (q = '') => control<{ entries: Array<{ operation: string; orderId: string; applied: boolean; effect: string; key?: string }> }>('GET', `/ledger${q}`).then((r) => r.entries);
let keyCounter = 0;
const newKey = () => `k${Date.now().toString(36)}${(keyCounter++).toString(36)}`;
const charge = (cpId: string, amount: number, extra: Record<string, unknown> = {}, key = newKey()) =>
  client.createCharge({ chargePermissionId: cpId, chargeAmount: yen(amount), ...extra }, key);

/** A signed request as any other client would send it, to any path under the sandbox host. */
async function signedFetch(
  method: string,
  path: string,
  o: { body?: unknown; idempotencyKey?: string; keyId?: string; unsigned?: Record<string, string>; drop?: string; signWith?: string } = {},
) {
  const body = o.body === undefined ? '' : JSON.stringify(o.body);
  const signed = signRequest({
    method, path, body, publicKeyId: o.keyId ?? KEY_ID, privateKey: o.signWith ?? PRIVATE_PEM,
    headers: amazonPayHeaders({ host: HOST, region: 'jp', idempotencyKey: o.idempotencyKey }),
  });
  const headers: Record<string, string> = { ...signed.headers, ...o.unsigned };
  if (o.drop) delete headers[o.drop];
  const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: o.body === undefined ? undefined : body });
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>, requestId: res.headers.get('x-amz-pay-request-id') };
}

test('signature errors answer the documented codes, with a request id', async () => {
  const cp = await mint();
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forged = await caught(clientFor({ privateKey: other }).getChargePermission(cp.chargePermissionId));
  expect(forged).toBeInstanceOf(AmazonPayApiError);
  expect(forged).toMatchObject({ status: 403, reasonCode: 'InvalidRequestSignature', retryable: false });
  expect(forged.requestId).toMatch(/^[0-9a-f-]{36}$/);

  const unknown = await caught(clientFor({ publicKeyId: 'SANDBOX-NOBODY' }).getChargePermission(cp.chargePermissionId));
  expect(unknown).toMatchObject({ status: 403, reasonCode: 'InvalidAuthentication', retryable: false });

  const noDate = await signedFetch('GET', `/amazon-pay/v2/chargePermissions/${cp.chargePermissionId}`, { drop: 'x-amz-pay-date' });
  expect(noDate).toMatchObject({ status: 400, json: { reasonCode: 'MissingHeader' } });
  expect(noDate.requestId).toBeTruthy();

  const wrongHost = await caught(clientFor({ host: 'pay-api.amazon.com' }).getChargePermission(cp.chargePermissionId));
  expect(wrongHost).toMatchObject({ status: 403, reasonCode: 'InvalidRequestSignature' });
});

test('path forms: /v2 and /sandbox/v2, with or without a trailing slash; a SANDBOX- key cannot call /live', async () => {
  const cp = await mint();
  const id = cp.chargePermissionId;
  for (const path of [`/amazon-pay/v2/chargePermissions/${id}`, `/amazon-pay/v2/chargePermissions/${id}/`, `/amazon-pay/sandbox/v2/chargePermissions/${id}/`]) {
    const res = await signedFetch('GET', path);
    expect([path, res.status, res.json.chargePermissionId]).toEqual([path, 200, id]);
  }
  expect(await signedFetch('GET', `/amazon-pay/live/v2/chargePermissions/${id}`)).toMatchObject({ status: 403, json: { reasonCode: 'InvalidAuthentication' } });

  // a key that is not environment-specific: our client puts the environment in the path
  await control('POST', '/keys', { publicKeyId: 'AEXAMPLEKEY', publicKeyPem: PUBLIC_PEM });
  await expect(clientFor({ publicKeyId: 'AEXAMPLEKEY' }).getChargePermission(id)).resolves.toMatchObject({ chargePermissionId: id });
  // Live objects are not found on sandbox, and the reverse
  const live = await clientFor({ publicKeyId: 'AEXAMPLEKEY', environment: 'live' }).getChargePermission(id).catch((e: unknown) => e);
  expect(live).toMatchObject({ status: 404, reasonCode: 'ResourceNotFound' });
  expect(await caught(client.getCharge(`${id}-C999999`))).toMatchObject({ status: 404, reasonCode: 'ResourceNotFound', retryable: false });
});

test('create, get, capture, cancel and refund: the happy paths, the ledger and the state changes', async () => {
  const cp = await mint({ amount: '10000', merchantMetadata: { merchantReferenceId: 'order-1' } });
  expect(cp).toMatchObject({ chargePermissionType: 'OneTime', statusDetails: { state: 'Chargeable', reasons: null }, limits: { amountLimit: yen(10000), amountBalance: yen(10000) } });
  const id = cp.chargePermissionId;

  const authorized = await charge(id, 6000, { merchantMetadata: { merchantReferenceId: 'order-1' } });
  expect(authorized).toMatchObject({ chargeId: `${id}-C000001`, statusDetails: { state: 'Authorized', reasonCode: null }, captureAmount: null, chargeAmount: yen(6000) });
  expect(await client.getCharge(authorized.chargeId)).toEqual(authorized);
  const captured = await client.captureCharge(authorized.chargeId, { captureAmount: yen(6000) }, newKey());
  expect(captured).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: yen(6000) });

  const second = await charge(id, 4000);
  const canceled = await client.cancelCharge(second.chargeId, { cancellationReason: 'out of stock' });
  expect(canceled.statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'MerchantCanceled', reasonDescription: 'out of stock' });
  expect(await caught(client.cancelCharge(second.chargeId, {}))).toMatchObject({ status: 422, reasonCode: 'InvalidChargeStatus' });
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(4000));

  const refund = await client.createRefund({ chargeId: captured.chargeId, refundAmount: yen(1000) }, newKey());
  expect(refund).toMatchObject({ refundId: `${id}-R000001`, statusDetails: { state: 'RefundInitiated' } });
  expect(await caught(client.createRefund({ chargeId: captured.chargeId, refundAmount: yen(6000) }, newKey()))).toMatchObject({ status: 400, reasonCode: 'TransactionAmountExceeded' });
  await advance(5 * 60_000); // the refund delay setting
  expect((await client.getRefund(refund.refundId)).statusDetails.state).toBe('Refunded');
  expect((await client.getCharge(captured.chargeId)).refundedAmount).toEqual(yen(1000));

  const closed = await client.closeChargePermission(id, { closureReason: 'done' });
  expect(closed.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'MerchantClosed', reasonDescription: 'done' }] });
  expect(await caught(charge(id, 100))).toMatchObject({ status: 422, reasonCode: 'InvalidChargePermissionStatus' });

  expect((await ledger(`?orderId=${id}`)).map((e) => [e.operation, e.applied])).toEqual([
    ['createCharge', true], ['createCharge', true], ['closeChargePermission', true],
  ]);
  expect(changes.map((c) => `${c.objectType} ${c.objectId.slice(id.length) || 'cp'}`)).toEqual([
    'CHARGE -C000001', 'CHARGE -C000001', 'CHARGE -C000002', 'CHARGE -C000002', 'REFUND -R000001', 'REFUND -R000001', 'CHARGE_PERMISSION cp',
  ]);
  expect(changes.every((c) => c.chargePermissionId === id)).toBe(true);
});

test('idempotency: a replay returns the identical body and adds no effect; another body with the key is refused', async () => {
  const cp = await mint();
  const key = newKey();
  const body = { chargePermissionId: cp.chargePermissionId, chargeAmount: yen(3980), captureNow: true };
  const first = await signedFetch('POST', '/amazon-pay/v2/charges', { body, idempotencyKey: key });
  const again = await signedFetch('POST', '/amazon-pay/v2/charges/', { body, idempotencyKey: key });
  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.text).toBe(first.text);
  expect(await client.createCharge(body, key)).toEqual(chargeSchema.parse(JSON.parse(first.text)));
  const effects = (await ledger()).filter((e) => e.key === key);
  expect(effects).toHaveLength(1);
  expect(effects[0]).toMatchObject({ operation: 'createCharge', orderId: cp.chargePermissionId, applied: true });

  const changed = await caught(client.createCharge({ ...body, chargeAmount: yen(3981) }, key));
  expect(changed).toMatchObject({ status: 400, reasonCode: 'DuplicateIdempotencyKey', retryable: false });
  expect(await signedFetch('POST', '/amazon-pay/v2/charges', { body })).toMatchObject({ status: 400, json: { reasonCode: 'MissingHeader' } });

  // a 422 is saved and replayed; a 5xx is not, so the transport retry with the same key succeeds
  await control('POST', '/outcomes', { kind: 'decline', operation: 'createCharge', reasonCode: 'SoftDeclined' });
  const declineKey = newKey();
  expect(await caught(charge(cp.chargePermissionId, 500, {}, declineKey))).toMatchObject({ status: 422, reasonCode: 'SoftDeclined', retryable: false });
  expect(await caught(charge(cp.chargePermissionId, 500, {}, declineKey))).toMatchObject({ status: 422, reasonCode: 'SoftDeclined' });
  await control('POST', '/outcomes', { kind: 'error', operation: 'createCharge', status: 500, reasonCode: 'ProcessingFailure' });
  const failKey = newKey();
  expect(await caught(charge(cp.chargePermissionId, 500, {}, failKey))).toMatchObject({ status: 500, reasonCode: 'ProcessingFailure', retryable: true });
  await expect(charge(cp.chargePermissionId, 500, {}, failKey)).resolves.toMatchObject({ statusDetails: { state: 'Authorized' } });
});

test('the JP monthly cap: ¥100,000 per Recurring CP per JST calendar month, with amountBalance', async () => {
  await setClock('2027-01-31T23:30:00+09:00'); // still January in Tokyo (14:30 UTC)
  const cp = await recurring();
  expect(cp.limits).toEqual({ amountLimit: yen(100000), amountBalance: yen(100000) });
  const id = cp.chargePermissionId;
  await charge(id, 60000, { captureNow: true });
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(40000));
  const over = await caught(charge(id, 60000, { captureNow: true }));
  expect(over).toMatchObject({ status: 400, reasonCode: 'PeriodicAmountExceeded', retryable: false });
  // a declined charge gives its amount back (setting), so ¥40,000 is still there
  await control('POST', '/outcomes', { kind: 'decline', operation: 'createCharge', reasonCode: 'SoftDeclined' });
  await caught(charge(id, 40000));
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(40000));

  await setClock('2027-02-01T00:10:00+09:00'); // February in Tokyo, still Jan 31 in UTC
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(100000));
  await charge(id, 60000, { captureNow: true });
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(40000));

  // the same instants counted in UTC: both charges fall in January
  await control('POST', '/settings', { capTimeZone: 'UTC' });
  expect((await client.getChargePermission(id)).limits?.amountBalance).toEqual(yen(0));
});

test('a Recurring CP expires 13 months after its last successful authorization', async () => {
  await setClock('2026-01-15T00:00:00Z');
  const cp = await recurring();
  expect(cp.expirationTimestamp).toBe('20270215T000000Z');
  await setClock('2026-12-15T00:00:00Z');
  await charge(cp.chargePermissionId, 3980, { captureNow: true });
  expect((await client.getChargePermission(cp.chargePermissionId)).expirationTimestamp).toBe('20280115T000000Z');

  await setClock('2027-06-01T00:00:00Z'); // past the first expiry: the charge kept it open
  expect((await client.getChargePermission(cp.chargePermissionId)).statusDetails.state).toBe('Chargeable');
  changes = [];
  await setClock('2028-01-16T00:00:00Z');
  const expired = await client.getChargePermission(cp.chargePermissionId);
  expect(expired.statusDetails).toMatchObject({ state: 'Closed', reasons: [{ reasonCode: 'Expired' }], lastUpdatedTimestamp: '20280115T000000Z' });
  expect(changes).toEqual([{ objectType: 'CHARGE_PERMISSION', objectId: cp.chargePermissionId, chargePermissionId: cp.chargePermissionId }]);
  expect(await caught(charge(cp.chargePermissionId, 3980))).toMatchObject({ status: 422, reasonCode: 'InvalidChargePermissionStatus' });
});

test('pending authorization: 201 AuthorizationInitiated, resolved by the clock or by the control plane', async () => {
  const cp = await recurring();
  const id = cp.chargePermissionId;
  await control('POST', '/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId: id, delayMs: 60_000, finalState: 'Authorized' });
  const pending = await charge(id, 3980, { canHandlePendingAuthorization: true, captureNow: true });
  expect(pending.statusDetails.state).toBe('AuthorizationInitiated');
  await advance(59_000);
  expect((await client.getCharge(pending.chargeId)).statusDetails.state).toBe('AuthorizationInitiated');
  await advance(1_000);
  expect(await client.getCharge(pending.chargeId)).toMatchObject({ statusDetails: { state: 'Captured' }, captureAmount: yen(3980) });

  // the simulation header: pending, then ended by the control plane with a hard decline
  const sim = await signedFetch('POST', '/amazon-pay/v2/charges', {
    body: { chargePermissionId: id, chargeAmount: yen(1000), canHandlePendingAuthorization: true }, idempotencyKey: newKey(),
    unsigned: { 'x-amz-pay-simulation-code': 'AuthorizationInitiated' },
  });
  expect(sim).toMatchObject({ status: 201, json: { statusDetails: { state: 'AuthorizationInitiated' } } });
  const chargeId = sim.json.chargeId as string;
  const resolved = await control<Charge>('POST', `/charges/${chargeId}/resolve`, { state: 'Declined', reasonCode: 'HardDeclined' });
  expect(resolved.statusDetails).toMatchObject({ state: 'Declined', reasonCode: 'HardDeclined' });
  expect((await client.getChargePermission(id)).statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'PaymentMethodInvalid' }] });
  expect(await signedFetch('POST', '/amazon-pay/v2/charges', {
    body: { chargePermissionId: id, chargeAmount: yen(1000) }, idempotencyKey: newKey(), unsigned: { 'x-amz-pay-simulation-code': 'NoSuchCode' },
  })).toMatchObject({ status: 400, json: { reasonCode: 'InvalidSandboxSimulationSpecified' } });
  expect(await control('POST', `/charges/${chargeId}/resolve`, { state: 'Authorized' }).catch((e: Error) => e.message)).toMatch(/409/);
});

test('a synchronous HardDecline is a 422 without a Charge and makes the CP NonChargeable; the buyer fixes it', async () => {
  const cp = await recurring();
  const id = cp.chargePermissionId;
  const res = await signedFetch('POST', '/amazon-pay/sandbox/v2/charges', {
    body: { chargePermissionId: id, chargeAmount: yen(3980) }, idempotencyKey: newKey(), unsigned: { 'x-amz-pay-simulation-code': 'HardDeclined' },
  });
  expect(res).toMatchObject({ status: 422, json: { reasonCode: 'HardDeclined' } });
  expect((await control<{ charges: unknown[] }>('GET', `/charge-permissions/${id}`)).charges).toEqual([]);
  expect((await client.getChargePermission(id)).statusDetails).toMatchObject({ state: 'NonChargeable', reasons: [{ reasonCode: 'PaymentMethodInvalid' }] });
  expect(await caught(charge(id, 3980))).toMatchObject({ status: 422, reasonCode: 'InvalidChargePermissionStatus' });
  expect(changes).toEqual([{ objectType: 'CHARGE_PERMISSION', objectId: id, chargePermissionId: id }]);

  await control('POST', `/charge-permissions/${id}/state`, { state: 'Chargeable' });
  await expect(charge(id, 3980)).resolves.toMatchObject({ statusDetails: { state: 'Authorized' } });
});

test('BuyerClosed: the next createCharge is 422 InvalidChargePermissionStatus', async () => {
  const cp = await recurring();
  await control('POST', `/charge-permissions/${cp.chargePermissionId}/state`, { state: 'Closed', reasonCode: 'BuyerClosed' });
  expect(await caught(charge(cp.chargePermissionId, 3980))).toMatchObject({ status: 422, reasonCode: 'InvalidChargePermissionStatus' });
  expect((await client.getChargePermission(cp.chargePermissionId)).statusDetails.reasons).toEqual([
    { reasonCode: 'BuyerClosed', reasonDescription: 'The buyer closed the Charge Permission.' },
  ]);
});

test('time-driven charge states: capture after 7 days is CaptureInitiated, an unused authorization expires', async () => {
  await setClock('2026-11-01T00:00:00Z');
  const cp = await recurring();
  const late = await charge(cp.chargePermissionId, 3980);
  const unused = await charge(cp.chargePermissionId, 1000);
  await advance(8 * DAY);
  const initiated = await client.captureCharge(late.chargeId, { captureAmount: yen(3980) }, newKey());
  expect(initiated.statusDetails.state).toBe('CaptureInitiated');
  await advance(60 * 60_000); // the capture delay setting
  expect((await client.getCharge(late.chargeId)).statusDetails.state).toBe('Captured');
  await advance(22 * DAY);
  expect((await client.getCharge(unused.chargeId)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ExpiredUnused', lastUpdatedTimestamp: '20261201T000000Z' });
});

test('close with cancelPendingCharges cancels open charges (ChargePermissionCanceled)', async () => {
  const cp = await recurring();
  const open = await charge(cp.chargePermissionId, 1000);
  await client.closeChargePermission(cp.chargePermissionId, { closureReason: 'member left', cancelPendingCharges: true });
  expect((await client.getCharge(open.chargeId)).statusDetails).toMatchObject({ state: 'Canceled', reasonCode: 'ChargePermissionCanceled' });
  expect(await caught(client.closeChargePermission(cp.chargePermissionId, {}))).toMatchObject({ status: 422, reasonCode: 'InvalidChargePermissionStatus' });
});

test('fault → recovery → reset: an injected 503 changes nothing, the next call works, reset clears everything', async () => {
  const cp = await recurring();
  await control('POST', '/faults', { operation: 'createCharge', kind: 'error', status: 503, times: 1 });
  const key = newKey();
  const err = await caught(charge(cp.chargePermissionId, 3980, {}, key));
  expect(err).toMatchObject({ status: 503, reasonCode: 'ServiceUnavailable', retryable: true });
  expect(await ledger()).toEqual([]);
  await expect(charge(cp.chargePermissionId, 3980, {}, key)).resolves.toMatchObject({ statusDetails: { state: 'Authorized' } });

  await control('POST', '/faults', { operation: 'getChargePermission', kind: 'timeout', delayMs: 600, times: 1 });
  expect(await caught(clientFor({ timeoutMs: 200 }).getChargePermission(cp.chargePermissionId))).toMatchObject({ reasonCode: 'RequestTimeout', retryable: true, status: undefined });

  await control('POST', '/reset');
  expect(await ledger()).toEqual([]);
  expect((await control<{ faults: unknown[] }>('GET', '/faults')).faults).toEqual([]);
  expect(await caught(client.getChargePermission(cp.chargePermissionId))).toMatchObject({ status: 403, reasonCode: 'InvalidAuthentication' }); // keys are gone too
});

test('bad request bodies are Amazon errors; bad control-plane input is a 400 naming the field', async () => {
  const cp = await mint();
  expect(await signedFetch('POST', '/amazon-pay/v2/charges', { body: { chargePermissionId: cp.chargePermissionId }, idempotencyKey: newKey() }))
    .toMatchObject({ status: 400, json: { reasonCode: 'MissingParameterValue' } });
  expect(await caught(charge(cp.chargePermissionId, 1.5))).toMatchObject({ status: 400, reasonCode: 'InvalidParameterValue' });
  expect(await caught(client.createCharge({ chargePermissionId: cp.chargePermissionId, chargeAmount: { amount: '10', currencyCode: 'USD' } }, newKey())))
    .toMatchObject({ status: 400, reasonCode: 'CurrencyMismatch' });

  for (const [path, body, field] of [
    ['/charge-permissions', { type: 'Recurring' }, '(body)'], // unknown keys are refused, not ignored
    ['/charge-permissions', { chargePermissionType: 'OneTime', frequency: { unit: 'Month', value: '1' } }, 'frequency'],
    ['/outcomes', { kind: 'explode', operation: 'createCharge' }, 'kind'],
    ['/outcomes', { kind: 'pending', operation: 'createCharge', finalState: 'Refunded' }, 'finalState'],
    ['/settings', { capTimeZone: 'Mars/Olympus' }, 'capTimeZone'],
    ['/keys', { publicKeyId: 'X', publicKeyPem: 'not a pem' }, 'publicKeyPem'],
  ] as const) {
    const res = await fetch(`${sandbox.url}/amazon-pay/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect([path, res.status]).toEqual([path, 400]);
    expect((await res.json()) as unknown).toMatchObject({ issues: [{ field }] });
  }
});

test('updateChargePermission changes merchantMetadata and, on an open Recurring CP, recurringMetadata', async () => {
  const cp = await recurring({ merchantMetadata: { merchantReferenceId: 'sub-1' } });
  const updated = await client.updateChargePermission(cp.chargePermissionId, {
    merchantMetadata: { merchantStoreName: 'Example Store' },
    recurringMetadata: { frequency: { unit: 'Month', value: '2' }, amount: yen(4980) },
  });
  expect(updated.merchantMetadata).toMatchObject({ merchantReferenceId: 'sub-1', merchantStoreName: 'Example Store' });
  expect(updated.recurringMetadata).toEqual({ frequency: { unit: 'Month', value: '2' }, amount: yen(4980) });
  await client.closeChargePermission(cp.chargePermissionId, {});
  expect(await caught(client.updateChargePermission(cp.chargePermissionId, { recurringMetadata: { frequency: { unit: 'Month', value: '1' } } })))
    .toMatchObject({ status: 422, reasonCode: 'ChargePermissionNotModifiable' });
  await expect(client.updateChargePermission(cp.chargePermissionId, { merchantMetadata: { noteToBuyer: 'bye' } })).resolves.toMatchObject({ statusDetails: { state: 'Closed' } });
});

test('the throttle (a setting) answers 429 TooManyRequests until the bucket refills on the emulator clock', async () => {
  const cp = await mint();
  await control('POST', '/settings', { throttle: { burst: 2, restorePerSecond: 1 } });
  await client.getChargePermission(cp.chargePermissionId);
  await client.getChargePermission(cp.chargePermissionId);
  expect(await caught(client.getChargePermission(cp.chargePermissionId))).toMatchObject({ status: 429, reasonCode: 'TooManyRequests', retryable: true });
  await advance(1_000);
  await expect(client.getChargePermission(cp.chargePermissionId)).resolves.toMatchObject({ chargePermissionId: cp.chargePermissionId });
});
