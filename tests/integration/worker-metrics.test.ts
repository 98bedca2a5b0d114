import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { freePort } from '../support/free-port';
import { parsePrometheus, sampleValue } from '../support/prometheus-text';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { callApi, startTestApi } from '../support/test-api';
import { until } from '../support/until';
import { startWorkerProcess } from '../support/worker-process';

/**
 * The worker's own /metrics port (issue 14 §5), on the real worker process: an au PAY order's status changes counted
 * by process and status, a failed market call and a mail counted, the Temporal SDK's own metrics (temporal_*) on the same
 * endpoint; and its logs, the SDK's among them, one JSON object a line with the order's shop, order and workflow.
 */
const taskQueue = 'worker-metrics';
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

test('status changes, a failed market call and the Temporal SDK on the worker’s /metrics; every log line JSON with the order’s fields', async () => {
  const port = await freePort();
  const lines: string[] = [];
  const worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
    AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY, SMTP_URL: sandbox.smtpUrl,
    WORKER_METRICS_PORT: String(port), LOG_LEVEL: 'info',
  }, (line) => lines.push(line));
  try {
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      return parsePrometheus(await res.text());
    };
    const entered = (samples: Awaited<ReturnType<typeof scrape>>, status: string) => sampleValue(samples, 'renkei_order_status_entered_total', { process: 'au-pay', status }) ?? 0;
    expect(entered(await scrape(), LINK_STATUS.completed)).toBe(0);

    // the market answers the ship-info push with a 503 once: a failed call, then the retry lands
    await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeInfoProc', kind: 'error', status: 503, times: 1 });
    sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: '900100' });
    const shipment = { orderId: 'WM-1', auPayOrderId: '900100', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-900100' };
    expect((await callApi(`${api.url}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', shipment)).status).toBe(202);
    await until(async () => (await db.pool.query(`SELECT 1 FROM au_pay_orders WHERE order_id = 'WM-1' AND link_status = $1`, [LINK_STATUS.completed])).rowCount === 1, 60_000);

    // an order the market does not know: 注文情報ステータス取得エラー, and the shop is mailed
    expect((await callApi(`${api.url}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', { ...shipment, orderId: 'WM-2', auPayOrderId: '900199' })).status).toBe(202);
    const mailed = await until(async () => {
      const now = await scrape();
      return sampleValue(now, 'renkei_mails_total', { outcome: 'sent' }) === 1 ? now : undefined;
    }, 60_000);
    expect(entered(mailed, LINK_STATUS.statusError)).toBe(1);
    expect(sandbox.sink.messages({ to: NOTIFY_EMAIL }).some((m) => m.text.includes('WM-2'))).toBe(true);

    const samples = await scrape();
    expect(entered(samples, LINK_STATUS.shipped)).toBe(1);
    expect(entered(samples, LINK_STATUS.completed)).toBe(1);
    expect(sampleValue(samples, 'renkei_external_call_failures_total', { provider: 'au-pay' })).toBe(1);
    // the Temporal SDK's own, through its runtime's Prometheus exporter, on the same scrape
    const sdk = new Set(samples.map((s) => s.name).filter((n) => n.startsWith('temporal_')));
    expect(sdk).toContain('temporal_activity_execution_latency_count');
    expect(sdk).toContain('temporal_activity_execution_failed_total');
    expect([...sdk].some((n) => n.startsWith('temporal_workflow_completed'))).toBe(true);
    expect(sampleValue(samples, 'process_start_time_seconds')).toBeGreaterThan(0);
  } finally {
    await worker.stop();
  }

  // one JSON object a line, whoever wrote it: renkei, the Temporal SDK, its Core
  const parsed = lines.filter((l) => l.trim()).map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { notJson: line };
    }
  });
  expect(parsed.filter((p) => 'notJson' in p)).toEqual([]);
  expect(parsed).toContainEqual(expect.objectContaining({ component: 'temporal', msg: 'Activity failed', workflowId: expect.any(String) }));
  expect(parsed.some((p) => 'taskToken' in p)).toBe(false);
  const workflowId = auPayShipmentWorkflowId(SHOP_ID, 'WM-1');
  expect(parsed).toContainEqual(expect.objectContaining({
    level: 'info', component: 'business', msg: 'order status changed', process: 'au-pay', status: LINK_STATUS.completed, shopId: SHOP_ID, orderId: 'WM-1', workflowId,
  }));
  expect(parsed).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'external call failed', provider: 'au-pay', operation: 'updateTradeInfoProc', orderId: 'WM-1', workflowId }));
}, 180_000);
