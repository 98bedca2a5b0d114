import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { callApi, startTestApi } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';

/**
 * Through the real API, the Temporal dev server, PostgreSQL, the sandbox and the worker's own entry point running as
 * a separate process.
 */
const taskQueue = 'au-pay-integration';
let env: TestWorkflowEnvironment;
let temporalAddress: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let api: string;

beforeAll(async () => {
  ({ env, address: temporalAddress } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
  api = testApi.url;
}, 120_000);

afterAll(async () => {
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const call = (method: string, path: string, body?: unknown, token?: string | null) => callApi<Record<string, unknown> & { issues?: Array<{ field: string; reason: string }> }>(`${api}${path}`, method, body, token);

const shipment = (orderId: string, auPayOrderId: string) => ({
  orderId, auPayOrderId, managementClass: '通常', shipDate: '2026/11/20', carrier: '6', trackingNumber: `T-${auPayOrderId}`,
});

describe('API input', () => {
  test('health needs no token and reports both dependencies', async () => {
    expect(await call('GET', '/health', undefined, null)).toEqual({ status: 200, body: { ok: true, db: true, temporal: true } });
  });

  test('every other endpoint needs the bearer token', async () => {
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, null)).status).toBe(401);
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/history`, undefined, 'wrong-token')).status).toBe(401);
  });

  test('bad input is a 400 naming each field and the reason', async () => {
    const res = await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, { orderId: 'bad id!', auPayOrderId: 'x', managementClass: '通常', shipDate: '2026/02/30', carrier: '3' });
    expect(res.status).toBe(400);
    expect(res.body.issues!.map((i) => i.field).sort()).toEqual(['auPayOrderId', 'carrier', 'orderId', 'shipDate']);
    expect(res.body.issues!.find((i) => i.field === 'shipDate')?.reason).toMatch(/YYYY-MM-DD/);
    expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/X-1/link-status`, { status: '出荷情報反映エラー' })).status).toBe(400);
  });

  test('unknown shop and unknown order are 404', async () => {
    expect(await call('POST', '/shops/nobody/au-pay/shipments', shipment('A-1', '1'))).toMatchObject({ status: 404, body: { error: 'unknown shop nobody' } });
    expect((await call('GET', `/shops/${SHOP_ID}/au-pay/orders/NOPE-1`)).status).toBe(404);
    expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/NOPE-1/link-status`, { status: '空欄' })).status).toBe(404);
  });
});

describe('crash in the middle', () => {
  test('50 shipments, the worker killed and restarted mid-way: every order shipped and completed exactly once', async () => {
    const N = 50;
    const orders = Array.from({ length: N }, (_, i) => ({ orderId: `CRASH-${i + 1}`, auPayOrderId: String(800000 + i) }));
    for (const o of orders) sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: o.auPayOrderId });
    // Every answer comes a second after the market applied the call: a kill in that second leaves calls whose
    // effect landed but whose answer never reached the worker, the case a retry must not push twice.
    await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: '*', kind: 'slow', delayMs: 1000 });

    for (const o of orders) {
      const res = await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, shipment(o.orderId, o.auPayOrderId));
      expect(res.status).toBe(202);
    }
    // A repeated report of the same order is harmless.
    expect((await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, shipment(orders[0]!.orderId, orders[0]!.auPayOrderId))).status).toBeLessThan(300);

    const workerEnv = {
      TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
      AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY, AUPAY_TIMEOUT_MS: '5000', SMTP_URL: sandbox.smtpUrl,
    };
    let worker = await startWorkerProcess(workerEnv);
    const appliedCount = (operation: string) => sandbox.auPay.kit.ledger.list({ operation }).filter((e) => e.applied).length;
    await until(() => appliedCount('updateTradeStsProc') >= 1, 60_000, 20);
    await worker.kill();
    const atKill = { shipped: appliedCount('updateTradeInfoProc'), completed: appliedCount('updateTradeStsProc') };
    expect(atKill.completed).toBeLessThan(N); // the crash really was mid-way

    worker = await startWorkerProcess(workerEnv);
    try {
      await until(async () => {
        const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM au_pay_orders WHERE shop_id = $1 AND link_status = $2 AND order_id LIKE 'CRASH-%'`, [SHOP_ID, LINK_STATUS.completed]);
        return Number(rows[0]!.n) === N;
      }, 150_000);
    } finally {
      await worker.stop();
    }

    for (const o of orders) {
      const entries = sandbox.auPay.kit.ledger.list({ orderId: o.auPayOrderId }).filter((e) => e.applied);
      expect(entries.map((e) => e.operation).sort()).toEqual(['updateTradeInfoProc', 'updateTradeStsProc']);
      expect(sandbox.auPay.market.trade(AU_SHOP_ID, o.auPayOrderId)).toMatchObject({ orderStatus: '完了', shippingNumber: `T-${o.auPayOrderId}` });
    }
    const one = await call('GET', `/shops/${SHOP_ID}/au-pay/orders/${orders[0]!.orderId}`);
    expect(one.body).toMatchObject({ linkStatus: LINK_STATUS.completed, workflowId: `au-pay-shipment:${SHOP_ID}:${orders[0]!.orderId}` });
    const errors = await call('GET', `/shops/${SHOP_ID}/au-pay/history?result=${encodeURIComponent('エラー')}`);
    expect(errors.body.entries).toEqual([]);
    // no au PAY error mail (this shop has no external system, so its order data OUT deliveries fail and mail: not ours)
    expect(sandbox.sink.messages().filter((m) => m.subject.includes('au PAY'))).toEqual([]);
    // every link-status change went back to the OMS exactly once, the crash notwithstanding
    const { rows: outs } = await db.pool.query<{ orderId: string; statuses: string[] }>(
      `SELECT order_id AS "orderId", array_agg(payload->>'linkStatus' ORDER BY id) AS statuses FROM order_outbox
        WHERE shop_id = $1 AND event = 'au-pay.link-status' AND order_id LIKE 'CRASH-%' GROUP BY order_id`, [SHOP_ID]);
    expect(outs).toHaveLength(N);
    for (const o of outs) expect(o.statuses).toEqual([LINK_STATUS.shipped, LINK_STATUS.completed]);
    // Calls that landed while the worker died were confirmed by reading the trade, not pushed again: the ledger
    // holds 2 calls per order and nothing more, not even a same-status no-op.
    expect(sandbox.auPay.kit.ledger.list()).toHaveLength(2 * N);
    const { rows: reads } = await db.pool.query(`SELECT 1 FROM au_pay_call_history WHERE operation = 'searchTradeInfoProc' AND order_id LIKE 'CRASH-%' AND idempotency_key NOT LIKE '%:status-check:%'`);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    process.stdout.write(`crash test: at the kill ${atKill.shipped} shipped and ${atKill.completed} completed of ${N}; ${reads.length} retries read the trade first\n`);
  }, 300_000);
});


describe('operator resets racing each other', () => {
  test('50 orders in 出荷情報反映エラー, 受注完了ステータス反映済み and 空欄 sent together: every 200 is applied, every other answer is a 409 with the reason', async () => {
    const N = 50;
    const orders = Array.from({ length: N }, (_, i) => `RACE-${i + 1}`);
    const workerEnv = {
      TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
      AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY, SMTP_URL: sandbox.smtpUrl,
    };
    const worker = await startWorkerProcess(workerEnv);
    try {
      // no ship date: each chain stops at 出荷情報反映エラー without a call, and every 空欄 reset brings it back there
      for (const orderId of orders) {
        expect((await call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, { ...shipment(orderId, '1'), shipDate: null })).status).toBe(202);
      }
      const errorRows = async () => {
        const { rows } = await db.pool.query<{ orderId: string; n: string }>(
          `SELECT order_id AS "orderId", count(*) AS n FROM au_pay_call_history WHERE shop_id = $1 AND order_id LIKE 'RACE-%' AND result = 'エラー' GROUP BY order_id`, [SHOP_ID]);
        return new Map(rows.map((r) => [r.orderId, Number(r.n)]));
      };
      const statuses = async () => {
        const { rows } = await db.pool.query<{ orderId: string; linkStatus: string }>(
          `SELECT order_id AS "orderId", link_status AS "linkStatus" FROM au_pay_orders WHERE shop_id = $1 AND order_id LIKE 'RACE-%'`, [SHOP_ID]);
        return new Map(rows.map((r) => [r.orderId, r.linkStatus]));
      };
      await until(async () => [...(await statuses()).values()].filter((s) => s === LINK_STATUS.shipError).length === N, 60_000);

      // both resets of an order leave back to back, all 50 orders at once
      const answers = await Promise.all(orders.map(async (orderId) => {
        const path = `/shops/${SHOP_ID}/au-pay/orders/${orderId}/link-status`;
        const [complete, blank] = await Promise.all([
          call('POST', path, { status: LINK_STATUS.completed }),
          call('POST', path, { status: LINK_STATUS.blank }),
        ]);
        return { orderId, complete, blank };
      }));
      for (const a of answers) {
        for (const r of [a.complete, a.blank]) {
          expect([200, 409]).toContain(r.status);
          if (r.status === 409) expect(r.body.error).toEqual(expect.any(String));
        }
        expect([a.complete.status, a.blank.status]).toContain(200); // the first to arrive is always taken
      }
      // what each 200 promised has happened: a 空欄 re-ran the push (one more error row), a 受注完了 ended the chain
      await until(async () => {
        const [errors, links] = await Promise.all([errorRows(), statuses()]);
        return answers.every((a) => {
          const blanks = a.blank.status === 200 ? 1 : 0;
          const completed = a.complete.status === 200;
          return errors.get(a.orderId) === 1 + blanks && (links.get(a.orderId) === LINK_STATUS.completed) === completed;
        });
      }, 60_000);
      const applied = answers.filter((a) => a.complete.status === 200 && a.blank.status === 200).length;
      process.stdout.write(`reset race: ${applied} of ${N} orders had both resets applied, the rest one applied and one refused\n`);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});
