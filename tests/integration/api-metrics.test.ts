import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { setLinkStatus, upsertShipmentReport } from '../../db/au-pay-orders';
import { insertShop } from '../../db/shops';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { parsePrometheus, sampleValue } from '../support/prometheus-text';
import { callApi, startTestApi } from '../support/test-api';

/**
 * The API's GET /metrics (issue 14 §5): Prometheus text without a token; every request counted by its route template
 * (never an order id) and status, with its duration; the attention list's size per shop and process read at the scrape.
 */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  ({ env } = await startDevServer());
  db = await startTestDatabase();
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue: 'api-metrics' });
  await insertShop(db.pool, { id: SHOP_ID, name: 'metrics shop', adminEmails: [], notifyEmail: null, mailRoutes: {} });
  // one au PAY order stopped at an error (on the attention list), one done (not on it)
  for (const [orderId, status] of [['MET-ERR-1', '出荷情報反映エラー'], ['MET-OK-1', '受注完了ステータス反映済み']] as const) {
    await upsertShipmentReport(db.pool, { shopId: SHOP_ID, orderId, auPayOrderId: '1', managementClass: '通常', shipDate: '2026-11-20', carrier: '6', trackingNumber: 'T-1' });
    await setLinkStatus(db.pool, SHOP_ID, orderId, status, status.endsWith('エラー') ? 'E00045' : null);
  }
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await db?.stop();
  await env?.teardown();
});

const scrape = async () => {
  const res = await fetch(`${api.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parsePrometheus(text) };
};
const requests = (samples: ReturnType<typeof parsePrometheus>, labels: Record<string, string>) =>
  sampleValue(samples, 'renkei_http_request_duration_seconds_count', labels) ?? 0;

test('requests by route template and status, with a latency histogram; no order id in any label', async () => {
  const before = (await scrape()).samples;
  const order = `${api.url}/shops/${SHOP_ID}/au-pay/orders`;
  expect((await callApi(`${order}/MET-OK-1`, 'GET')).status).toBe(200);
  expect((await callApi(`${order}/MET-ERR-1`, 'GET')).status).toBe(200);
  for (const unknown of ['NO-SUCH-1', 'NO-SUCH-2', 'NO-SUCH-3']) expect((await callApi(`${order}/${unknown}`, 'GET')).status).toBe(404);
  expect((await callApi(`${api.url}/shops/${SHOP_ID}/attention?process=au-pay`, 'GET')).status).toBe(200);
  expect((await callApi(`${api.url}/health`, 'GET', undefined, null)).status).toBe(200);
  expect((await callApi(`${order}/MET-OK-1`, 'GET', undefined, null)).status).toBe(401); // refused before any route
  expect((await callApi(`${api.url}/no/such/path`, 'GET')).status).toBe(404);

  const { text, samples } = await scrape();
  const delta = (route: string, status: string) => requests(samples, { method: 'GET', route, status }) - requests(before, { method: 'GET', route, status });
  expect(delta('/shops/:shopId/au-pay/orders/:orderId', '200')).toBe(2);
  expect(delta('/shops/:shopId/au-pay/orders/:orderId', '404')).toBe(3);
  expect(delta('/shops/:shopId/attention', '200')).toBe(1);
  expect(delta('/health', '200')).toBe(1);
  expect(delta('unmatched', '401')).toBe(1);
  expect(delta('unmatched', '404')).toBe(1);
  // the histogram: buckets up to +Inf, which holds every request of its series
  const inf = sampleValue(samples, 'renkei_http_request_duration_seconds_bucket', { route: '/shops/:shopId/au-pay/orders/:orderId', status: '404', le: '+Inf' });
  expect(inf).toBe(requests(samples, { method: 'GET', route: '/shops/:shopId/au-pay/orders/:orderId', status: '404' }));
  expect(sampleValue(samples, 'renkei_http_request_duration_seconds_sum', { route: '/health' })).toBeGreaterThan(0);
  // the scrape before this one is counted too, under its own template
  expect(requests(samples, { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
  // no order id, no shop-given path in any label
  for (const id of ['MET-OK-1', 'MET-ERR-1', 'NO-SUCH-1', '/no/such/path', SHOP_ID + '/']) expect({ id, inMetrics: text.includes(id) }).toEqual({ id, inMetrics: false });
  // the process's own: Node's defaults (uptime from the start time)
  expect(sampleValue(samples, 'process_start_time_seconds')).toBeGreaterThan(0);
});

test('operator actions by action and outcome, beside the requests', async () => {
  const applied = (samples: ReturnType<typeof parsePrometheus>) => sampleValue(samples, 'renkei_operator_actions_total', { action: 'mail-throttle.set', outcome: 'applied' }) ?? 0;
  const before = applied((await scrape()).samples);
  expect((await callApi(`${api.url}/shops/${SHOP_ID}/mail-throttle`, 'PUT', { windowMinutes: 60, threshold: 5 })).status).toBe(200);
  const { samples } = await scrape();
  expect(applied(samples) - before).toBe(1);
  expect(requests(samples, { method: 'PUT', route: '/shops/:shopId/mail-throttle', status: '200' })).toBe(1);
});

test('the attention list per shop and process, counted at each scrape', async () => {
  const size = async (process: string) => sampleValue((await scrape()).samples, 'renkei_attention_orders', { shop: SHOP_ID, process });
  expect(await size('au-pay')).toBe(1);
  expect(await size('oplux')).toBe(0); // every process is written, so an alert sees a list that empties
  await setLinkStatus(db.pool, SHOP_ID, 'MET-OK-1', '受注完了ステータス反映エラー', 'E00045');
  expect(await size('au-pay')).toBe(2);
  await setLinkStatus(db.pool, SHOP_ID, 'MET-ERR-1', '受注完了ステータス反映済み', null);
  expect(await size('au-pay')).toBe(1);
});
