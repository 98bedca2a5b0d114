import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, Connection } from '@temporalio/client';
import { runStartReconciler } from '../../api/pending-starts';
import { freePort } from '../support/free-port';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { bulkActionWorkflowId } from '../../workflows/workflow-ids';
import { callApi, startTestApi, API_TOKEN } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { startWorkerProcess } from '../support/worker-process';
import { until } from '../support/until';
import { recordHistory } from '../support/record-history';

/**
 * Bulk actions through the real API, the Temporal dev server, PostgreSQL, the sandbox and the worker's own entry point
 * as a process (so it can be killed in the middle).
 */
const taskQueue = 'bulk-actions-integration';
let env: TestWorkflowEnvironment;
let temporalAddress: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let testApi: Awaited<ReturnType<typeof startTestApi>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;

const workerEnv = () => ({
  TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL,
  AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY, SMTP_URL: sandbox.smtpUrl,
});

beforeAll(async () => {
  ({ env, address: temporalAddress } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
  worker = await startWorkerProcess(workerEnv());
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await testApi?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

type Bulk = {
  id: string; status: string; total: number; done: number; applied: number; refused: number; notFound: number; canceled: number;
  operator: { id: string; name: string }; orders: Array<{ orderId: string; outcome: string | null; reason: string | null }>; nextCursor: string | null;
};
const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string | null) => callApi<B>(`${testApi.url}${path}`, method, body, token);
const bulks = `/shops/${SHOP_ID}/bulk-actions`;
const startBulk = (body: unknown, token?: string) => call<{ id: string; total: number }>('POST', bulks, body, token);
const bulk = (id: string, query = '?limit=1000') => call<Bulk>('GET', `${bulks}/${id}${query}`).then((r) => r.body);
const finished = (id: string, timeoutMs = 120_000) => until(async () => {
  const b = await bulk(id);
  return b.status !== 'running' && b;
}, timeoutMs, 100);

const shipment = (orderId: string, auPayOrderId: string, shipDate: string | null = '2026/11/20') => ({
  orderId, auPayOrderId, managementClass: '通常', shipDate, carrier: '6', trackingNumber: `T-${auPayOrderId}`,
});

/** Reports the shipments through the API, 20 at a time. */
async function ship(orders: Array<{ orderId: string; auPayOrderId: string }>, shipDate?: string | null): Promise<void> {
  for (let i = 0; i < orders.length; i += 20) {
    const answers = await Promise.all(orders.slice(i, i + 20).map((o) => call('POST', `/shops/${SHOP_ID}/au-pay/shipments`, shipment(o.orderId, o.auPayOrderId, shipDate))));
    for (const a of answers) expect(a.status).toBe(202);
  }
}

const countWithStatus = async (prefix: string, status: string) => Number((await db.pool.query<{ n: string }>(
  `SELECT count(*) AS n FROM au_pay_orders WHERE shop_id = $1 AND order_id LIKE $2 AND link_status = $3`, [SHOP_ID, `${prefix}%`, status])).rows[0]!.n);
const doneCount = async (id: string) => Number((await db.pool.query<{ n: string }>(
  `SELECT count(*) AS n FROM bulk_action_orders WHERE bulk_id = $1 AND outcome IS NOT NULL`, [id])).rows[0]!.n);
/** The orders' au PAY chains end: marked done by hand (one more bulk action), so no workflow is left running. */
async function endChains(orderIds: string[]): Promise<void> {
  const res = await startBulk({ action: 'au-pay.link-status', args: { status: LINK_STATUS.completed }, orderIds });
  expect(res.status).toBe(202);
  await finished(res.body.id);
  await until(async () => (await db.pool.query(`SELECT 1 FROM au_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND link_status <> $3`, [SHOP_ID, orderIds, LINK_STATUS.completed])).rowCount === 0, 60_000);
}

describe('seed 004: the au PAY API key expired', () => {
  test('500 orders in 出荷情報反映エラー reset to 空欄 with one request, the worker killed in the middle: each trade pushed once', async () => {
    const N = 500;
    const orders = Array.from({ length: N }, (_, i) => ({ orderId: `KEY-${i + 1}`, auPayOrderId: String(900000 + i) }));
    for (const o of orders) sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID, orderId: o.auPayOrderId });
    await sandbox.control('POST', `/au-pay/_sandbox/shops/${AU_SHOP_ID}/expire-key`);
    const t0 = Date.now();
    await ship(orders);
    await until(async () => (await countWithStatus('KEY-', LINK_STATUS.shipError)) === N, 120_000);
    const tErrors = Date.now();
    const pushes = (auPayOrderId: string) => sandbox.auPay.kit.ledger.list({ operation: 'updateTradeInfoProc', orderId: auPayOrderId }).filter((e) => e.applied).length;
    expect(orders.every((o) => pushes(o.auPayOrderId) === 0)).toBe(true);

    await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY }); // the shop renewed its key
    const res = await startBulk({ action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds: orders.map((o) => o.orderId) });
    expect(res).toMatchObject({ status: 202, body: { id: expect.stringMatching(/^[0-9a-f]{32}$/), total: N } });
    const { id } = res.body;

    const atKill = await until(async () => {
      const n = await doneCount(id);
      return n > 0 && n;
    }, 60_000, 20);
    await worker!.kill();
    expect(atKill).toBeLessThan(N); // the kill really was in the middle
    worker = await startWorkerProcess(workerEnv());

    const done = await finished(id, 180_000);
    expect(done).toMatchObject({ status: 'completed', total: N, done: N, applied: N, refused: 0, notFound: 0, canceled: 0 });
    expect(done.orders.every((o) => o.outcome === 'applied' && o.reason === null)).toBe(true);
    await until(async () => (await countWithStatus('KEY-', LINK_STATUS.completed)) === N, 180_000);
    const tDone = Date.now();
    // each trade's ship info pushed exactly once: the reset was acted on once per order, kill or not
    for (const o of orders) expect(pushes(o.auPayOrderId)).toBe(1);
    const { rows: audit } = await db.pool.query<{ n: string; orders: string }>(
      `SELECT count(*) AS n, count(DISTINCT order_id) AS orders FROM audit_log WHERE bulk_id = $1 AND action = 'au-pay.link-status' AND outcome = 'applied'`, [id]);
    expect(audit[0]).toEqual({ n: String(N), orders: String(N) });
    process.stdout.write(`bulk reset: ${N} orders in error after ${tErrors - t0} ms; killed at ${atKill}/${N} done; reset and pushed again in ${tDone - tErrors} ms\n`);
  }, 600_000);
});

describe('refusals', () => {
  test('orders not in error are refused with the workflow\'s reason, an unknown order is not found; the audit names the bulk and the operator', async () => {
    const operator = await call<{ id: string }>('POST', '/operators', { name: 'tanaka-bulk', role: 'operator', shops: [SHOP_ID] });
    expect(operator.status).toBe(201);
    const token = (await call<{ token: string }>('POST', `/operators/${operator.body.id}/tokens`, {})).body.token;

    const errors = [1, 2, 3].map((i) => ({ orderId: `REF-E${i}`, auPayOrderId: '1' }));
    await ship(errors, null); // no ship date: each chain stops at 出荷情報反映エラー without a call
    await until(async () => (await countWithStatus('REF-E', LINK_STATUS.shipError)) === 3, 60_000);
    const orderIds = ['REF-E1', 'KEY-1', 'REF-E2', 'NOPE-1', 'KEY-2', 'REF-E3'];
    const res = await startBulk({ action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds }, token);
    expect(res.status).toBe(202);
    const b = await finished(res.body.id);
    expect(b).toMatchObject({ status: 'completed', total: 6, done: 6, applied: 3, refused: 2, notFound: 1, operator: { id: operator.body.id, name: 'tanaka-bulk' } });
    await recordHistory(env.client.workflow.getHandle(bulkActionWorkflowId(SHOP_ID, res.body.id)), 'bulk-action-applied-refused-not-found');
    expect(b.orders).toEqual([
      { orderId: 'REF-E1', outcome: 'applied', reason: null },
      { orderId: 'KEY-1', outcome: 'refused', reason: `finished: ${LINK_STATUS.completed}` },
      { orderId: 'REF-E2', outcome: 'applied', reason: null },
      { orderId: 'NOPE-1', outcome: 'not-found', reason: 'unknown order NOPE-1' },
      { orderId: 'KEY-2', outcome: 'refused', reason: `finished: ${LINK_STATUS.completed}` },
      { orderId: 'REF-E3', outcome: 'applied', reason: null },
    ]);
    expect((await bulk(res.body.id, '?outcome=refused')).orders.map((o) => o.orderId)).toEqual(['KEY-1', 'KEY-2']);
    const page = await bulk(res.body.id, '?limit=4');
    expect(page.orders).toHaveLength(4);
    expect((await bulk(res.body.id, `?limit=4&cursor=${page.nextCursor}`)).orders.map((o) => o.orderId)).toEqual(['KEY-2', 'REF-E3']);

    const audit = await call<{ entries: Array<{ orderId: string; operator: string; operatorId: string; bulkId: string; outcome: string; reason: string | null }> }>(
      'GET', `/shops/${SHOP_ID}/audit?action=au-pay.link-status&operator=tanaka-bulk`);
    expect(audit.body.entries.map((e) => [e.orderId, e.outcome]).sort()).toEqual([
      ['KEY-1', 'refused'], ['KEY-2', 'refused'], ['NOPE-1', 'refused'], ['REF-E1', 'applied'], ['REF-E2', 'applied'], ['REF-E3', 'applied'],
    ]);
    for (const e of audit.body.entries) expect(e).toMatchObject({ bulkId: res.body.id, operator: 'tanaka-bulk', operatorId: operator.body.id });

    const list = await call<{ bulkActions: Array<{ id: string }> }>('GET', bulks);
    expect(list.body.bulkActions[0]!.id).toBe(res.body.id);
    await endChains(errors.map((o) => o.orderId));
  }, 180_000);
});

describe('cancel', () => {
  test('canceled in the middle: the orders not yet acted on are canceled and untouched; a second cancel is 409', async () => {
    const N = 300;
    const orders = Array.from({ length: N }, (_, i) => ({ orderId: `CAN-${i + 1}`, auPayOrderId: '1' }));
    await ship(orders, null);
    await until(async () => (await countWithStatus('CAN-', LINK_STATUS.shipError)) === N, 120_000);
    const res = await startBulk({ action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds: orders.map((o) => o.orderId) });
    expect(res.status).toBe(202);
    // the first orders acted on (their audit rows written), then the cancel
    await until(async () => ((await db.pool.query(`SELECT 1 FROM audit_log WHERE bulk_id = $1 AND order_id IS NOT NULL LIMIT 1`, [res.body.id])).rowCount ?? 0) > 0, 60_000, 10);
    const canceled = await call<Bulk>('POST', `${bulks}/${res.body.id}/cancel`);
    expect(canceled).toMatchObject({ status: 200, body: { status: 'canceled' } });
    expect(canceled.body.done).toBeGreaterThan(0); // the orders in flight finished
    expect(canceled.body.canceled).toBeGreaterThan(0);
    expect(canceled.body.done + canceled.body.canceled).toBe(N);

    const b = await bulk(res.body.id);
    const untouched = b.orders.filter((o) => o.outcome === 'canceled').map((o) => o.orderId);
    expect(untouched).toHaveLength(canceled.body.canceled);
    // none of them acted on: no audit row of this bulk, and their chain did not run again (one error row each)
    const { rows: audited } = await db.pool.query(`SELECT 1 FROM audit_log WHERE bulk_id = $1 AND order_id = ANY($2)`, [res.body.id, untouched]);
    expect(audited).toEqual([]);
    const { rows: reruns } = await db.pool.query(
      `SELECT order_id FROM au_pay_call_history WHERE shop_id = $1 AND order_id = ANY($2) AND result = 'エラー' GROUP BY order_id HAVING count(*) <> 1`, [SHOP_ID, untouched]);
    expect(reruns).toEqual([]);
    expect(await call('POST', `${bulks}/${res.body.id}/cancel`)).toMatchObject({ status: 409, body: { status: 'canceled' } });
    process.stdout.write(`cancel: ${canceled.body.done} of ${N} acted on before the cancel, ${canceled.body.canceled} canceled\n`);

    await until(async () => (await countWithStatus('CAN-', LINK_STATUS.shipError)) === N, 60_000);
    await endChains(orders.map((o) => o.orderId));
  }, 240_000);
});

describe('input', () => {
  const post = (body: unknown) => call<{ error: string; actions?: string[]; issues?: Array<{ field: string; reason: string }> }>('POST', bulks, body);

  test('bad bodies are 400 with the field and the reason', async () => {
    const unknown = await post({ action: 'au-pay.nope', orderIds: ['A-1'] });
    expect(unknown).toMatchObject({ status: 400, body: { actions: expect.arrayContaining(['au-pay.link-status', 'oplux.relink']) } });
    const badArgs = await post({ action: 'au-pay.link-status', args: { status: LINK_STATUS.shipError }, orderIds: ['A-1'] });
    expect(badArgs.status).toBe(400);
    expect(badArgs.body.issues!.map((i) => i.field)).toEqual(['args.status']);
    const fieldsOf = async (body: unknown) => {
      const r = await post(body);
      expect(r.status).toBe(400);
      return r.body.issues!.map((i) => i.field);
    };
    const ok = { action: 'au-pay.link-status', args: { status: LINK_STATUS.blank } };
    expect(await fieldsOf({ ...ok, orderIds: [] })).toEqual(['orderIds']);
    expect(await fieldsOf({ ...ok, orderIds: Array.from({ length: 10_001 }, (_, i) => `O${i}`) })).toEqual(['orderIds']);
    expect(await fieldsOf({ ...ok, orderIds: ['A-1', 'A-2', 'A-1'] })).toEqual(['orderIds.2']);
    expect(await fieldsOf({ ...ok, orderIds: ['A-1', 'bad id!'] })).toEqual(['orderIds.1']);
    expect(await fieldsOf({ ...ok })).toEqual(['orderIds']);
    expect(await fieldsOf({ ...ok, orderIds: ['A-1'], extra: 1 })).toEqual(['(body)']);
    const { rows } = await db.pool.query(`SELECT 1 FROM bulk_actions WHERE action = 'au-pay.nope' OR total = 0`);
    expect(rows).toEqual([]);
  });

  test('another shop\'s bulk id is 404; a repeat with the same Idempotency-Key is the same bulk action', async () => {
    const otherId = 'f'.repeat(32);
    await db.pool.query(`INSERT INTO bulk_actions (id, shop_id, action, args, operator_id, operator, actor, total, request_hash)
      VALUES ($1, 'other-shop', 'au-pay.link-status', '{}', 'x', 'x', '{}', 0, 'x')`, [otherId]);
    expect((await call('GET', `${bulks}/${otherId}`)).status).toBe(404);
    expect((await call('POST', `${bulks}/${otherId}/cancel`)).status).toBe(404);
    expect((await call('GET', `${bulks}/not-an-id`)).status).toBe(404);

    const body = { action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds: ['NOPE-9'] };
    const send = (b: unknown, key: string) => fetch(`${testApi.url}${bulks}`, {
      method: 'POST', body: JSON.stringify(b), headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } }));
    const first = await send(body, 'retry-1');
    const again = await send(body, 'retry-1');
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: first.body });
    expect((await send({ ...body, orderIds: ['NOPE-8'] }, 'retry-1')).status).toBe(409);
    expect(await finished(first.body.id)).toMatchObject({ status: 'completed', notFound: 1 });
    await recordHistory(env.client.workflow.getHandle(bulkActionWorkflowId(SHOP_ID, first.body.id)), 'bulk-action-not-found');
  });

  test('10,000 order ids of 64 characters fit in one request', async () => {
    const orderIds = Array.from({ length: 10_000 }, (_, i) => `LONG-${String(i).padStart(59, '0')}`);
    const res = await startBulk({ action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds });
    expect(res.status).toBe(202);
    expect(res.body.total).toBe(10_000);
    // not run to the end here (10,000 not-found steps): canceled, so nothing is left running
    expect((await call('POST', `${bulks}/${res.body.id}/cancel`)).status).toBe(200);
    await finished(res.body.id);
  });

  test('Temporal down when asked: 503, the bulk action and its owed start kept; the start reconciler starts it, and a retry is no twin', async () => {
    const dead = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const downApi = await startTestApi({ temporal: new Client({ connection: dead }), db: db.pool, taskQueue, temporalDeadlineMs: 1_500 });
    try {
      const request = { method: 'POST', body: JSON.stringify({ action: 'au-pay.link-status', args: { status: LINK_STATUS.blank }, orderIds: ['OWED-1', 'OWED-2'] }),
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'owed-1' } };
      expect((await fetch(`${downApi.url}${bulks}`, request)).status).toBe(503);
      const reconciler = runStartReconciler({ db: db.pool, temporal: env.client }, { everyMs: 3_600_000, graceMs: 0 });
      try {
        expect(await reconciler.sweep()).toBe(1);
      } finally {
        await reconciler.stop();
      }
      const retried = await fetch(`${testApi.url}${bulks}`, request);
      expect(retried.status).toBe(200);
      const { id } = (await retried.json()) as { id: string };
      expect(await finished(id)).toMatchObject({ status: 'completed', total: 2, notFound: 2 });
    } finally {
      await downApi.stop();
      await dead.close().catch(() => undefined);
    }
  });
});
