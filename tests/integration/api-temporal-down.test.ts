import { Client, Connection } from '@temporalio/client';
import { runStartReconciler } from '../../api/pending-starts';
import { countPendingStarts } from '../../db/workflow-starts';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { freePort } from '../support/free-port';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';

/**
 * The API → workflow edge with Temporal down: the caller gets a 503 with Retry-After (never a hang or a 500), the
 * order's row and the start it owes are kept together, a retry makes no twin, and once Temporal is back the
 * reconciler starts exactly the owed workflow.
 */
const taskQueue = 'temporal-down';
let db: TestDatabase;
let deadConnection: Connection;
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  db = await startTestDatabase();
  // nothing listens here: every call to "Temporal" fails to connect
  deadConnection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  api = await startTestApi({ temporal: new Client({ connection: deadConnection }), db: db.pool, taskQueue, temporalDeadlineMs: 1_500 });
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await deadConnection?.close().catch(() => undefined);
  await db?.stop();
});

const shipment = { orderId: 'DOWN-1', auPayOrderId: '700001', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-1' };

test('Temporal down: 503 with Retry-After, the row and its owed start kept, no twin on retry; the reconciler starts it once Temporal is back', async () => {
  const res = await fetch(`${api.url}/shops/${SHOP_ID}/au-pay/shipments`, {
    method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(shipment),
  });
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(await res.json()).toEqual({ error: expect.stringContaining('Temporal did not answer') });

  // the caller retries: the same row, the same owed start
  expect((await callApi(`${api.url}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', shipment)).status).toBe(503);
  const { rows } = await db.pool.query(`SELECT order_id FROM au_pay_orders WHERE shop_id = $1`, [SHOP_ID]);
  expect(rows).toEqual([{ order_id: 'DOWN-1' }]);
  expect(await countPendingStarts(db.pool)).toBe(1);

  // health says which dependency is missing
  expect(await callApi(`${api.url}/health`, 'GET', undefined, null)).toEqual({ status: 503, body: { ok: false, db: true, temporal: false } });

  // Temporal comes back: the reconciler makes the owed start, once
  const { env } = await startDevServer();
  try {
    const reconciler = runStartReconciler({ db: db.pool, temporal: env.client }, { everyMs: 3_600_000, graceMs: 0 });
    try {
      expect(await reconciler.sweep()).toBe(1);
      expect(await reconciler.sweep()).toBe(0);
    } finally {
      await reconciler.stop();
    }
    expect(await countPendingStarts(db.pool)).toBe(0);
    const described = await env.client.workflow.getHandle(`au-pay-shipment:${SHOP_ID}:DOWN-1`).describe();
    expect(described).toMatchObject({ type: 'auPayShipmentWorkflow', taskQueue, status: { name: 'RUNNING' } });
    expect(described.typedSearchAttributes.getAll().map((p) => p.key.name).sort()).toEqual(['AuPayLinkStatus', 'OrderId', 'ShopId']);

    // the API on the live server: the same report changes nothing, and no second run appears
    const liveApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
    try {
      const again = await callApi(`${liveApi.url}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', shipment);
      expect(again).toMatchObject({ status: 200, body: { note: expect.stringContaining('changes nothing') } });
      const corrected = await callApi(`${liveApi.url}/shops/${SHOP_ID}/au-pay/shipments`, 'POST', { ...shipment, trackingNumber: 'T-2' });
      expect(corrected.status).toBe(202);
      // the correction reached the run the reconciler started: no second run
      const after = await env.client.workflow.getHandle(`au-pay-shipment:${SHOP_ID}:DOWN-1`).describe();
      expect(after.runId).toBe(described.runId);
      expect(after.historyLength).toBeGreaterThan(described.historyLength);
    } finally {
      await liveApi.stop();
    }
  } finally {
    await env.teardown();
  }
}, 120_000);
