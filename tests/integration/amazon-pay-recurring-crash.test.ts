import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { amazonPayRecurringWorkflow } from '../../workflows/amazon-pay-recurring';
import { closeParentUpdate } from '../../workflows/amazon-pay-recurring-messages';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../support/amazon-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * A recurring child charged while the worker dies: the real dev server, PostgreSQL, the sandbox, and the worker's own
 * entry point as a process. The retried activity sends the same idempotency key, Amazon (the sandbox) replays its first
 * answer, and the ledger shows one charge.
 */
const taskQueue = 'amazon-pay-recurring-crash';
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;

beforeAll(async () => {
  ({ env, address: address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  amazonPayTestClient(sandbox);
}, 120_000);

afterAll(async () => {
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

test('the worker killed while a child charge is in flight: after the restart, one charge for that child', async () => {
  const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: 9800 });
  const parentOrderId = 'CRASH-SUB-1';
  await insertRecurringParent(db.pool, { shopId: SHOP_ID, parentOrderId, chargePermissionId, amountJpy: 9800, intervalUnit: 'Month', intervalValue: 1 });
  // Amazon applies the charge at once and answers 4 s later: the kill lands in between.
  await sandbox.control('POST', '/amazon-pay/_sandbox/faults', { operation: 'createCharge', kind: 'slow', delayMs: 4000, times: 1 });

  const workerEnv = {
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
    SMTP_URL: sandbox.smtpUrl, AUPAY_BASE_URL: sandbox.auPayBaseUrl,
    AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: writeTestKeyFile(),
  };
  let worker = await startWorkerProcess(workerEnv);
  const handle = await env.client.workflow.start(amazonPayRecurringWorkflow, {
    workflowId: amazonPayRecurringWorkflowId(SHOP_ID, parentOrderId), taskQueue,
    args: [{ shopId: SHOP_ID, parentOrderId, chargePermissionId, captureNow: true, expiryWarningDays: 30,
      plan: { amountJpy: 9800, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date(Date.now() + 1000).toISOString() } }],
  });
  const charges = () => sandbox.amazonPay.kit.ledger.list({ operation: 'createCharge' }).filter((e) => e.applied);
  await until(async () => charges().length === 1);
  await worker.kill();

  worker = await startWorkerProcess(workerEnv);
  try {
    // The activity's 30 s start-to-close passes, then its retry replays the same key.
    await until(async () => (await listRecurringChildren(db.pool, SHOP_ID, parentOrderId)).length === 1, 90_000);
    const [child] = await listRecurringChildren(db.pool, SHOP_ID, parentOrderId);
    expect(child).toMatchObject({ cycle: 1, outcome: 'charged', chargeState: 'Captured' });
    expect(charges()).toHaveLength(1);
    expect(charges()[0]!.key).toBeDefined();
    // Wait for the workflow to be back at rest (it saved the parent after the child) before updating it: its next
    // workflow task first sits on the dead worker's sticky queue, and an update sent then stalled on the dev server.
    await until(async () => (await db.pool.query(`SELECT 1 FROM amazon_pay_recurring_parents WHERE parent_order_id = $1 AND expires_at IS NOT NULL`, [parentOrderId])).rowCount === 1, 90_000);
    // The parent is closed to end the test: accepted is enough here (the close itself is proven in
    // tests/workflows/amazon-pay-recurring.test.ts). Waiting for its completion after the worker kill hung one CI run
    // in seven on the dev server, with the close's activity never started; this file's dev server goes with the file.
    const close = await handle.startUpdate(closeParentUpdate, { args: ['test over'], waitForStage: WorkflowUpdateStage.ACCEPTED });
    expect(close.updateId).toEqual(expect.any(String));
  } finally {
    await worker.stop();
  }
}, 180_000);

