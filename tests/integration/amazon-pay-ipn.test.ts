import { SHOP_ID } from '../support/au-pay-fixtures';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';

/**
 * Amazon Pay through the real API, the Temporal dev server, PostgreSQL and the sandbox: the sandbox's SNS-signed IPN
 * reaches our endpoint, is verified, and wakes the workflow, which reads the charge; forged IPNs are refused.
 */
let world: ApiWorld;
let env: ApiWorld['env'];
let sandbox: ApiWorld['sandbox'];
let api: string;

beforeAll(async () => {
  world = await startApiWorld('amazon-pay-integration');
  ({ env, sandbox, api } = world);
  sandbox.amazonPayIpn.configure({ targetUrl: `${api}/shops/${SHOP_ID}/amazon-pay/ipn` });
}, 120_000);
afterAll(() => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi(`${api}${path}`, method, body);

test('a pending authorization approved at Amazon: the signed IPN reaches the API and the order is 審査完了 at once', async () => {
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
  const started = await call('POST', `/shops/${SHOP_ID}/amazon-pay/authorizations`, { orderId: 'IPN-1', chargePermissionId, amountJpy: 9800 });
  expect(started.status).toBe(202);
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/authorizations`, { orderId: 'IPN-1', chargePermissionId, amountJpy: 9800 })).status).toBe(200); // repeat: harmless, and says so

  const chargeId = await until(async () => ((await call('GET', `/shops/${SHOP_ID}/amazon-pay/orders/IPN-1`)).body.chargeId as string | null) ?? undefined);
  await sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Authorized' });
  // The workflow's own check is an hour away: only the IPN can finish this within the test.
  const order = await until(async () => {
    const o = (await call('GET', `/shops/${SHOP_ID}/amazon-pay/orders/IPN-1`)).body;
    return o.paymentStatus === '審査完了' ? o : undefined;
  });
  expect(order).toMatchObject({ creditStatus: 'Authorized', outbox: [expect.objectContaining({ event: 'amazon-pay.authorized' })] });
  await sandbox.amazonPayIpn.flush();
  const deliveries = sandbox.amazonPayIpn.deliveries();
  expect(deliveries.some((d) => d.outcome === 'delivered' && d.status === 200)).toBe(true);
});

test('forged, tampered or unsigned IPNs are refused with 4xx; an unknown object is acknowledged', async () => {
  // A genuine envelope from the sandbox's signer, then altered.
  const signer = (await import('../../amazon-pay/sns/sns-signer')).createSnsSigner();
  const certUrl = `${sandbox.url}/amazon-pay/__sns/SimpleNotificationService-renkei-sandbox.pem`;
  const message = JSON.stringify({ MerchantID: 'RENKEISANDBOXMERCHANT', ObjectType: 'CHARGE', ObjectId: 'S01-0000000-0000000-C000001', ChargePermissionId: 'S01-0000000-0000000', NotificationType: 'STATE_CHANGE', NotificationVersion: 'V2' });
  const genuine = await signer.notification({ message, signatureVersion: '2', signingCertUrl: certUrl, unsubscribeUrl: `${sandbox.url}/x` });
  const post = (body: unknown) => fetch(`${api}/shops/${SHOP_ID}/amazon-pay/ipn`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: JSON.stringify(body) });

  const ok = await post(genuine);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ ignored: expect.stringContaining('S01-0000000-0000000-C000001') });
  const tampered = await post({ ...genuine, Message: message.replace('C000001', 'C000002') });
  expect(tampered.status).toBe(403);
  expect(await tampered.json()).toMatchObject({ reason: 'bad-signature' });
  const foreignCert = await post({ ...genuine, SigningCertURL: 'https://evil.example.com/cert.pem' });
  expect(foreignCert.status).toBe(403);
  const unsigned = await post({ Type: 'Notification', Message: message });
  expect(unsigned.status).toBe(400);
});

test('recurring parents through the API: a plan over the cap is refused with 422; BuyerClosed arrives by IPN and ends the parent', async () => {
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 9800 });
  const plan = { parentOrderId: 'SUB-API-1', chargePermissionId, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(Date.now() + 3_600_000).toISOString() };
  const refused = await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring`, { ...plan, amountJpy: 120_000 });
  expect(refused).toMatchObject({ status: 422, body: { error: expect.stringContaining('plan refused') } });
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring`, { ...plan, interval: { unit: 'Fortnight', value: 1 }, amountJpy: 9800 })).status).toBe(400);

  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring`, { ...plan, amountJpy: 9800 })).status).toBe(202);
  const state = await until(async () => {
    const r = await call('GET', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1`);
    return r.status === 200 ? r.body : undefined;
  });
  expect(state).toMatchObject({ status: 'active', cycle: 1, amountJpy: 9800, children: [] });
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1/plan`, { amountJpy: 200_000 })).status).toBe(409);

  // The buyer cancels at Amazon: the sandbox sends the CHARGE_PERMISSION IPN, the API routes it, the parent reads and ends.
  await sandbox.control('POST', `/amazon-pay/_sandbox/charge-permissions/${chargePermissionId}/state`, { state: 'Closed', reasonCode: 'BuyerClosed' });
  await until(async () => {
    const r = await call('GET', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1`);
    return r.body.status === 'buyer-closed' ? true : undefined;
  });
  // refused while the parent winds down (the workflow's reason), and once it has closed (its final status)
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1/skip-next`)).status).toBe(409);
  await env.client.workflow.getHandle(amazonPayRecurringWorkflowId(SHOP_ID, 'SUB-API-1')).result();
  expect(await call('POST', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1/skip-next`)).toEqual({ status: 409, body: { error: 'finished: buyer-closed', status: 'buyer-closed' } });
  expect(await call('GET', `/shops/${SHOP_ID}/amazon-pay/recurring/SUB-API-1`)).toMatchObject({ status: 200, body: { status: 'buyer-closed' } });
  expect((await call('GET', `/shops/${SHOP_ID}/amazon-pay/recurring/NOPE-1`)).status).toBe(404);
});
