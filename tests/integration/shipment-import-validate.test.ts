import { createShipmentImport, getImportRow, getShipmentImport, listRowResults, nextPendingLines } from '../../db/shipment-imports';
import { columnNames, rowsFromCsv, rowsFromJson, type RawRow } from '../../shipment-import/file-rows';
import type { ShipmentFlags } from '../../shipment-import/types';
import { REQUIRED_TRACKING_1075, unknownOrderReason, validateShipmentRows } from '../../shipment-import/validate';
import { startTestDatabase, type TestDatabase } from '../support/database';

/**
 * The whole-file validation against a real (PGlite) database holding renkei's records of the orders: each rule, the
 * resolution of channel, payment and flags, and 100,000 rows validated and stored.
 */
const SHOP = 'validate-shop';
const FLAGS: ShipmentFlags = { shipDateMode: 'external', capture: false, trackingNumberApi: false };
let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  const q = (sql: string, args: unknown[]) => db.pool.query(sql, args);
  await q(`INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class) VALUES ($1, 'AU-1', '7001', '予約'), ($1, 'AU-2', '7002', '通常')`, [SHOP]);
  await q(`INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source) VALUES ($1, 'YH-1', '変更完了・出荷可', now(), 'api')`, [SHOP]);
  await q(`INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, charge_id, amount_jpy) VALUES ($1, 'AP-1', 'S01-1', 'S01-1-C01', 1200), ($1, 'AP-2', 'S01-2', NULL, 800)`, [SHOP]);
  await q(`INSERT INTO order_cancellations (shop_id, order_id, payment_method, payment_ref, order_status, status) VALUES ($1, 'GM-1', 'credit-gmo', '{"method":"credit-gmo","gmoPgOrderId":"GMO-ORDER-1"}', '受注', 'canceled')`, [SHOP]);
  await q(`INSERT INTO oplux_orders (shop_id, order_id, order_data) VALUES ($1, 'OP-1', '{}')`, [SHOP]);
  await q(`INSERT INTO payment_method_settings (shop_id, payment_method, provider) VALUES ($1, 'credit-gmo', 'gmo-pg'), ($1, 'amazon-pay-v2', 'amazon-pay'), ($1, 'atodene', 'manual')`, [SHOP]);
  // another shop's records say nothing of this shop's orders
  await q(`INSERT INTO oplux_orders (shop_id, order_id, order_data) VALUES ('other-shop', 'NOBODY-1', '{}')`, []);
}, 120_000);
afterAll(() => db?.stop());

const csv = (text: string) => rowsFromCsv(Buffer.from(text), 'text/csv').rows;
const validate = (rows: RawRow[], flags = FLAGS, source: 'csv' | 'json' = 'csv') =>
  validateShipmentRows(db.pool, SHOP, rows, { flags, columnOf: columnNames[source] });
const H = '受注番号,出荷日,配送会社,配送伝票番号,モール,モール注文番号,管理区分,決済方法,決済番号,配送日自動設定,オーソリ確定処理,宅配伝票番号API連携\r\n';

test('each cell rule: required, order number, date, carrier, tracking number, flag words — with line and column', async () => {
  const { valid, problems, invalid } = await validate(csv(H + [
    ',2026-11-30,yamato,,,,,,,,,',
    'OP 1,2026-02-30,飛脚,12_34,,,,,,,,',
    'OP-1,2026/11/30,ヤマト運輸,1234-5678,,,,,,する,はい,ON',
  ].join('\r\n')));
  expect(valid).toEqual([]);
  expect(problems).toEqual([
    { line: 2, column: '受注番号', reason: 'required: the cell is empty' },
    { line: 3, column: '受注番号', reason: 'bad order number "OP 1": letters, digits, _ or -, at most 64' },
    { line: 3, column: '出荷日', reason: expect.stringMatching(/^bad date "2026-02-30"/) },
    { line: 3, column: '配送会社', reason: expect.stringMatching(/^unknown carrier code "飛脚"; one of yamato, sagawa/) },
    { line: 3, column: '配送伝票番号', reason: expect.stringMatching(/^bad tracking number "12_34"/) },
    { line: 4, column: '配送日自動設定', reason: expect.stringMatching(/"する" is not one of 設定する/) },
    { line: 4, column: 'オーソリ確定処理', reason: expect.stringMatching(/"はい" is not one of 確定する or 確定しない/) },
    { line: 4, column: '宅配伝票番号API連携', reason: expect.stringMatching(/"ON" is not one of 連携する or 連携しない/) },
  ]);
  expect(invalid.map((r) => [r.line, r.orderId])).toEqual([[2, ''], [3, 'OP 1'], [4, 'OP-1']]);
  expect(invalid[2]!.detail).toMatch(/^配送日自動設定: "する" is not one of .*; オーソリ確定処理: /);
});

test('a 受注番号 twice: the later lines are duplicates of the first', async () => {
  const { valid, problems } = await validate(csv(H + 'OP-1,2026-11-30,yamato,,,,,,,,,\r\nAP-1,2026-11-30,yamato,,,,,,,,,\r\nOP-1,2026-12-01,sagawa,,,,,,,,,\r\nOP-1,2026-12-01,sagawa,,,,,,,,,\r\n'));
  expect(valid.map((r) => r.line)).toEqual([2, 3]);
  expect(problems).toEqual([
    { line: 4, column: '受注番号', reason: 'duplicate of line 2' },
    { line: 5, column: '受注番号', reason: 'duplicate of line 2' },
  ]);
});

test('an order renkei has no record of (in this shop) needs モール or 決済方法; an unknown 決済方法 is refused', async () => {
  const { valid, problems } = await validate(csv(H + [
    'NOBODY-1,2026-11-30,yamato,,,,,,,,,',
    'NEW-1,2026-11-30,yamato,,自社,,,,,,,',
    'NEW-2,2026-11-30,yamato,,,,,credit-gmo,,,,',
    'NEW-3,2026-11-30,yamato,,,,,paypay,,,,',
  ].join('\r\n')));
  expect(problems).toEqual([
    { line: 2, column: '受注番号', reason: unknownOrderReason('NOBODY-1') },
    { line: 5, column: '決済方法', reason: 'unknown 決済方法 paypay: the shop has no payment method settings for it' },
  ]);
  expect(valid).toEqual([
    expect.objectContaining({ orderId: 'NEW-1', channel: { kind: 'own' }, payment: { method: null, provider: null, ref: null } }),
    expect.objectContaining({ orderId: 'NEW-2', channel: { kind: 'own' }, payment: { method: 'credit-gmo', provider: 'gmo-pg', ref: 'NEW-2' } }),
  ]);
});

test('channel: au PAY from its records (market number, 管理区分) or the file; an au PAY order with no market number is refused', async () => {
  const { valid, problems } = await validate(csv(H + [
    'AU-1,2026-11-30,japan-post,123456789012,,,,,,,,',
    'AU-2,2026-11-30,佐川急便,,,7999,,,,,,',
    'AU-3,2026-11-30,yamato,,au PAY マーケット,8001,予約,,,,,',
    'AU-4,2026-11-30,yamato,,au-pay,,,,,,,',
  ].join('\r\n')));
  expect(problems).toEqual([{ line: 5, column: 'モール注文番号', reason: 'au PAY order AU-4: no モール注文番号 given and renkei has none stored' }]);
  expect(valid.map((r) => [r.orderId, r.carrier, r.trackingNumber, r.channel])).toEqual([
    ['AU-1', 'japan-post', '123456789012', { kind: 'au-pay', auPayOrderId: '7001', managementClass: '予約' }],
    ['AU-2', 'sagawa', null, { kind: 'au-pay', auPayOrderId: '7999', managementClass: '通常' }],
    ['AU-3', 'yamato', null, { kind: 'au-pay', auPayOrderId: '8001', managementClass: '予約' }],
  ]);
});

test('channel: Yahoo from its records or the file (OrderId defaults to 受注番号), with A.6\'s invoice rules', async () => {
  const { valid, problems } = await validate(csv(H + [
    'YH-1,2026-11-30,yamato,1234-5678-9012,,,,,,,,',
    'YH-2,2026-11-30,yamato,1234-5678-90123,yahoo,shop-10001,,,,,,',
    'YH-3,2026-11-30,japan-post,1234-5678-9,Yahoo!ショッピング,,,,,,,',
    'YH-4,2026-11-30,japan-post,1234-5678-901,yahoo,,,,,,,',
    'YH-5,2026-11-30,yamato,ABC-123,yahoo,,,,,,,',
  ].join('\r\n')));
  expect(problems).toEqual([
    { line: 3, column: '配送伝票番号', reason: expect.stringMatching(/^Yahoo: ヤマト運輸の伝票番号は数字と - で14文字まで/) },
    { line: 4, column: '配送伝票番号', reason: expect.stringMatching(/^Yahoo: 日本郵便の伝票番号は - を除いて11～13文字/) },
    { line: 6, column: '配送伝票番号', reason: expect.stringMatching(/^Yahoo: ヤマト運輸/) },
  ]);
  expect(valid.map((r) => [r.orderId, r.channel])).toEqual([
    ['YH-1', { kind: 'yahoo', yahooOrderId: 'YH-1' }],
    ['YH-4', { kind: 'yahoo', yahooOrderId: 'YH-4' }],
  ]);
});

test('payment: 決済方法 gives the provider; else Amazon Pay\'s charge, else a cancel\'s GMO-PG OrderID; 決済番号 overrides', async () => {
  const { valid, problems } = await validate(csv(H + [
    'AP-1,2026-11-30,yamato,,,,,,,,,',
    'AP-2,2026-11-30,yamato,,,,,,,,,',
    'GM-1,2026-11-30,yamato,,,,,,,,,',
    'GM-2,2026-11-30,yamato,,,,,credit-gmo,GMO-X-9,,,',
    'AP-3,2026-11-30,yamato,,,,,amazon-pay-v2,S01-3-C01,,,',
    'OP-1,2026-11-30,yamato,,,,,atodene,,,,',
  ].join('\r\n')));
  expect(problems).toEqual([]);
  expect(valid.map((r) => [r.orderId, r.payment])).toEqual([
    ['AP-1', { method: null, provider: 'amazon-pay', ref: 'S01-1-C01' }],
    ['AP-2', { method: null, provider: 'amazon-pay', ref: null }],
    ['GM-1', { method: 'credit-gmo', provider: 'gmo-pg', ref: 'GMO-ORDER-1' }],
    ['GM-2', { method: 'credit-gmo', provider: 'gmo-pg', ref: 'GMO-X-9' }],
    ['AP-3', { method: 'amazon-pay-v2', provider: 'amazon-pay', ref: 'S01-3-C01' }],
    ['OP-1', { method: 'atodene', provider: 'manual', ref: null }],
  ]);
});

test('flags: the row\'s cell, else the file\'s (here the defaults given); #1075 refuses a row without a tracking number', async () => {
  const fileFlags: ShipmentFlags = { shipDateMode: 'ship-date-only', capture: true, trackingNumberApi: false };
  const { valid, problems } = await validate(csv(H + [
    'OP-1,2026-11-30,yamato,,,,,,,,,',
    'AP-1,2026-11-30,yamato,,,,,,,設定する,確定しない,',
    'AP-2,2026-11-30,yamato,,,,,,,設定する(受注外部連携APIを実行しない),,連携する',
    'GM-1,2026-11-30,yamato,5555,,,,,,配送日のみ,,連携する',
  ].join('\r\n')), fileFlags);
  expect(problems).toEqual([{ line: 4, column: '配送伝票番号', reason: REQUIRED_TRACKING_1075 }]);
  expect(valid.map((r) => [r.orderId, r.flags])).toEqual([
    ['OP-1', { shipDateMode: 'ship-date-only', capture: true, trackingNumberApi: false }],
    ['AP-1', { shipDateMode: 'external', capture: false, trackingNumberApi: false }],
    ['GM-1', { shipDateMode: 'ship-date-only', capture: true, trackingNumberApi: true }],
  ]);
  // the file's default on: every row needs one
  const all = await validate(csv(H + 'OP-1,2026-11-30,yamato,,,,,,,,,\r\n'), { ...FLAGS, trackingNumberApi: true });
  expect(all.problems).toEqual([{ line: 2, column: '配送伝票番号', reason: REQUIRED_TRACKING_1075 }]);
});

test('JSON rows: line = index + 1, problems name the JSON field, typed flags', async () => {
  const { valid, problems } = await validate(rowsFromJson([
    { orderId: 'OP-1', shipDate: '20261130', carrier: 'other', capture: true },
    { orderId: 'OP-2', shipDate: '2026-11-30', carrier: 'yamato' },
  ]), FLAGS, 'json');
  expect(valid).toEqual([{
    line: 1, orderId: 'OP-1', shipDate: '2026-11-30', carrier: 'other', trackingNumber: null, channel: { kind: 'own' },
    payment: { method: null, provider: null, ref: null }, flags: { ...FLAGS, capture: true },
  }]);
  expect(problems).toEqual([{ line: 2, column: 'orderId', reason: unknownOrderReason('OP-2') }]);
});

test('100,000 rows: validated against the records and stored in one statement; the figures printed', async () => {
  const N = 100_000;
  // half of the orders known (au PAY), the other half new with モール 自社
  await db.pool.query(
    `INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class)
     SELECT $1, 'BIG-' || i, (100000 + i)::text, '通常' FROM generate_series(1, $2) AS i`, [SHOP, N / 2]);
  const lines = Array.from({ length: N }, (_, i) => (i < N / 2 ? `BIG-${i + 1},2026/11/30,yamato,${i + 1},,,,,,,,` : `NEW-BIG-${i + 1},2026/11/30,sagawa,,自社,,,,,,,`));
  const text = H + lines.join('\r\n') + '\r\n';
  const t0 = Date.now();
  const rows = rowsFromCsv(Buffer.from(text), 'text/csv').rows;
  const t1 = Date.now();
  const v = await validate(rows);
  const t2 = Date.now();
  expect(v.problems).toEqual([]);
  expect(v.valid).toHaveLength(N);
  expect(v.valid[0]!.channel).toEqual({ kind: 'au-pay', auPayOrderId: '100001', managementClass: '通常' });
  expect(v.valid[N - 1]!.channel).toEqual({ kind: 'own' });

  const id = 'f'.repeat(32);
  const created = await createShipmentImport(db.pool, {
    id, shopId: SHOP, encoding: 'utf-8', onError: 'reject', actor: { id: 'api-token', name: 'API_TOKEN', role: 'admin', shops: null },
    idempotencyKey: null, requestHash: 'h', rows: v.valid, invalid: [],
  });
  const t3 = Date.now();
  expect(created).toBe(true);
  expect(await getShipmentImport(db.pool, SHOP, id)).toMatchObject({ total: N, done: 0, status: 'running' });
  expect(await nextPendingLines(db.pool, id, N - 1, 10)).toEqual([N, N + 1]);
  expect(await getImportRow(db.pool, id, N + 1)).toEqual(v.valid[N - 1]);
  expect((await listRowResults(db.pool, SHOP, id)).length).toBe(N);
  process.stdout.write(`shipment import, ${N} rows on PGlite: CSV read ${t1 - t0} ms, validated ${t2 - t1} ms, stored ${t3 - t2} ms\n`);
}, 300_000);
