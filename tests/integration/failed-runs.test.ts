import { WorkflowFailedError } from '@temporalio/client';
import { PROCESS_FAILED_SUBJECT } from '../../mail/process-failure-mail';
import { amazonPayAuthorizationWorkflowId, amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { mintChargePermission } from '../support/amazon-pay-fixtures';
import { callApi } from '../support/test-api';
import { until } from '../support/until';

/**
 * A process that fails shows as failed on its order (status, reason, a mail to the shop), never as still running;
 * once the cause is fixed, the same request runs it again and it succeeds.
 */
let world: ApiWorld;
let env: ApiWorld['env'];
let sandbox: ApiWorld['sandbox'];

beforeAll(async () => {
  world = await startApiWorld('failed-runs');
  ({ env, sandbox } = world);
}, 120_000);
afterAll(() => world?.stop());

const call = (method: string, path: string, body?: unknown) => callApi(`${world.api}/shops/${SHOP_ID}/amazon-pay${path}`, method, body);
const failureMails = (orderId: string) => sandbox.sink.messages().filter((m) => m.subject === PROCESS_FAILED_SUBJECT && m.text.includes(orderId));

test('an authorization whose permission cannot be charged: 審査エラー with the reason and a mail; re-requested once the buyer fixed it, it is reviewed', async () => {
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
  await sandbox.control('POST', `/amazon-pay/_sandbox/charge-permissions/${chargePermissionId}/state`, { state: 'NonChargeable', reasonCode: 'PaymentMethodInvalid' });
  const request = { orderId: 'FAIL-1', chargePermissionId, amountJpy: 9800 };
  expect((await call('POST', '/authorizations', request)).status).toBe(202);

  const failed = await until(async () => {
    const o = (await call('GET', '/orders/FAIL-1')).body;
    return o.paymentStatus === '審査エラー' ? o : undefined;
  });
  expect(failed).toMatchObject({ failure: { process: 'amazonPayAuthorizationWorkflow', reason: expect.stringMatching(/NonChargeable|InvalidChargePermissionStatus/) } });
  expect(failed.lastError).toEqual((failed.failure as { reason: string }).reason);
  // recorded before the workflow fails: then Temporal shows it failed too
  await expect(env.client.workflow.getHandle(amazonPayAuthorizationWorkflowId(SHOP_ID, 'FAIL-1')).result()).rejects.toBeInstanceOf(WorkflowFailedError);
  await until(() => failureMails('FAIL-1').length === 1);
  expect(failureMails('FAIL-1')[0]!.text).toContain('Amazon Pay 非同期オーソリ');

  // the buyer updates the payment method; the shop sends the same request again: a new run, a new idempotency key
  await sandbox.control('POST', `/amazon-pay/_sandbox/charge-permissions/${chargePermissionId}/state`, { state: 'Chargeable' });
  expect((await call('POST', '/authorizations', request)).status).toBe(202);
  const reviewed = await until(async () => {
    const o = (await call('GET', '/orders/FAIL-1')).body;
    return o.paymentStatus === '審査完了' ? o : undefined;
  });
  expect(reviewed).toMatchObject({ failure: null, creditStatus: expect.stringMatching(/Authorized|Captured/) });
  expect(sandbox.amazonPay.kit.ledger.list({ operation: 'createCharge' }).filter((e) => e.applied)).toHaveLength(1);
  // a finished review is not run a third time (the row says 審査完了 a workflow task before the run has closed: wait for it)
  expect(await env.client.workflow.getHandle(amazonPayAuthorizationWorkflowId(SHOP_ID, 'FAIL-1')).result()).toMatchObject({ paymentStatus: '審査完了' });
  expect(await call('POST', '/authorizations', request)).toMatchObject({ status: 200, body: { note: expect.stringContaining('already finished') } });
});

test('a recurring parent whose permission does not exist: failed with the reason, not active', async () => {
  const plan = { parentOrderId: 'FAIL-SUB-1', chargePermissionId: 'S01-0000000-9999999', amountJpy: 5000, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(Date.now() + 1_000).toISOString() };
  expect((await call('POST', '/recurring', plan)).status).toBe(202);
  const parent = await until(async () => {
    const p = (await call('GET', '/recurring/FAIL-SUB-1')).body;
    return p.status === 'failed' ? p : undefined;
  }, 60_000);
  expect(parent).toMatchObject({ failure: { process: 'amazonPayRecurringWorkflow', reason: expect.stringMatching(/ResourceNotFound|does not exist/) } });
  await expect(env.client.workflow.getHandle(amazonPayRecurringWorkflowId(SHOP_ID, 'FAIL-SUB-1')).result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect(await call('POST', '/recurring/FAIL-SUB-1/skip-next')).toEqual({ status: 409, body: { error: 'finished: failed', status: 'failed' } });
  await until(() => failureMails('FAIL-SUB-1').length === 1);
});
