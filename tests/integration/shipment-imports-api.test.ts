import iconv from 'iconv-lite';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createShipmentImport } from '../../db/shipment-imports';
import { createRenkeiWorker } from '../../workers/create-worker';
import { shipmentImportWorkflowId } from '../../workflows/workflow-ids';
import { REQUIRED_TRACKING_1075, unknownOrderReason } from '../../shipment-import/validate';
import { activityDeps, SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer } from '../support/dev-server';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { API_TOKEN, callApi, startTestApi, type ApiAnswer } from '../support/test-api';
import { until } from '../support/until';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * 出荷実績取込's intake through the real API, PostgreSQL and the Temporal dev server: the file's 400s, the 422 of a
 * rejected file, a Shift_JIS file with bad rows skipped, Idempotency-Key, 413, progress and results.csv in the file's
 * encoding, 404s and roles, the shop's defaults, the cancel; and one import run to completed by a worker.
 */
const taskQueue = 'shipment-imports-api';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let sandbox: TestSandbox;
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: Worker | undefined;
let running: Promise<void> | undefined;

beforeAll(async () => {
  ({ env } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue });
  await db.pool.query(`INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class) VALUES ($1, 'AU-1', '7001', '通常')`, [SHOP_ID]);
  await db.pool.query(`INSERT INTO oplux_orders (shop_id, order_id, order_data) SELECT $1, 'OP-' || i, '{}' FROM generate_series(1, 20) AS i`, [SHOP_ID]);
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const imports = `/shops/${SHOP_ID}/shipment-imports`;
type Created = { id: string; workflowId: string; total: number; valid: number; invalid: number; problems: Array<{ line: number; column: string; reason: string }> };
type View = { id: string; status: string; encoding: string; total: number; done: number; counts: Record<string, number>; workflowId: string };

/** POST a CSV file (bytes) as a client does: text/csv with or without a charset. */
async function postCsv(bytes: Buffer, o: { query?: string; contentType?: string; key?: string; token?: string } = {}): Promise<ApiAnswer<Created & { error: string }>> {
  const res = await fetch(`${api.url}${imports}${o.query ?? ''}`, {
    method: 'POST', body: bytes,
    headers: { authorization: `Bearer ${o.token ?? API_TOKEN}`, 'content-type': o.contentType ?? 'text/csv', ...(o.key ? { 'idempotency-key': o.key } : {}) },
  });
  const text = await res.text();
  return Object.defineProperty({ status: res.status, body: JSON.parse(text) }, 'text', { value: text }) as ApiAnswer<Created & { error: string }>;
}
const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string | null) => callApi<B>(`${api.url}${path}`, method, body, token);
const sjis = (s: string) => iconv.encode(s, 'Windows-31J');
const H = '受注番号,出荷日,配送会社,配送伝票番号,モール,配送日自動設定\r\n';
const storedImports = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM shipment_imports WHERE shop_id = $1`, [SHOP_ID])).rows[0]!.n);
/** results.csv decoded as its Content-Type says. */
async function results(id: string): Promise<{ contentType: string | null; lines: string[][] }> {
  const res = await fetch(`${api.url}${imports}/${id}/results.csv`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type');
  const text = /Shift_JIS/i.test(contentType ?? '') ? iconv.decode(bytes, 'Windows-31J') : bytes.toString('utf8');
  return { contentType, lines: text.split('\r\n').filter(Boolean).map((l) => l.split(',')) };
}

describe('a file that cannot be read: 400 with line, column and reason; nothing stored', () => {
  test('unknown and missing headers, a quote left open, an empty file, no data rows, JSON without rows', async () => {
    const headers = await postCsv(Buffer.from('受注番号,出荷日,配送業者\r\nOP-1,2026-11-30,yamato\r\n'));
    expect(headers).toMatchObject({ status: 400, body: { problems: [
      { line: 1, column: '配送業者', reason: expect.stringMatching(/^unknown header "配送業者"/) },
      { line: 1, column: '配送会社', reason: 'a required column is missing' },
    ] } });
    expect(headers.body.error).toMatch(/line 1, 配送業者: unknown header/);
    expect(await postCsv(sjis(`${H}OP-1,2026-11-30,"ヤマト運輸,1\r\n`))).toMatchObject({ status: 400, body: { problems: [{ line: 2, column: '配送会社', reason: expect.stringMatching(/never closed/) }] } });
    expect(await postCsv(Buffer.from(''))).toMatchObject({ status: 400, body: { problems: [{ line: 1, column: '(file)' }] } });
    expect(await postCsv(Buffer.from(H))).toMatchObject({ status: 400, body: { problems: [{ line: 2, reason: 'no data rows after the header' }] } });
    expect(await postCsv(Buffer.concat([Buffer.from(H), sjis('OP-1,2026-11-30,佐川急便,,,\r\n')]), { contentType: 'text/csv; charset=utf-8' }))
      .toMatchObject({ status: 400, body: { problems: [{ line: 2, reason: expect.stringMatching(/not valid UTF-8/) }] } });
    expect(await call('POST', imports, { onError: 'skip' })).toMatchObject({ status: 400, body: { issues: [{ field: 'rows' }] } });
    expect((await call('POST', imports, { rows: [{ orderId: 'OP-1', shipDate: '2026-11-30', carrier: 'yamato', colour: 'red' }] })).status).toBe(400);
    expect((await postCsv(Buffer.from(H), { contentType: 'text/csv; charset=latin1' })).status).toBe(415);
    expect((await postCsv(Buffer.from(H), { contentType: 'text/plain' })).status).toBe(415);
    expect(await storedImports()).toBe(0);
  });

  test('more than 100,000 rows: 413 with the count', async () => {
    const file = Buffer.from(H + 'OP-1,2026-11-30,yamato,,,\r\n'.repeat(100_001));
    expect(await postCsv(file)).toMatchObject({ status: 413, body: { rows: 100_001, error: expect.stringMatching(/100001 rows; one import takes at most 100000/) } });
    const rows = Array.from({ length: 100_001 }, () => ({ orderId: 'OP-1', shipDate: '2026-11-30', carrier: 'yamato' }));
    expect(await call('POST', imports, { rows })).toMatchObject({ status: 413, body: { rows: 100_001 } });
    expect(await storedImports()).toBe(0);
  }, 60_000);
});

const MIXED = sjis(H + [
  'OP-1,2026/11/30,ヤマト運輸,1234-5678-9012,,配送日のみ',
  'OP-2,2026-02-30,佐川急便,,,配送日のみ',
  'NOBODY-9,2026-11-30,yamato,,,配送日のみ',
  'OP-3,20261130,ゆうパック,,,配送日のみ',
  'OP-1,2026-11-30,yamato,,,配送日のみ',
  'NEW-1,2026-11-30,飛脚,,自社,配送日のみ',
].join('\r\n') + '\r\n');

test('onError reject (the default): 422 with every problem, nothing stored', async () => {
  const res = await postCsv(MIXED);
  expect(res.status).toBe(422);
  expect(res.body.error).toMatch(/^4 of 6 rows cannot be imported; nothing was imported/);
  expect(res.body.problems).toEqual([
    { line: 3, column: '出荷日', reason: expect.stringMatching(/^bad date "2026-02-30"/) },
    { line: 4, column: '受注番号', reason: unknownOrderReason('NOBODY-9') },
    { line: 6, column: '受注番号', reason: 'duplicate of line 2' },
    { line: 7, column: '配送会社', reason: expect.stringMatching(/^unknown carrier code "飛脚"/) },
  ]);
  expect(await storedImports()).toBe(0);
});

let skipped: Created;
test('onError skip: 202, the valid rows go ahead, the bad ones stored as invalid; progress and a Shift_JIS results.csv', async () => {
  const res = await postCsv(MIXED, { query: '?onError=skip', key: 'warehouse-2026-11-30' });
  expect(res).toMatchObject({ status: 202, body: { id: expect.stringMatching(/^[0-9a-f]{32}$/), total: 6, valid: 2, invalid: 4 } });
  expect(res.body.problems).toHaveLength(4);
  skipped = res.body;
  expect(skipped.workflowId).toBe(shipmentImportWorkflowId(SHOP_ID, skipped.id));
  expect((await env.client.workflow.getHandle(skipped.workflowId).describe()).type).toBe('shipmentImportWorkflow');

  const view = await call<View>('GET', `${imports}/${skipped.id}`);
  expect(view.body).toMatchObject({
    id: skipped.id, status: 'running', encoding: 'shift_jis', onError: 'skip', total: 6, done: 4, workflowId: skipped.workflowId,
    counts: { applied: 0, unchanged: 0, refused: 0, failed: 0, invalid: 4, canceled: 0 },
  });
  const list = await call<{ imports: View[] }>('GET', imports);
  expect(list.body.imports.map((i) => i.id)).toEqual([skipped.id]);

  const { contentType, lines } = await results(skipped.id);
  expect(contentType).toBe('text/csv; charset=Shift_JIS');
  expect(lines.map((l) => l.slice(0, 3))).toEqual([
    ['行', '受注番号', '結果'], ['2', 'OP-1', ''], ['3', 'OP-2', 'invalid'], ['4', 'NOBODY-9', 'invalid'], ['5', 'OP-3', ''],
    ['6', 'OP-1', 'invalid'], ['7', 'NEW-1', 'invalid'],
  ]);
  expect(lines[3]![3]).toBe(`受注番号: ${unknownOrderReason('NOBODY-9')}`);
  const { rows: audit } = await db.pool.query(`SELECT action, outcome, input FROM audit_log WHERE action = 'shipment-import.create'`);
  expect(audit).toEqual([{ action: 'shipment-import.create', outcome: 'applied', input: expect.objectContaining({ importId: skipped.id, total: 6, invalid: 4 }) }]);
});

test('Idempotency-Key: the same file again is the same import (200); another file with the key is a 409', async () => {
  const again = await postCsv(MIXED, { query: '?onError=skip', key: 'warehouse-2026-11-30' });
  expect(again).toMatchObject({ status: 200, body: { id: skipped.id, workflowId: skipped.workflowId, total: 6, valid: 2, invalid: 4 } });
  const other = await postCsv(sjis(`${H}OP-9,2026-11-30,yamato,,,\r\n`), { query: '?onError=skip', key: 'warehouse-2026-11-30' });
  expect(other).toMatchObject({ status: 409, body: { error: expect.stringMatching(/Idempotency-Key/) } });
  expect(await storedImports()).toBe(1);
});

test('unknown imports are 404; a viewer reads but cannot import or cancel', async () => {
  for (const path of [`${imports}/${'0'.repeat(32)}`, `${imports}/not-an-id`, `${imports}/${'0'.repeat(32)}/results.csv`]) {
    expect((await call('GET', path)).status).toBe(404);
  }
  expect((await call('POST', `${imports}/${'0'.repeat(32)}/cancel`)).status).toBe(404);
  expect((await call('GET', `/shops/other-shop/shipment-imports/${skipped.id}`)).status).toBe(404);

  const viewer = await call<{ id: string }>('POST', '/operators', { name: 'warehouse-viewer', role: 'viewer', shops: null });
  const { token } = (await call<{ token: string }>('POST', `/operators/${viewer.body.id}/tokens`, { label: 'test' })).body;
  expect((await call('GET', `${imports}/${skipped.id}`, undefined, token)).status).toBe(200);
  expect(await postCsv(MIXED, { query: '?onError=skip', token })).toMatchObject({ status: 403, body: { needs: 'operator', role: 'viewer' } });
  expect((await call('POST', `${imports}/${skipped.id}/cancel`, undefined, token)).status).toBe(403);
});

test("the shop's defaults (settings shipment-import) apply unless the request or the row says otherwise", async () => {
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'test shop' })).status).toBe(201); // settings belong to a stored shop
  const put = await call('PUT', `/shops/${SHOP_ID}/settings/shipment-import`, { onError: 'skip', trackingNumberApi: true });
  expect(put).toMatchObject({ status: 200, body: { shipDateMode: 'external', capture: false, trackingNumberApi: true, onError: 'skip' } });
  try {
    const rows = [{ orderId: 'OP-4', shipDate: '2026-11-30', carrier: 'yamato' }, { orderId: 'OP-5', shipDate: '2026-11-30', carrier: 'yamato', trackingNumberApi: false }];
    const res = await call<Created>('POST', imports, { rows });
    expect(res).toMatchObject({ status: 202, body: { total: 2, valid: 1, invalid: 1, problems: [{ line: 1, column: 'trackingNumber', reason: REQUIRED_TRACKING_1075 }] } });
    const stored = await db.pool.query(`SELECT "row" FROM shipment_import_rows WHERE import_id = $1 AND "row" IS NOT NULL`, [res.body.id]);
    expect(stored.rows[0].row.flags).toEqual({ shipDateMode: 'external', capture: false, trackingNumberApi: false });
    // the request's option over the shop's
    const rejected = await call('POST', `${imports}?onError=reject`, { rows });
    expect(rejected.status).toBe(422);
    const { contentType } = await results(res.body.id);
    expect(contentType).toBe('text/csv; charset=UTF-8'); // a JSON import answers in UTF-8
  } finally {
    await call('PUT', `/shops/${SHOP_ID}/settings/shipment-import`, {});
  }
});

test('cancel: an import whose workflow was never started is canceled at once; a finished one is a 409', async () => {
  const id = 'c'.repeat(32);
  await createShipmentImport(db.pool, {
    id, shopId: SHOP_ID, encoding: 'utf-8', onError: 'reject', actor: { id: 'x', name: 'x', role: 'operator', shops: null },
    idempotencyKey: null, requestHash: 'h', invalid: [],
    rows: [{ line: 2, orderId: 'OP-6', shipDate: '2026-11-30', carrier: 'yamato', trackingNumber: null, channel: { kind: 'own' }, payment: { method: null, provider: null, ref: null }, flags: { shipDateMode: 'ship-date-only', capture: false, trackingNumberApi: false } }],
  });
  expect(await call('POST', `${imports}/${id}/cancel`)).toMatchObject({ status: 200, body: { status: 'canceled' } });
  expect((await call<View>('GET', `${imports}/${id}`)).body).toMatchObject({ status: 'canceled', done: 1, counts: { canceled: 1 } });
  expect(await call('POST', `${imports}/${id}/cancel`)).toMatchObject({ status: 409, body: { status: 'canceled' } });
});

test('with a worker, the Shift_JIS import runs to completed; results.csv says what each row did', async () => {
  worker = await createRenkeiWorker({
    connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle,
    deps: { ...activityDeps(db.pool, sandbox), temporal: { client: env.client, taskQueue } },
  });
  running = worker.run();
  const done = await until(async () => {
    const v = (await call<View>('GET', `${imports}/${skipped.id}`)).body;
    return v.status !== 'running' && v;
  }, 120_000);
  expect(done).toMatchObject({ status: 'completed', total: 6, done: 6, counts: { applied: 2, invalid: 4, failed: 0, refused: 0 } });
  const { lines } = await results(skipped.id);
  expect(lines.filter((l) => l[2] === 'applied').map((l) => l[1])).toEqual(['OP-1', 'OP-3']);
  expect(lines[1]![3]).toMatch(/出荷日設定/);
  const { rows } = await db.pool.query(`SELECT order_id, ship_date::text, carrier, tracking_number FROM order_shipments WHERE shop_id = $1 AND order_id IN ('OP-1', 'OP-3') ORDER BY order_id`, [SHOP_ID]);
  expect(rows).toEqual([
    { order_id: 'OP-1', ship_date: '2026-11-30', carrier: 'yamato', tracking_number: '1234-5678-9012' },
    { order_id: 'OP-3', ship_date: '2026-11-30', carrier: 'japan-post', tracking_number: null },
  ]);
  expect(await call('POST', `${imports}/${skipped.id}/cancel`)).toMatchObject({ status: 409, body: { status: 'completed' } });
}, 180_000);
