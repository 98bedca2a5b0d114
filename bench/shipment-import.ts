/**
 * `npm run bench:shipment-import [-- --rows N] [-- --quick]`: one shipment import of N rows (default 10,000; --quick:
 * 2,000) through the API, applied by the real worker process (workers/main.ts), against N minimal workflows of one
 * no-op activity each (as many activities as the import has rows), run by a minimal worker process
 * (bench/baseline-worker.ts) 10 at a time (the import's lanes), on one dev server, database and sandbox, in the same
 * run. Printed: rows/s and workflows/s and their ratio, each worker's peak RSS (VmHWM), and the import's runs
 * (continue-as-new): the largest run's history events and bytes, and the activities of all runs. Most rows are
 * own-store and ship-date-only; some of each other kind (au PAY, Yahoo, GMO-PG and Amazon Pay captures) ride along.
 * Nothing is asserted on time; the run fails when a row did not end `applied`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { parseKeyRing } from '../common/account-crypto';
import { createAccountStore } from '../db/provider-accounts';
import { startTsChild, stopChild, waitFor } from '../scripts/child-processes';
import { shipmentImportWorkflowId } from '../workflows/workflow-ids';
import { NOTIFY_EMAIL, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../tests/support/amazon-pay-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startDevServer } from '../tests/support/dev-server';
import { gmoAuthorize, gmoPgBaseUrl, METHODS, setUpCancelShop } from '../tests/support/order-cancel-fixtures';
import { connectExternalSystem } from '../tests/support/order-out-fixtures';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox } from '../tests/support/sandbox';
import { API_TOKEN, callApi, startTestApi } from '../tests/support/test-api';
import { until } from '../tests/support/until';
import { startWorkerProcess } from '../tests/support/worker-process';
import { YAHOO_APP, YAHOO_REFRESH_TOKEN, YAHOO_SELLER, yahooTestShop } from '../tests/support/yahoo-fixtures';
import { parseIntFlags } from './args';
import { baselineWorkflow } from './baseline-workflow';
import { runBench, type Cleanups } from './bench-main';
import { historyBytes } from './history-stats';
import { runPhase } from './run-phase';
import { cheapRow, pad6 as pad, shiftJisFile } from './shipment-file';

const USAGE = 'usage: npm run bench:shipment-import -- [--rows N] [--quick]   (N a positive integer, at least 1000, at most 100000; default 10000, --quick 2000)';
const TASK_QUEUE = 'bench-shipment-import';
const BASELINE_QUEUE = 'bench-shipment-baseline';
/** The import's lanes (workflows/shipment-import.ts): the baseline runs as many workflows at a time. */
const LANES = 10;
/** Rows of each costly kind; the rest are own-store and ship-date-only. */
const EACH_KIND = { auPay: 50, yahoo: 50, gmoPg: 50, amazonPay: 10 };
const EventType = proto.api.enums.v1.EventType;

/** A process's peak resident set (VmHWM) and current one (VmRSS), in MiB. */
function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

async function main(cleanups: Cleanups): Promise<number> {
  let rows: number;
  try {
    const argv = process.argv.slice(2);
    const quick = argv.includes('--quick');
    ({ rows } = parseIntFlags(argv.filter((a) => a !== '--quick'), { rows: quick ? 2000 : 10_000 }, USAGE));
    if (rows < 1000 || rows > 100_000) throw new Error(USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const { env, address } = await startDevServer();
  cleanups.push(() => env.teardown());
  const temporal = env.client as unknown as Client;
  const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  cleanups.push(() => Promise.all([db.stop(), sandbox.stop()]));
  const keyRing = `bench:${randomBytes(32).toString('base64')}`;
  const accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'bench'));
  amazonPayTestClient(sandbox);
  yahooTestShop(sandbox);
  await connectExternalSystem(accounts, sandbox, SHOP_ID);
  await setUpCancelShop(db.pool, accounts, sandbox, SHOP_ID);
  const api = await startTestApi({ temporal, db: db.pool, taskQueue: TASK_QUEUE, accounts });
  cleanups.push(() => api.stop());
  const shop = <B = Record<string, unknown>>(method: string, p: string, body?: unknown) => callApi<B>(`${api.url}/shops/${SHOP_ID}${p}`, method, body);

  // the renkei worker as production runs it, quiet: its per-row business lines are not the benchmark's output
  const worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
    SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL, ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'bench',
    AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY, AUPAY_TIMEOUT_MS: '10000',
    AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: writeTestKeyFile(),
    GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox),
    YAHOO_API_BASE_URL: `${sandbox.url}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${sandbox.url}/yahoo/yconnect/v2`,
    YAHOO_SELLER_ID: YAHOO_SELLER, YAHOO_CLIENT_ID: YAHOO_APP.clientId, YAHOO_CLIENT_SECRET: YAHOO_APP.clientSecret, YAHOO_REFRESH_TOKEN,
  });
  cleanups.push(() => worker.stop());

  // the file: setup (trades, orders, authorizations) is not measured
  const lines: string[] = [];
  for (let i = 0; i < EACH_KIND.auPay; i += 1) {
    const { orderId } = sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID });
    lines.push(`AU-${pad(i)},2026/11/20,佐川急便,3${pad(i)},au-pay,${orderId},,,`);
  }
  const orderTime = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < EACH_KIND.yahoo; i += 1) {
    const orderId = `${YAHOO_SELLER}-${30000000 + i}`;
    sandbox.yahoo.orders.create({ sellerId: YAHOO_SELLER, OrderId: orderId, OrderTime: new Date(orderTime) });
    lines.push(`${orderId},2026/11/20,ヤマト運輸,4${pad(i)},yahoo,,,,`);
  }
  for (let i = 0; i < EACH_KIND.gmoPg; i += 1) {
    await gmoAuthorize(sandbox, `GM-${pad(i)}`, new Date());
    lines.push(`GM-${pad(i)},2026/11/20,日本郵便,6${pad(i)},自社,,${METHODS.gmo},,確定する`);
  }
  for (let i = 0; i < EACH_KIND.amazonPay; i += 1) {
    const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 20000 });
    const r = await shop('POST', '/amazon-pay/authorizations', { orderId: `AP-${pad(i)}`, chargePermissionId, amountJpy: 5500, captureOnAuthorization: false });
    if (r.status !== 202) throw new Error(`authorization AP-${pad(i)}: ${r.status} ${r.text}`);
    lines.push(`AP-${pad(i)},2026/11/20,yamato,5${pad(i)},,,,,確定する`);
  }
  for (let i = 0; i < EACH_KIND.amazonPay; i += 1) {
    await until(async () => (await shop<{ creditStatus: string }>('GET', `/amazon-pay/orders/AP-${pad(i)}`)).body.creditStatus === 'Authorized', 120_000, 500);
  }
  const costly = lines.length;
  for (let i = 0; lines.length < rows; i += 1) lines.push(cheapRow(i));
  const file = shiftJisFile(lines);
  console.log(`shipment import benchmark: ${rows} rows (${EACH_KIND.auPay} au PAY, ${EACH_KIND.yahoo} Yahoo, ${EACH_KIND.gmoPg} GMO-PG SALES, `
    + `${EACH_KIND.amazonPay} Amazon Pay capture, ${rows - costly} own-store / ship-date-only), Shift_JIS, ${(file.length / 1024).toFixed(0)} KiB`);
  console.log(`against ${rows} baseline workflows of 1 no-op activity, ${LANES} in flight; both measured in this run, each worker its own process\n`);

  // phase A: the import, from the POST to the last row's outcome
  const tA = performance.now();
  const posted = await fetch(`${api.url}/shops/${SHOP_ID}/shipment-imports`, {
    method: 'POST', body: file, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/csv' },
  });
  const accepted = (await posted.json()) as { id: string; total: number; invalid: number };
  const postMs = performance.now() - tA;
  if (posted.status !== 202 || accepted.invalid !== 0) throw new Error(`import: ${posted.status} ${JSON.stringify(accepted).slice(0, 500)}`);
  const done = await until(async () => {
    const v = (await shop<{ status: string; counts: Record<string, number> }>('GET', `/shipment-imports/${accepted.id}`)).body;
    return v.status !== 'running' && v;
  }, 3_600_000, 200);
  const importMs = performance.now() - tA;
  if (done.status !== 'completed' || done.counts.applied !== rows) throw new Error(`import ended ${JSON.stringify(done)}`);
  // the au PAY chains and the captures it started settle before the worker's peak is read
  await until(async () => Number((await db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM order_shipments WHERE capture_status = '売上確定済み'`)).rows[0]!.n) === EACH_KIND.gmoPg + EACH_KIND.amazonPay, 300_000, 500);
  const importWorker = memoryOf(worker.process.pid!);
  // what the worker holds when the import ends: each order's data OUT delivery idles 10 minutes after its last row
  const openNow = (await temporal.workflow.count(`ExecutionStatus = 'Running'`)).count;
  const openOut = (await temporal.workflow.count(`ExecutionStatus = 'Running' AND WorkflowType = 'orderOutDeliveryWorkflow'`)).count;

  // the import's runs (continue-as-new): each run's history, the largest one's events and bytes
  const workflowId = shipmentImportWorkflowId(SHOP_ID, accepted.id);
  const runs: Array<{ events: number; bytes: number; activities: number }> = [];
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await temporal.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    const events = history.events ?? [];
    runs.push({ events: events.length, bytes: historyBytes(history), activities: events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length });
  }
  await worker.stop();

  // phase B: the baseline, on its own minimal worker process
  const baselineWorker = startTsChild('baseline', path.resolve(__dirname, 'baseline-worker.ts'), { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: BASELINE_QUEUE });
  cleanups.push(() => stopChild(baselineWorker));
  let polling = false;
  baselineWorker.process.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('baseline worker polling')) polling = true; });
  await waitFor('the baseline worker to poll', async () => polling, 90_000, baselineWorker);
  const b = await runPhase(rows, LANES, async (i) => {
    const handle = await temporal.workflow.start(baselineWorkflow, { workflowId: `bench-baseline:${i}`, taskQueue: BASELINE_QUEUE, args: [1] });
    return handle.result();
  });
  if (b.results.some((r) => r !== 1)) throw new Error('a baseline workflow did not run its activity');
  const baseline = memoryOf(baselineWorker.process.pid!);

  const largest = runs.reduce((m, r) => (r.events > m.events ? r : m), runs[0]!);
  const rate = (n: number, ms: number) => n / (ms / 1000);
  const table: Array<[string, string, string, string]> = [
    ['', 'import', 'baseline', 'import/baseline'],
    ['rows (workflows) per second', rate(rows, importMs).toFixed(1), rate(rows, b.wallMs).toFixed(1), `${(rate(rows, importMs) / rate(rows, b.wallMs)).toFixed(2)}x`],
    ['wall time (s)', (importMs / 1000).toFixed(1), (b.wallMs / 1000).toFixed(1), `${(importMs / b.wallMs).toFixed(2)}x`],
    ['worker peak RSS, VmHWM (MiB)', importWorker.peakMb.toFixed(0), baseline.peakMb.toFixed(0), `${(importWorker.peakMb / baseline.peakMb).toFixed(2)}x`],
    ['activities scheduled', String(runs.reduce((s, r) => s + r.activities, 0)), String(rows), ''],
  ];
  for (const [label, a, c, d] of table) console.log(`${label.padEnd(30)} ${a.padStart(10)} ${c.padStart(10)} ${d.padStart(16)}`);
  console.log(`\nPOST (parse, validate, store ${rows} rows, start): ${(postMs / 1000).toFixed(1)} s of the import's wall time`);
  console.log(`import workflow: ${runs.length} runs (continue-as-new); largest run ${largest.events} history events, ${(largest.bytes / 1024).toFixed(0)} KiB, ${largest.activities} activities`);
  console.log(`worker RSS now: import ${importWorker.rssMb.toFixed(0)} MiB, baseline ${baseline.rssMb.toFixed(0)} MiB`);
  console.log(`workflows open when the import ended: ${openNow}, of which ${openOut} order data OUT deliveries (idle 10 minutes after their last row, in the worker's cache)`);
  return 0;
}

runBench(main);
