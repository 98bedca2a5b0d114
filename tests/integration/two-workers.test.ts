import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { API_KEY_REMINDERS_SCHEDULE_ID, MAIL_SUMMARIES_SCHEDULE_ID, yahooSweepScheduleId } from '../../workers/schedules';
import { mailThrottleSummariesWorkflow } from '../../workflows/mail-throttle-summaries';
import { ORDER_OUT_DISPATCHER_WORKFLOW_ID } from '../../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { until } from '../support/until';
import { startWorkerProcess } from '../support/worker-process';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * `docker compose up --scale worker=2`: two worker processes (workers/main.ts) start at once on the same task queue.
 * Each ensures the order data OUT dispatcher and the schedules at start; the race ends with one dispatcher and each
 * schedule once, both workers up, and work still done.
 */
const taskQueue = 'two-workers';
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let workers: Array<Awaited<ReturnType<typeof startWorkerProcess>>> = [];

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

test('two workers starting at once: one dispatcher, each schedule once, both polling, work done', async () => {
  const workerEnv = {
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
    SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL, AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY,
    // a key ring: the dispatcher and the api-key-reminders schedule; a Yahoo token: the configured shop's sweep schedule
    ACCOUNTS_KEYS: `test:${randomBytes(32).toString('base64')}`, ACCOUNTS_KEY_ID: 'test',
    YAHOO_REFRESH_TOKEN: 'rt.two-workers', YAHOO_API_BASE_URL: `${sandbox.url}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${sandbox.url}/yahoo/yconnect/v2`,
    WORKER_WORKFLOW_BUNDLE: workflowBundle.codePath,
  };
  workers = await Promise.all([startWorkerProcess(workerEnv), startWorkerProcess(workerEnv)]);

  // the dispatcher's id has had one run, and it is running (a second start would have made a second run or failed a worker)
  const runs = await until(async () => {
    const found: string[] = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = '${ORDER_OUT_DISPATCHER_WORKFLOW_ID}'` })) found.push(w.status.name);
    return found.length > 0 && found;
  }, 20_000, 250);
  expect(runs).toEqual(['RUNNING']);

  const schedules = [MAIL_SUMMARIES_SCHEDULE_ID, API_KEY_REMINDERS_SCHEDULE_ID, yahooSweepScheduleId(SHOP_ID)];
  const listed = await until(async () => {
    const ids: string[] = [];
    for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
    return schedules.every((id) => ids.includes(id)) && ids;
  }, 20_000, 250);
  expect([...listed].sort()).toEqual([...schedules].sort());

  // both still up, and the task queue served
  await expect(env.client.workflow.execute(mailThrottleSummariesWorkflow, { workflowId: 'two-workers-summaries', taskQueue })).resolves.toBe(0);
  expect(workers.map((w) => w.process.exitCode)).toEqual([null, null]);
});
