import { SHOP_ID } from '../support/au-pay-fixtures';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { amazonPayTestClient, mintChargePermission } from '../support/amazon-pay-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';
import { createSnsSigner } from '../../amazon-pay/sns/sns-signer';
import { SANDBOX_MERCHANT_ID } from '../../amazon-pay/emulator/ipn-sender';
import { amazonPayChargeStateWorkflowId } from '../../workflows/amazon-pay-authorization-messages';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';

/**
 * A charge that changes after its review ended (issue 13 §3, #1319), through the real API, the dev server, PostgreSQL
 * and the sandbox: a capture made in Seller Central after 審査完了 sends a signed IPN that is recorded (update, then one
 * order data OUT row), and the same IPN again, or another IPN about the same change, adds no second row.
 */
let world: ApiWorld;
let api: string;

beforeAll(async () => {
  world = await startApiWorld('amazon-pay-ipn-after-review');
  api = world.api;
  world.sandbox.amazonPayIpn.configure({ targetUrl: `${api}/shops/${SHOP_ID}/amazon-pay/ipn` });
}, 120_000);
afterAll(() => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi(`${api}${path}`, method, body);
const orderOf = async (orderId: string) => (await call('GET', `/shops/${SHOP_ID}/amazon-pay/orders/${orderId}`)).body as {
  paymentStatus: string; creditStatus: string; chargeId: string | null; referenceNumber: string | null;
  outbox: Array<{ event: string; payload: Record<string, unknown> }>;
};
const chargeStateRows = async (orderId: string) => (await orderOf(orderId)).outbox.filter((o) => o.event === 'amazon-pay.charge-state');

test('a Captured IPN after 審査完了 gives one order data OUT row; the same IPN twice, or a second IPN, still one', async () => {
  const { sandbox } = world;
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/authorizations`, { orderId: 'AFTER-1', chargePermissionId, amountJpy: 9800 })).status).toBe(202);
  const reviewed = await until(async () => {
    const o = await orderOf('AFTER-1');
    return o.paymentStatus === '審査完了' ? o : undefined;
  });
  const chargeId = reviewed.chargeId!;
  expect(reviewed.creditStatus).toBe('Authorized');

  // Captured in Seller Central: the sandbox sends the IPN, which the review workflow (finished) no longer waits for.
  await amazonPayTestClient(sandbox).captureCharge(chargeId, { captureAmount: { amount: '9800', currencyCode: 'JPY' } }, 'sellercentral-after-1');
  const captured = await until(async () => {
    const o = await orderOf('AFTER-1');
    return o.creditStatus === 'Captured' && o.outbox.some((r) => r.event === 'amazon-pay.charge-state') ? o : undefined;
  });
  expect(captured).toMatchObject({ paymentStatus: '審査完了', referenceNumber: chargeId });
  expect(await chargeStateRows('AFTER-1')).toEqual([
    expect.objectContaining({ payload: expect.objectContaining({ creditStatus: 'Captured', paymentStatus: '審査完了', chargeId }) }),
  ]);
  await sandbox.amazonPayIpn.flush();

  // The same IPN twice: taken in once; a second IPN about the same charge is looked at and writes nothing new.
  const signer = createSnsSigner();
  const message = JSON.stringify({ MerchantID: SANDBOX_MERCHANT_ID, ObjectType: 'CHARGE', ObjectId: chargeId, ChargePermissionId: chargePermissionId, NotificationType: 'STATE_CHANGE', NotificationVersion: 'V2' });
  const envelope = await signer.notification({ message, signatureVersion: '2', signingCertUrl: `${sandbox.url}/amazon-pay/__sns/SimpleNotificationService-renkei-sandbox.pem`, unsubscribeUrl: `${sandbox.url}/x` });
  const post = async () => {
    const r = await fetch(`${api}/shops/${SHOP_ID}/amazon-pay/ipn`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: JSON.stringify(envelope) });
    return { status: r.status, body: (await r.json()) as Record<string, string> };
  };
  const workflowId = amazonPayChargeStateWorkflowId(SHOP_ID, chargeId);
  expect(await post()).toEqual({ status: 200, body: { routed: workflowId } });
  expect(await post()).toEqual({ status: 200, body: { ignored: 'already taken in (same MessageId)' } });
  await world.env.client.workflow.getHandle(workflowId).result(); // the look the second IPN asked for is over
  expect(await chargeStateRows('AFTER-1')).toHaveLength(1);
});

test('the review workflow gone while the order still reads 審査中: the IPN is not dropped, the change is recorded', async () => {
  const { sandbox } = world;
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  await sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
  expect((await call('POST', `/shops/${SHOP_ID}/amazon-pay/authorizations`, { orderId: 'AFTER-2', chargePermissionId, amountJpy: 9800 })).status).toBe(202);
  const chargeId = await until(async () => (await orderOf('AFTER-2')).chargeId ?? undefined);
  await world.env.client.workflow.getHandle(amazonPayAuthorizationWorkflowId(SHOP_ID, 'AFTER-2')).terminate('lost for the test');

  await sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Authorized' }); // its IPN follows
  const recorded = await until(async () => {
    const o = await orderOf('AFTER-2');
    return o.creditStatus === 'Authorized' ? o : undefined;
  });
  expect(recorded.paymentStatus).toBe('審査中'); // the review's own status is the review's: only the charge is recorded
  expect(await chargeStateRows('AFTER-2')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ creditStatus: 'Authorized', chargeId }) })]);
});
