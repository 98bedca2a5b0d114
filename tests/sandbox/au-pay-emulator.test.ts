import { createAuPayClient, type AuPayClient } from '../../au-pay/client';
import { AuPayApiError } from '../../au-pay/errors';
import { AU_API_KEY, AU_SHOP_ID, startTestSandbox, type TestSandbox } from '../support/sandbox';

/** The au PAY emulator over HTTP, through our client and through raw requests as another client would send them. */
let sandbox: TestSandbox;
let client: AuPayClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = createAuPayClient({ baseUrl: sandbox.auPayBaseUrl, shopId: AU_SHOP_ID, apiKey: AU_API_KEY, timeoutMs: 1000 });
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await sandbox.control('POST', '/au-pay/_sandbox/reset');
  await sandbox.control('POST', '/au-pay/_sandbox/shops', { shopId: AU_SHOP_ID, apiKey: AU_API_KEY });
});

const newTrade = (orderId: string, extra: Record<string, unknown> = {}) =>
  sandbox.control('POST', '/au-pay/_sandbox/trades', { shopId: AU_SHOP_ID, orderId, ...extra });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AuPayApiError);
const postXml = (operation: string, body: string, key = AU_API_KEY) =>
  fetch(`${sandbox.auPayBaseUrl}/${operation}`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml; charset=utf-8' }, body,
  });

test('ship info and 完了 land on the trade; the ledger records each effect', async () => {
  await newTrade('1001');
  await client.updateTradeInfo({ orderId: '1001', shippingDate: '2026-11-20', shippingCarrier: '2', shippingNumber: '' });
  await client.updateTradeStatus({ orderId: '1001', orderStatus: '完了' });
  await client.updateTradeStatus({ orderId: '1001', orderStatus: '完了' }); // same status: success, changes nothing
  expect(await client.searchTradeInfo('1001')).toMatchObject({ orderStatus: '完了', shippingDate: '2026/11/20', shippingCarrier: '2', shippingNumber: '' });
  const { entries } = await sandbox.control<{ entries: Array<{ operation: string; applied: boolean }> }>('GET', '/au-pay/_sandbox/ledger?orderId=1001');
  expect(entries.map((e) => [e.operation, e.applied])).toEqual([
    ['updateTradeInfoProc', true], ['updateTradeStsProc', true], ['updateTradeStsProc', false],
  ]);
  expect(await client.searchTradeInfo('9999')).toBeNull();
});

test('a wrong key, a bad store id and an expired key are 認証 errors nobody should retry', async () => {
  const wrongKey = createAuPayClient({ baseUrl: sandbox.auPayBaseUrl, shopId: AU_SHOP_ID, apiKey: 'nope', timeoutMs: 1000 });
  const err = await caught(wrongKey.searchTradeInfo('1'));
  expect(err).toMatchObject({ kind: 'auth', code: '0002', httpStatus: 401, message: '認証に失敗しました', retryable: false });

  const badShop = createAuPayClient({ baseUrl: sandbox.auPayBaseUrl, shopId: '999', apiKey: AU_API_KEY, timeoutMs: 1000 });
  expect(await caught(badShop.searchTradeInfo('1'))).toMatchObject({ kind: 'auth', httpStatus: 401 });

  await sandbox.control('POST', '/au-pay/_sandbox/clock', { advanceMs: 89 * 86_400_000 });
  await expect(client.searchTradeInfo('1')).resolves.toBeNull(); // day 89: still valid
  await sandbox.control('POST', '/au-pay/_sandbox/clock', { advanceMs: 1 * 86_400_000 });
  expect(await caught(client.searchTradeInfo('1'))).toMatchObject({ kind: 'auth', code: '0002' }); // day 90: expired
});

test('a canceled trade answers 指定の取引はキャンセル済みです and is not changed', async () => {
  await newTrade('1002');
  await sandbox.control('POST', `/au-pay/_sandbox/trades/${AU_SHOP_ID}/1002/cancel`);
  const err = await caught(client.updateTradeInfo({ orderId: '1002', shippingDate: '2026/11/20', shippingCarrier: '1', shippingNumber: '1' }));
  expect(err).toMatchObject({ kind: 'canceled', message: '指定の取引はキャンセル済みです', retryable: false });
  expect((await client.searchTradeInfo('1002'))?.shippingNumber).toBe('');
});

test('raw XML: fields wrapped in an extra element are missing; bad values are named', async () => {
  await newTrade('1003');
  const wrapped = await postXml('updateTradeInfoProc', `<?xml version="1.0" encoding="UTF-8"?><request><order><shopId>${AU_SHOP_ID}</shopId><orderId>1003</orderId></order></request>`);
  expect(wrapped.status).toBe(200);
  const text = await wrapped.text();
  // the store id is inside the wrapper too, so the market cannot tell whose request it is
  expect(text).toMatch(/<status>1<\/status>/);

  const noOrder = await postXml('updateTradeInfoProc', `<request><shopId>${AU_SHOP_ID}</shopId><shippingDate>2026/11/20</shippingDate></request>`);
  expect(await noOrder.text()).toContain('<message>[orderId]必須入力項目です</message>');

  const badCarrier = await caught(client.updateTradeInfo({ orderId: '1003', shippingDate: '2026/11/20', shippingCarrier: '3', shippingNumber: '' }));
  expect(badCarrier).toMatchObject({ kind: 'invalid', message: '[shippingCarrier]入力値が不正です' });
  const badDate = await caught(client.updateTradeInfo({ orderId: '1003', shippingDate: '2026/02/30', shippingCarrier: '1', shippingNumber: '' }));
  expect(badDate).toMatchObject({ kind: 'invalid', message: '[shippingDate]入力値が不正です' });

  const notXml = await postXml('updateTradeStsProc', 'orderId=1003');
  expect(await notXml.text()).toContain('String could not be parsed as XML');
});

test('fault → recovery → reset: an injected 503 changes nothing, the next call works, reset clears everything', async () => {
  await newTrade('1004');
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeStsProc', kind: 'error', status: 503, times: 1 });
  const err = await caught(client.updateTradeStatus({ orderId: '1004', orderStatus: '完了' }));
  expect(err).toMatchObject({ kind: 'transient', httpStatus: 503, retryable: true });
  expect((await client.searchTradeInfo('1004'))?.orderStatus).toBe('発送待ち');

  await client.updateTradeStatus({ orderId: '1004', orderStatus: '完了' });
  expect((await client.searchTradeInfo('1004'))?.orderStatus).toBe('完了');

  await sandbox.control('POST', '/au-pay/_sandbox/reset');
  const after = await sandbox.control<{ entries: unknown[] }>('GET', '/au-pay/_sandbox/ledger');
  expect(after.entries).toEqual([]);
  expect((await sandbox.control<{ faults: unknown[] }>('GET', '/au-pay/_sandbox/faults')).faults).toEqual([]);
  expect(await caught(client.searchTradeInfo('1004'))).toMatchObject({ kind: 'auth' }); // shops are gone too
});

test('a timeout fault drops the connection; with afterEffect the change has landed', async () => {
  await newTrade('1005');
  await sandbox.control('POST', '/au-pay/_sandbox/faults', { operation: 'updateTradeStsProc', kind: 'timeout', delayMs: 1500, afterEffect: true, times: 1 });
  expect(await caught(client.updateTradeStatus({ orderId: '1005', orderStatus: '完了' }))).toMatchObject({ kind: 'transient', code: 'TIMEOUT' });
  expect((await client.searchTradeInfo('1005'))?.orderStatus).toBe('完了');
});

test('maintenance, forced or by the JST window, is a transient error', async () => {
  await sandbox.control('POST', '/au-pay/_sandbox/settings', { maintenance: true });
  expect(await caught(client.searchTradeInfo('1'))).toMatchObject({ kind: 'transient', code: 'EMU-MAINTENANCE' });
  await sandbox.control('POST', '/au-pay/_sandbox/settings', { maintenance: false, maintenanceWindows: [{ from: '01:00', to: '08:30' }] });
  await sandbox.control('POST', '/au-pay/_sandbox/clock', { now: '2026-11-23T01:00:00+09:00' });
  expect(await caught(client.searchTradeInfo('1'))).toMatchObject({ code: 'EMU-MAINTENANCE' });
  await sandbox.control('POST', '/au-pay/_sandbox/clock', { now: '2026-11-23T09:00:00+09:00' });
  await expect(client.searchTradeInfo('1')).resolves.toBeNull();
});

test('the list search pages until a short page', async () => {
  for (let i = 0; i < 5; i++) await newTrade(String(2000 + i));
  const all = await client.searchTradeInfoList({ dateType: 0, startDate: '2000-01-01', endDate: '2100-01-01', pageSize: 2 });
  expect(all.map((t) => t.orderId).sort()).toEqual(['2000', '2001', '2002', '2003', '2004']);
  expect(await client.searchTradeInfoList({ dateType: 0, startDate: '20000101', endDate: '20000102' })).toEqual([]);
});

test('bad control-plane input is a 400 naming the field', async () => {
  const res = await fetch(`${sandbox.url}/au-pay/_sandbox/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'explode' }),
  });
  expect(res.status).toBe(400);
  expect((await res.json()) as unknown).toMatchObject({ issues: [{ field: 'kind' }] });
});
