import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import { parseCsv } from '../../shipment-import/csv';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { AMAZON_KEY_ID, amazonPayTestClient, mintChargePermission, writeTestKeyFile } from '../support/amazon-pay-fixtures';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { gmoAuthorize, gmoPgBaseUrl, gmoStatus, METHODS, setUpCancelShop } from '../support/order-cancel-fixtures';
import { connectExternalSystem } from '../support/order-out-fixtures';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';
import { until } from '../support/until';
import { startWorkerProcess } from '../support/worker-process';
import { YAHOO_APP, YAHOO_REFRESH_TOKEN, YAHOO_SELLER, yahooOrder, yahooTestShop } from '../support/yahoo-fixtures';

/**
 * Issue 15's proof: one 2,000-row Shift_JIS shipment file through the real API, mixing every kind of row (au PAY,
 * Yahoo, Amazon Pay and GMO-PG captures, own-store, ship-date-only, bad rows), applied by the worker's own entry point
 * as a process killed in the middle and started again, on the dev server, PostgreSQL and the sandboxes. The sandboxes'
 * ledgers show each effect once, results.csv says what each row did, and the same file imported again changes nothing.
 */
const taskQueue = 'shipment-import-crash';
const keyRing = `test:${randomBytes(32).toString('base64')}`;
let env: TestWorkflowEnvironment;
let address: string;
let db: TestDatabase;
let sandbox: TestSandbox;
let accounts: AccountStore;
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;

const workerEnv = () => ({
  TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: db.url, SMTP_URL: sandbox.smtpUrl,
  SHOP_ID, SHOP_NOTIFY_EMAIL: NOTIFY_EMAIL, ACCOUNTS_KEYS: keyRing, ACCOUNTS_KEY_ID: 'test',
  AUPAY_BASE_URL: sandbox.auPayBaseUrl, AUPAY_SHOP_ID: AU_SHOP_ID, AUPAY_API_KEY: AU_API_KEY,
  AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_PUBLIC_KEY_ID: AMAZON_KEY_ID, AMAZONPAY_PRIVATE_KEY_FILE: writeTestKeyFile(),
  GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox),
  YAHOO_API_BASE_URL: `${sandbox.url}/yahoo/ShoppingWebService/V1`, YAHOO_TOKEN_URL: `${sandbox.url}/yahoo/yconnect/v2`,
  YAHOO_SELLER_ID: YAHOO_SELLER, YAHOO_CLIENT_ID: YAHOO_APP.clientId, YAHOO_CLIENT_SECRET: YAHOO_APP.clientSecret, YAHOO_REFRESH_TOKEN,
});

beforeAll(async () => {
  ({ env, address } = await startDevServer());
  [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
  amazonPayTestClient(sandbox); // registers the test key at the emulator
  yahooTestShop(sandbox); // registers the Yahoo app and its refresh token
  accounts = createAccountStore(db.pool, parseKeyRing(keyRing, 'test'));
  await connectExternalSystem(accounts, sandbox, SHOP_ID);
  await setUpCancelShop(db.pool, accounts, sandbox, SHOP_ID); // the GMO-PG shop and the payment method settings
  api = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts });
  worker = await startWorkerProcess(workerEnv());
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await Promise.all([db?.stop(), sandbox?.stop()]);
  await env?.teardown();
});

const shop = <B = Record<string, unknown>>(method: string, path: string, body?: unknown) => callApi<B>(`${api.url}/shops/${SHOP_ID}${path}`, method, body);

type Kind = 'au-pay' | 'yahoo' | 'amazon-pay' | 'gmo-pg' | 'own' | 'ship-date-only' | 'bad';
const HEADER = ['受注番号', '出荷日', '配送会社', '配送伝票番号', 'モール', 'モール注文番号', '管理区分', '決済方法', '決済番号', '配送日自動設定', 'オーソリ確定処理', '宅配伝票番号API連携'];
type Cells = Partial<Record<(typeof HEADER)[number], string>>;
interface FileRow {
  kind: Kind;
  orderId: string;
  cells: Cells;
  /** a bad row: the column and the reason validation must give */
  problem?: { column: string; reason: RegExp | string };
  /** the provider's id of what the row acts on: the au PAY order number, the Yahoo OrderId, the GMO-PG OrderID, the Amazon Pay chargeId */
  ref?: string;
}

/** What a valid row's first import must say it did, by kind. */
const APPLIED_DETAIL: Record<Exclude<Kind, 'bad'>, { has: RegExp[]; not: RegExp[] }> = {
  'au-pay': { has: [/出荷日設定/, /受注データ連携OUT/, /au PAY: /], not: [/Yahoo/, /売上確定/] },
  yahoo: { has: [/出荷日設定/, /受注データ連携OUT/, /Yahoo: 出荷済み/], not: [/au PAY/, /売上確定/] },
  'amazon-pay': { has: [/出荷日設定/, /受注データ連携OUT/, /売上確定: 開始/], not: [/au PAY/, /Yahoo/] },
  'gmo-pg': { has: [/出荷日設定/, /受注データ連携OUT/, /売上確定: 開始/], not: [/au PAY/, /Yahoo/] },
  own: { has: [/出荷日設定/, /受注データ連携OUT/], not: [/au PAY/, /Yahoo/, /売上確定/] },
  'ship-date-only': { has: [/^出荷日設定$/], not: [] },
};

/**
 * The file's rows: the costly kinds (a marketplace call, a workflow each) a few dozen; for volume, ship-date-only rows
 * (one database write each) and one own-store row in twenty-four (each starts its order's data OUT delivery workflow),
 * so the test stays within CI's time (CI runs every test twice).
 */
const COUNTS = { auPay: 20, yahoo: 20, amazonPay: 6, gmoPg: 20 };
const TOTAL = 2000;

async function buildRows(): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  const pad = (i: number, n = 5) => String(i).padStart(n, '0');
  for (let i = 0; i < COUNTS.auPay; i += 1) {
    const { orderId: auPayOrderId } = sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID });
    rows.push({
      kind: 'au-pay', orderId: `AU-${pad(i)}`, ref: auPayOrderId,
      cells: { 出荷日: '2026/11/20', 配送会社: '佐川急便', 配送伝票番号: `3${pad(i, 11)}`, モール: 'au PAY マーケット', モール注文番号: auPayOrderId },
    });
  }
  const orderTime = new Date(Date.now() - 3_600_000).toISOString(); // past Yahoo's read-only minutes
  for (let i = 0; i < COUNTS.yahoo; i += 1) {
    const orderId = `${YAHOO_SELLER}-${30000000 + i}`;
    await sandbox.control('POST', '/yahoo/_sandbox/orders', { sellerId: YAHOO_SELLER, orderId, orderTime });
    rows.push({
      kind: 'yahoo', orderId, ref: orderId,
      cells: { 出荷日: '2026-11-20', 配送会社: 'ヤマト運輸', 配送伝票番号: `4${pad(i, 11)}`, モール: i % 2 ? 'yahoo' : 'Yahoo!ショッピング' },
    });
  }
  // Amazon Pay: authorized (not captured) through the API, as a checkout would; the file names neither モール nor 決済方法
  const amazon = Array.from({ length: COUNTS.amazonPay }, (_, i) => `AP-${pad(i)}`);
  for (const orderId of amazon) {
    const chargePermissionId = await mintChargePermission(sandbox, { chargePermissionType: 'OneTime', amount: 20000 });
    const started = await shop('POST', '/amazon-pay/authorizations', { orderId, chargePermissionId, amountJpy: 5500, captureOnAuthorization: false });
    expect(started.status).toBe(202);
  }
  for (const orderId of amazon) {
    const order = await until(async () => {
      const r = await shop<{ creditStatus: string; chargeId: string }>('GET', `/amazon-pay/orders/${orderId}`);
      return r.body.creditStatus === 'Authorized' && r.body;
    }, 60_000);
    rows.push({ kind: 'amazon-pay', orderId, ref: order.chargeId, cells: { 出荷日: '20261120', 配送会社: 'yamato', 配送伝票番号: `5${pad(rows.length, 11)}`, オーソリ確定処理: '確定する' } });
  }
  // GMO-PG: AUTH trades; half named by 決済番号, half by the 受注番号 itself (the default)
  for (let i = 0; i < COUNTS.gmoPg; i += 1) {
    const orderId = `GM-${pad(i)}`;
    const trade = i % 2 ? `GT-${pad(i)}` : orderId;
    await gmoAuthorize(sandbox, trade, new Date());
    rows.push({
      kind: 'gmo-pg', orderId, ref: trade,
      cells: { 出荷日: '2026/11/20', 配送会社: '日本郵便', 配送伝票番号: `6${pad(i, 11)}`, モール: '自社', 決済方法: METHODS.gmo, 決済番号: i % 2 ? trade : '', オーソリ確定処理: '確定する' },
    });
  }
  const bad: FileRow[] = [
    { kind: 'bad', orderId: 'BAD-DATE', cells: { 出荷日: '2026/02/30', 配送会社: 'sagawa', モール: '自社' }, problem: { column: '出荷日', reason: /^bad date/ } },
    { kind: 'bad', orderId: 'BAD-EMPTY-DATE', cells: { 出荷日: '', 配送会社: 'sagawa', モール: '自社' }, problem: { column: '出荷日', reason: /^required/ } },
    { kind: 'bad', orderId: 'BAD-CARRIER', cells: { 出荷日: '2026/11/20', 配送会社: 'クロネコ便', モール: '自社' }, problem: { column: '配送会社', reason: /^unknown carrier code/ } },
    { kind: 'bad', orderId: 'BAD-TRACKING', cells: { 出荷日: '2026/11/20', 配送会社: 'sagawa', 配送伝票番号: 'ＡＢ１２３', モール: '自社' }, problem: { column: '配送伝票番号', reason: /^bad tracking number/ } },
    { kind: 'bad', orderId: 'NOPE-1', cells: { 出荷日: '2026/11/20', 配送会社: 'sagawa' }, problem: { column: '受注番号', reason: 'unknown order: renkei has no record of order NOPE-1 (give モール or 決済方法)' } },
    { kind: 'bad', orderId: 'BAD-METHOD', cells: { 出荷日: '2026/11/20', 配送会社: 'sagawa', 決済方法: 'credit-nope' }, problem: { column: '決済方法', reason: /^unknown 決済方法 credit-nope/ } },
    { kind: 'bad', orderId: 'BAD-AU', cells: { 出荷日: '2026/11/20', 配送会社: 'sagawa', モール: 'au-pay' }, problem: { column: 'モール注文番号', reason: /no モール注文番号/ } },
    { kind: 'bad', orderId: `${YAHOO_SELLER}-39999999`, cells: { 出荷日: '2026/11/20', 配送会社: 'ヤマト運輸', 配送伝票番号: '123456789012345', モール: 'yahoo' }, problem: { column: '配送伝票番号', reason: /^Yahoo: ヤマト運輸/ } },
    {
      kind: 'bad', orderId: 'BAD-1075', cells: { 出荷日: '2026/11/20', 配送会社: 'sagawa', モール: '自社', 宅配伝票番号API連携: '連携する' },
      problem: { column: '配送伝票番号', reason: '「宅配伝票番号API連携:連携する」の場合、配送伝票番号は入力必須です (#1075)' },
    },
  ];
  // own-store and ship-date-only rows fill the file; the shop's default 配送日自動設定 (external) or the file's words
  const cheap = TOTAL - rows.length - bad.length - 1; // one duplicate row below
  for (let i = 0; i < cheap; i += 1) {
    const shipDateOnly = i % 24 !== 0;
    const orderId = `${shipDateOnly ? 'SD' : 'OWN'}-${pad(i)}`;
    rows.push({
      kind: shipDateOnly ? 'ship-date-only' : 'own', orderId,
      cells: {
        出荷日: '2026/11/21', 配送会社: i % 3 ? '福山通運' : 'seino', 配送伝票番号: i % 5 ? `7${pad(i, 11)}` : '', モール: '自社',
        配送日自動設定: shipDateOnly ? (i % 2 ? '配送日のみ' : '設定する(受注外部連携APIを実行しない)') : i % 48 === 0 ? '設定する' : '',
      },
    });
  }
  // a deterministic shuffle, so every kind is in flight when the worker dies
  let seed = 15;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const all = [...rows, ...bad];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  // the same 受注番号 again, after its first line: the first one stands
  const first = all.findIndex((r) => r.kind === 'own');
  all.push({ kind: 'bad', orderId: all[first]!.orderId, cells: { ...all[first]!.cells }, problem: { column: '受注番号', reason: `duplicate of line ${first + 2}` } });
  return all;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const shiftJisFile = (rows: FileRow[]) => iconv.encode(
  [HEADER, ...rows.map((r) => HEADER.map((h) => (h === '受注番号' ? r.orderId : r.cells[h] ?? '')))].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n',
  'Shift_JIS',
);

interface ImportView { id: string; status: string; encoding: string; total: number; done: number; counts: Record<string, number> }
const postFile = (bytes: Buffer) => fetch(`${api.url}/shops/${SHOP_ID}/shipment-imports?onError=skip`, {
  method: 'POST', body: bytes, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/csv' },
}).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string; total: number; valid: number; invalid: number; problems: Array<{ line: number; column: string; reason: string }> } }));
const view = async (id: string) => (await shop<ImportView>('GET', `/shipment-imports/${id}`)).body;
const finished = (id: string, timeoutMs: number) => until(async () => {
  const v = await view(id);
  return v.status !== 'running' && v;
}, timeoutMs, 250);

/** results.csv, decoded from Shift_JIS: [行, 受注番号, 結果, 詳細] per row. */
async function results(id: string): Promise<string[][]> {
  const res = await fetch(`${api.url}/shops/${SHOP_ID}/shipment-imports/${id}/results.csv`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/csv; charset=Shift_JIS/i);
  const records = parseCsv(iconv.decode(Buffer.from(await res.arrayBuffer()), 'Shift_JIS')).map((r) => r.cells);
  expect(records[0]).toEqual(['行', '受注番号', '結果', '詳細']);
  return records.slice(1);
}

/** Every state-changing call each sandbox applied, by provider. */
const appliedLedgers = () => ({
  auPay: sandbox.auPay.kit.ledger.list().filter((e) => e.applied).length,
  yahoo: sandbox.yahoo.kit.ledger.list().filter((e) => e.applied).length,
  gmoPg: sandbox.gmoPg.kit.ledger.list().filter((e) => e.applied).length,
  amazonPay: sandbox.amazonPay.kit.ledger.list().filter((e) => e.applied).length,
});
const outboxRows = async () => (await db.pool.query<{ order_id: string; n: string }>(
  `SELECT order_id, count(*) AS n FROM order_outbox WHERE shop_id = $1 AND event = 'shipment' GROUP BY order_id ORDER BY order_id`, [SHOP_ID])).rows;

test('2,000 rows of every kind, Shift_JIS, the worker killed in the middle: each effect once, results.csv row by row; imported again: all unchanged', async () => {
  const t0 = Date.now();
  const rows = await buildRows();
  expect(rows).toHaveLength(TOTAL);
  const lineOf = (r: FileRow) => rows.indexOf(r) + 2;
  const valid = rows.filter((r) => r.kind !== 'bad');
  const bad = rows.filter((r) => r.kind === 'bad');
  const ofKind = (k: Kind) => rows.filter((r) => r.kind === k);
  const file = shiftJisFile(rows);
  const tSetUp = Date.now();

  const posted = await postFile(file);
  expect(posted.status).toBe(202);
  expect(posted.body).toMatchObject({ total: TOTAL, valid: valid.length, invalid: bad.length });
  // whole-file validation: each bad row with its line, column and reason
  expect(posted.body.problems.map((p) => [p.line, p.column])).toEqual(bad.map((r) => [lineOf(r), r.problem!.column]).sort((a, b) => (a[0] as number) - (b[0] as number)));
  for (const r of bad) {
    const p = posted.body.problems.find((q) => q.line === lineOf(r))!;
    if (typeof r.problem!.reason === 'string') expect(p.reason).toBe(r.problem!.reason);
    else expect(p.reason).toMatch(r.problem!.reason);
  }
  const { id } = posted.body;

  // the kill lands after a few hundred rows' outcomes are recorded, long before the last
  const atKill = await until(async () => {
    const v = await view(id);
    return v.done >= 400 && v.done;
  }, 120_000, 50);
  await worker!.kill();
  expect(atKill).toBeLessThan(TOTAL - 500);
  worker = await startWorkerProcess(workerEnv());

  const done = await finished(id, 300_000);
  const tImported = Date.now();
  expect(done).toMatchObject({ status: 'completed', encoding: 'shift_jis', total: TOTAL, done: TOTAL });
  expect(done.counts).toMatchObject({ applied: valid.length, invalid: bad.length, unchanged: 0, refused: 0, failed: 0, canceled: 0 });

  // results.csv, row by row: what each row should have done
  const first = await results(id);
  expect(first.map((r) => [Number(r[0]), r[1]])).toEqual(rows.map((r) => [lineOf(r), r.orderId]));
  for (const [i, r] of rows.entries()) {
    const [, , outcome, detail] = first[i]!;
    if (r.kind === 'bad') {
      expect([r.orderId, outcome]).toEqual([r.orderId, 'invalid']);
      expect(detail).toContain(`${r.problem!.column}: ${typeof r.problem!.reason === 'string' ? r.problem!.reason : ''}`);
      if (typeof r.problem!.reason !== 'string') expect(detail!.slice(r.problem!.column.length + 2)).toMatch(r.problem!.reason);
      continue;
    }
    expect([r.orderId, outcome]).toEqual([r.orderId, 'applied']);
    for (const re of APPLIED_DETAIL[r.kind].has) expect([r.orderId, detail]).toEqual([r.orderId, expect.stringMatching(re)]);
    for (const re of APPLIED_DETAIL[r.kind].not) expect([r.orderId, detail]).toEqual([r.orderId, expect.not.stringMatching(re)]);
  }

  // the effects settle: au PAY chains complete, captures are recorded
  const auPayOrders = ofKind('au-pay').map((r) => r.orderId);
  await until(async () => (await db.pool.query(`SELECT 1 FROM au_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND link_status = $3`,
    [SHOP_ID, auPayOrders, LINK_STATUS.completed])).rowCount === auPayOrders.length, 120_000, 500);
  const captured = [...ofKind('amazon-pay'), ...ofKind('gmo-pg')].map((r) => r.orderId);
  await until(async () => (await db.pool.query(`SELECT 1 FROM order_shipments WHERE shop_id = $1 AND order_id = ANY($2) AND capture_status = '売上確定済み'`,
    [SHOP_ID, captured])).rowCount === captured.length, 120_000, 500);
  const tSettled = Date.now();

  // each effect exactly once in the sandboxes' ledgers
  const applied = (ledger: { list(f: { operation: string; orderId: string }): Array<{ applied: boolean; effect: string }> }, operation: string, orderId: string, effect?: RegExp) =>
    ledger.list({ operation, orderId }).filter((e) => e.applied && (!effect || effect.test(e.effect))).length;
  for (const r of ofKind('au-pay')) expect([r.orderId, applied(sandbox.auPay.kit.ledger, 'updateTradeInfoProc', r.ref!)]).toEqual([r.orderId, 1]);
  for (const r of ofKind('yahoo')) {
    expect([r.orderId, applied(sandbox.yahoo.kit.ledger, 'orderShipStatusChange', r.ref!)]).toEqual([r.orderId, 1]);
    expect(await yahooOrder(sandbox, r.ref!)).toMatchObject({ ShipStatus: '3', ShipCompanyCode: '1001', ShipInvoiceNumber1: r.cells.配送伝票番号, ShipDate: '2026-11-20' });
  }
  for (const r of ofKind('gmo-pg')) {
    expect([r.orderId, applied(sandbox.gmoPg.kit.ledger, 'AlterTran', r.ref!, /-> SALES/)]).toEqual([r.orderId, 1]);
    expect(await gmoStatus(sandbox, r.ref!)).toBe('SALES');
  }
  for (const r of ofKind('amazon-pay')) expect([r.orderId, applied(sandbox.amazonPay.kit.ledger, 'captureCharge', r.ref!)]).toEqual([r.orderId, 1]);
  // order data OUT: one 'shipment' row per order whose changes go out, none for ship-date-only rows
  const out = new Map((await outboxRows()).map((o) => [o.order_id, Number(o.n)]));
  const external = valid.filter((r) => r.kind !== 'ship-date-only');
  expect(external.filter((r) => out.get(r.orderId) !== 1).map((r) => [r.orderId, out.get(r.orderId)])).toEqual([]);
  expect(out.size).toBe(external.length);
  // the order's shipment recorded for every valid row, the tracking number as the file had it
  const { rows: recorded } = await db.pool.query<{ order_id: string; ship_date: string; tracking_number: string | null }>(
    `SELECT order_id, to_char(ship_date, 'YYYY-MM-DD') AS ship_date, tracking_number FROM order_shipments WHERE shop_id = $1`, [SHOP_ID]);
  const byOrder = new Map(recorded.map((s) => [s.order_id, s]));
  expect(byOrder.size).toBe(valid.length);
  for (const r of valid) expect(byOrder.get(r.orderId)?.tracking_number ?? '').toBe(r.cells.配送伝票番号 ?? '');

  // the same file again: every valid row unchanged, nothing new anywhere
  const ledgersBefore = appliedLedgers();
  const outBefore = await outboxRows();
  const again = await postFile(file);
  expect(again.status).toBe(202);
  expect(again.body.id).not.toBe(id);
  const second = await finished(again.body.id, 300_000);
  const tAgain = Date.now();
  expect(second).toMatchObject({ status: 'completed', total: TOTAL, done: TOTAL });
  expect(second.counts).toMatchObject({ applied: 0, unchanged: valid.length, invalid: bad.length, refused: 0, failed: 0, canceled: 0 });
  const secondResults = await results(again.body.id);
  for (const [i, r] of rows.entries()) {
    const [, orderId, outcome, detail] = secondResults[i]!;
    expect([orderId, outcome]).toEqual([r.orderId, r.kind === 'bad' ? 'invalid' : 'unchanged']);
    if (r.kind === 'bad') expect(detail).toBe(first[i]![3]);
  }
  expect(appliedLedgers()).toEqual(ledgersBefore);
  expect(await outboxRows()).toEqual(outBefore);

  process.stdout.write(`shipment import: ${TOTAL} rows (${COUNTS.auPay} au PAY, ${COUNTS.yahoo} Yahoo, ${COUNTS.amazonPay} Amazon Pay, ${COUNTS.gmoPg} GMO-PG, `
    + `${ofKind('own').length} own-store, ${ofKind('ship-date-only').length} ship-date-only, ${bad.length} bad); set up in ${tSetUp - t0} ms; `
    + `killed at ${atKill}/${TOTAL} done; imported in ${tImported - tSetUp} ms, settled ${tSettled - tImported} ms later; again in ${tAgain - tSettled} ms\n`);
}, 900_000);
