import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createYahooEmulator, type YahooEmulator } from '../../yahoo/emulator';
import { createYahooClient, type YahooClient } from '../../yahoo/client';
import { createRefreshingTokenProvider, exchangeAuthorizationCode } from '../../yahoo/token-provider';
import { YahooApiError } from '../../yahoo/errors';
import { controlClient } from '../support/control-client';

/** The Yahoo!ショッピング emulator over HTTP, mounted on its own app (as the sandbox host will mount it), through our client. */
const SELLER = 'demo-store';
const APP = { clientId: 'test-client', clientSecret: 'test-secret', sellerId: SELLER };
const LIST_FIELDS = ['OrderId', 'OrderTime', 'OrderStatus', 'SettleStatus', 'PayMethod', 'PayMethodChangeDeadline', 'IsPayMethodChangePossible'];

let emulator: YahooEmulator;
let server: Server;
let url = '';
let accessToken = '';
let refreshToken = '';
let client: YahooClient;

beforeAll(async () => {
  emulator = createYahooEmulator();
  const app = express();
  app.use(emulator.router);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createYahooClient({ baseUrl: `${url}/ShoppingWebService/V1`, sellerId: SELLER, tokens: { accessToken: async () => accessToken }, timeoutMs: 2000 });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const control = controlClient(() => `${url}/_sandbox`);

beforeEach(async () => {
  await control('POST', '/reset');
  await control('POST', '/apps', APP);
  await control('POST', '/settings', { rateLimitPerSecond: 100 }); // the rate-limit test sets its own
  const t = await control<{ access_token: string; refresh_token: string }>('POST', `/apps/${APP.clientId}/tokens`);
  accessToken = t.access_token;
  refreshToken = t.refresh_token;
});

const HOUR = 3_600_000;
/** Moves the sandbox clock and takes a fresh token there (a jump of hours outlives the 1-hour access token). */
async function clockTo(now: string) {
  await control('POST', '/clock', { now });
  accessToken = (await control<{ access_token: string }>('POST', `/apps/${APP.clientId}/tokens`)).access_token;
}
const AT_NOON = { orderTime: '2026-11-23T12:00:00+09:00' };
/** An order placed an hour ago (older than the 10-minute read-only period, so orderList returns it by default). */
const newOrder = (extra: Record<string, unknown> = {}) =>
  control<{ OrderId: string }>('POST', '/orders', { sellerId: SELLER, orderTime: new Date(Date.now() - HOUR).toISOString(), ...extra });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as YahooApiError);
const compact = (at: Date) => new Date(at.getTime() + 9 * HOUR).toISOString().slice(0, 19).replace(/[-T:]/g, '');
const since = (ms: number) => ({ OrderTimeFrom: compact(new Date(Date.now() - ms)) });

describe('auth', () => {
  test('no token, an unknown token and an expired access token are 401s nobody should retry', async () => {
    const res = await fetch(`${url}/ShoppingWebService/V1/orderInfo`, { method: 'POST', body: '<Req/>' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('realm="yahooapis.jp"');
    expect(await res.text()).toMatch(/<Error><Message>Please provide valid credentials.*<\/Message><Code>invalid_request<\/Code><\/Error>/);

    const order = await newOrder();
    const stranger = createYahooClient({ baseUrl: `${url}/ShoppingWebService/V1`, sellerId: SELLER, tokens: { accessToken: async () => 'at.nope' }, timeoutMs: 2000 });
    expect(await caught(stranger.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 401, code: 'invalid_token', retryable: false });

    await control('POST', '/clock', { advanceMs: 3601_000 });
    expect(await caught(client.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 401, code: 'invalid_token', retryable: false });

    // the refresh flow gives a working token, but not past the 12-hour order-API session: px-04102
    const yconnect = { baseUrl: `${url}/yconnect/v2`, clientId: APP.clientId, clientSecret: APP.clientSecret, timeoutMs: 2000 };
    const provider = createRefreshingTokenProvider({ ...yconnect, refreshToken });
    const refreshed = createYahooClient({ baseUrl: `${url}/ShoppingWebService/V1`, sellerId: SELLER, tokens: provider, timeoutMs: 2000 });
    expect((await refreshed.orderInfo(order.OrderId, ['OrderId'])).order.OrderId).toBe(order.OrderId);
    await control('POST', '/clock', { advanceMs: 11 * HOUR });
    provider.invalidate();
    expect(await caught(refreshed.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 401, code: 'px-04102', retryable: false });
  });

  test('the authorization-code flow: redirect with a one-use code, then the token endpoint', async () => {
    const redirectUri = 'https://shop.example/callback';
    const res = await fetch(`${url}/yconnect/v2/authorization?response_type=code&client_id=${APP.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=s1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location') ?? '');
    expect(to.searchParams.get('state')).toBe('s1');
    const code = to.searchParams.get('code') ?? '';
    const yconnect = { baseUrl: `${url}/yconnect/v2`, clientId: APP.clientId, clientSecret: APP.clientSecret, timeoutMs: 2000 };
    const t = await exchangeAuthorizationCode(yconnect, code, redirectUri);
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(t.refresh_token).toBeTruthy();
    expect(await caught(exchangeAuthorizationCode(yconnect, code, redirectUri))).toMatchObject({ httpStatus: 400, code: 'invalid_grant', retryable: false });
  });

  test('an app without the store scope gets 401 insufficient_scope; one without order-API approval px-04303', async () => {
    const order = await newOrder();
    await control('POST', '/apps', { ...APP, storeScope: false });
    expect(await caught(client.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 401, code: 'insufficient_scope', retryable: false });
    await control('POST', '/apps', { ...APP, orderApiApproved: false });
    expect(await caught(client.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 403, code: 'px-04303', retryable: false });
  });
});

test('orderList: conditions, TotalCount for the whole match, paging and sort', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await newOrder({ orderTime: new Date(Date.now() - HOUR + i * 60_000).toISOString() })).OrderId);
  await newOrder({ orderStatus: '4' });
  await newOrder({ orderTime: new Date().toISOString() }); // still read-only: hidden unless ReadOnlyMode=2

  const page = await client.orderList({ condition: { ...since(2 * HOUR), OrderStatus: '2' }, fields: ['OrderId', 'OrderStatus'], result: 2, start: 3 });
  expect(page.totalCount).toBe(5);
  expect(page.orders.map((o) => o.OrderId)).toEqual(ids.slice(2, 4));
  expect(page.orders[0]).toEqual({ Index: '3', OrderId: ids[2], OrderStatus: '2' });

  const all = await client.orderListAll({ condition: { ...since(2 * HOUR), OrderStatus: '2' }, fields: ['OrderId'], result: 2, sort: '-order_time' });
  expect(all.map((o) => o.OrderId)).toEqual([...ids].reverse());
  expect((await client.orderList({ condition: { ...since(2 * HOUR), OrderStatus: '2,4' }, fields: ['OrderId'] })).totalCount).toBe(6);
  expect((await client.orderList({ condition: { ...since(2 * HOUR), ReadOnlyMode: 2 }, fields: ['OrderId'] })).totalCount).toBe(7);

  const overrun = await client.orderList({ condition: since(2 * HOUR), fields: ['OrderId'], start: 50 });
  expect(overrun).toEqual({ totalCount: 6, orders: [] });

  expect(await caught(client.orderList({ condition: { OrderStatus: '2' }, fields: ['OrderId'] }))).toMatchObject({ httpStatus: 400, retryable: false });
  expect(await caught(client.orderList({ condition: { ...since(HOUR), IsPayMethodChangePossible: false }, fields: ['OrderId'] }))).toMatchObject({ httpStatus: 400 });
});

test('re-payment: auth error → listed in the window → the buyer changes the method → done date, flag false, SettleStatus 3', async () => {
  await clockTo('2026-11-23T14:00:00+09:00');
  const order = await newOrder(AT_NOON);
  const other = await newOrder(AT_NOON);
  const failed = await control<{ PayMethodChangeDeadline: string }>('POST', `/orders/${order.OrderId}/authorization-error`, { at: '2026-11-23T14:23:00+09:00' });
  expect(failed.PayMethodChangeDeadline).toBe('2026-12-01T23:59:59+09:00');
  await control('POST', `/orders/${other.OrderId}/authorization-error`, { at: '2026-11-25T09:00:00+09:00' }); // deadline 12-03, out of range

  await clockTo('2026-11-24T10:00:00+09:00');
  const open = await client.orderList({
    condition: { SettleStatus: 10, IsPayMethodChangePossible: true, PayMethodChangeDeadlineFrom: '20261124100000', PayMethodChangeDeadlineTo: '20261203100000' },
    fields: LIST_FIELDS,
  });
  expect(open.orders).toEqual([expect.objectContaining({ OrderId: order.OrderId, SettleStatus: '10', PayMethodChangeDeadline: '2026-12-01T23:59:59+09:00', IsPayMethodChangePossible: 'true' })]);
  expect(open.orders[0]).not.toHaveProperty('PayMethodChangeDoneDate'); // orderInfo only

  await control('POST', `/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
  const info = await client.orderInfo(order.OrderId, ['OrderId', 'OrderStatus', 'SettleStatus', 'PayMethod', 'PayMethodChangeDeadline', 'PayMethodChangeDoneDate', 'IsPayMethodChangePossible']);
  expect(info.order).toEqual({ OrderId: order.OrderId, OrderStatus: '2' });
  expect(info.pay).toEqual({
    SettleStatus: '3', PayMethod: 'payment_a1', PayMethodChangeDeadline: '2026-12-01T23:59:59+09:00',
    PayMethodChangeDoneDate: '2026-11-24T10:00:00+09:00', IsPayMethodChangePossible: 'false',
  });
  // the seed's search #2: changed orders show as SettleStatus 3 within the same deadline range
  const changed = await client.orderList({ condition: { SettleStatus: 3, PayMethodChangeDeadlineFrom: '20261124100000', PayMethodChangeDeadlineTo: '20261203100000' }, fields: ['OrderId'] });
  expect(changed.orders.map((o) => o.OrderId)).toEqual([order.OrderId]);
  // a second change is refused
  await expect(control('POST', `/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a7' })).rejects.toThrow(/409/);
});

test('after the deadline the flag is false and the order stays SettleStatus 10 (no auto-cancel by default)', async () => {
  await clockTo('2026-11-23T14:00:00+09:00');
  const order = await newOrder(AT_NOON);
  await control('POST', `/orders/${order.OrderId}/authorization-error`, { at: '2026-11-23T14:23:00+09:00' });
  await clockTo('2026-12-01T23:59:59+09:00');
  expect((await client.orderInfo(order.OrderId, ['IsPayMethodChangePossible'])).pay).toEqual({ IsPayMethodChangePossible: 'true' });
  await clockTo('2026-12-02T00:00:00+09:00');
  const info = await client.orderInfo(order.OrderId, ['OrderStatus', 'SettleStatus', 'IsPayMethodChangePossible']);
  expect(info.pay).toEqual({ SettleStatus: '10', IsPayMethodChangePossible: 'false' });
  expect(info.order.OrderStatus).toBe('2');
});

test('cancel: the store cancels with a reason; a repeat is od91705 (success); a cancelled order refuses other statuses', async () => {
  const order = await newOrder();
  await control('POST', `/orders/${order.OrderId}/authorization-error`);
  expect(await client.orderStatusChange({ orderId: order.OrderId, status: '4', isPointFix: false, cancelReason: '200' })).toEqual([]);
  const info = await client.orderInfo(order.OrderId, ['OrderStatus', 'CancelReason', 'SettleStatus', 'IsPayMethodChangePossible']);
  expect(info.order).toEqual({ OrderStatus: '4', CancelReason: '200' });
  expect(info.pay).toEqual({ SettleStatus: '6', IsPayMethodChangePossible: 'false' });

  expect(await client.orderStatusChange({ orderId: order.OrderId, status: '4', isPointFix: false })).toEqual([expect.objectContaining({ code: 'od91705' })]);
  // od99902 is the sandbox's own (fake) code for a business-rule rejection
  expect(await caught(client.orderStatusChange({ orderId: order.OrderId, status: '2', isPointFix: false }))).toMatchObject({ httpStatus: 400, code: 'od99902', retryable: false });
  expect(await caught(client.orderStatusChange({ orderId: 'demo-store-0', status: '4', isPointFix: false }))).toMatchObject({ code: 'or-01001', retryable: false });
  expect(await caught(client.orderStatusChange({ orderId: (await newOrder()).OrderId, status: '4', isPointFix: false, cancelReason: '230', cancelReasonDetail: 'short' }))).toMatchObject({ httpStatus: 400 });

  const buyer = await newOrder();
  await control('POST', `/orders/${buyer.OrderId}/authorization-error`);
  await control('POST', `/orders/${buyer.OrderId}/buyer-cancel`, { cancelReason: '380' });
  const b = await client.orderInfo(buyer.OrderId, ['OrderStatus', 'CancelReason', 'IsPayMethodChangePossible']);
  expect(b).toMatchObject({ order: { OrderStatus: '4', CancelReason: '380' }, pay: { IsPayMethodChangePossible: 'false' } });
});

test('ship, pay and complete; a same-status request answers the od91705 warning, which is a success', async () => {
  const order = await newOrder({ payMethod: 'payment_b1' });
  const ship = { orderId: order.OrderId, shipStatus: '3' as const, shipCompanyCode: '1001', invoice1: '1234-5678-9012', shipDate: '20261123', shipUrl: 'https://t.example/?a=1&b=2' };
  expect(await client.orderShipStatusChange(ship)).toEqual([]);
  expect(await client.orderShipStatusChange(ship)).toEqual([expect.objectContaining({ code: 'od91705' })]);
  expect(await client.orderPayStatusChange({ orderId: order.OrderId, payStatus: '1', payDate: '20261123' })).toEqual([]);
  expect(await client.orderPayStatusChange({ orderId: order.OrderId, payStatus: '1', payDate: '20261123' })).toEqual([expect.objectContaining({ code: 'od91705' })]);
  expect(await caught(client.orderStatusChange({ orderId: order.OrderId, status: '5', isPointFix: false }))).toMatchObject({ httpStatus: 400 });
  expect(await client.orderStatusChange({ orderId: order.OrderId, status: '5', isPointFix: true })).toEqual([]);
  const info = await client.orderInfo(order.OrderId, ['OrderStatus', 'PayStatus', 'PayDate', 'SettleStatus', 'ShipStatus', 'ShipInvoiceNumber1', 'ShipDate', 'ShipUrl', 'Title']);
  expect(info.pay).toEqual({ PayStatus: '1', PayDate: '2026-11-23', SettleStatus: '5' });
  expect(info.ship).toEqual({ ShipStatus: '3', ShipInvoiceNumber1: '1234-5678-9012', ShipDate: '2026-11-23', ShipUrl: 'https://t.example/?a=1&b=2' });
  expect(info.items).toEqual([{ Title: 'テスト商品' }]);
  const { entries } = await control<{ entries: Array<{ operation: string; applied: boolean }> }>('GET', `/ledger?orderId=${order.OrderId}`);
  expect(entries.filter((e) => e.operation !== 'createOrder').map((e) => [e.operation, e.applied])).toEqual([
    ['orderShipStatusChange', true], ['orderShipStatusChange', false], ['orderPayStatusChange', true], ['orderPayStatusChange', false], ['orderStatusChange', true],
  ]);
});

test('beyond the rate limit the API answers 403 "Your Request was Forbidden", which is retryable', async () => {
  const order = await newOrder();
  await control('POST', '/settings', { rateLimitPerSecond: 2 });
  await client.orderInfo(order.OrderId, ['OrderId']);
  await client.orderInfo(order.OrderId, ['OrderId']);
  const err = await caught(client.orderInfo(order.OrderId, ['OrderId']));
  expect(err).toMatchObject({ httpStatus: 403, retryable: true });
  expect(err.message).toContain('Your Request was Forbidden');
  await control('POST', '/clock', { advanceMs: 1500 });
  await expect(client.orderInfo(order.OrderId, ['OrderId'])).resolves.toBeDefined();
});

test('a fault, then recovery, then reset clears orders, apps, tokens and faults', async () => {
  const order = await newOrder();
  await control('POST', '/faults', { operation: 'orderStatusChange', kind: 'error', status: 503, times: 1 });
  expect(await caught(client.orderStatusChange({ orderId: order.OrderId, status: '3', isPointFix: false }))).toMatchObject({ httpStatus: 503, retryable: true });
  expect((await control<{ OrderStatus: string }>('GET', `/orders/${order.OrderId}`)).OrderStatus).toBe('2'); // a 5xx changes nothing
  expect(await client.orderStatusChange({ orderId: order.OrderId, status: '3', isPointFix: false })).toEqual([]);

  await control('POST', '/faults', { operation: '*', kind: 'error', status: 500 });
  await control('POST', '/reset');
  expect(await control('GET', '/faults')).toMatchObject({ faults: [] });
  await expect(control('GET', `/orders/${order.OrderId}`)).rejects.toThrow(/404/);
  expect(await caught(client.orderInfo(order.OrderId, ['OrderId']))).toMatchObject({ httpStatus: 401, code: 'invalid_token' });
  await expect(control('POST', '/orders', { sellerId: '' })).rejects.toThrow(/400/);
});

test('for the window workflow: an auth error makes the order 出荷不可; the deadline can be withheld (fallback fault); a known refresh token works', async () => {
  await clockTo('2026-12-27T10:00:00+09:00');
  const order = await newOrder({ orderTime: '2026-12-27T09:00:00+09:00' });
  const failed = await control<{ ShipStatus: string; PayMethodChangeDeadline: string }>('POST', `/orders/${order.OrderId}/authorization-error`);
  expect(failed).toMatchObject({ ShipStatus: '0', PayMethodChangeDeadline: '2027-01-04T23:59:59+09:00' });

  // seed 002 recipe 2: SettleStatus 3 over the same deadline range finds the order once the buyer changed
  await control('POST', `/orders/${order.OrderId}/pay-method-change`, { payMethod: 'payment_a1' });
  const range = { PayMethodChangeDeadlineFrom: '20261226000000', PayMethodChangeDeadlineTo: '20270105000000' };
  const changed = await client.orderList({ condition: { SettleStatus: '3', ...range }, fields: ['OrderId', 'SettleStatus', 'PayMethodChangeDeadline', 'IsPayMethodChangePossible'] });
  expect(changed.orders).toEqual([{ Index: '1', OrderId: order.OrderId, SettleStatus: '3', PayMethodChangeDeadline: '2027-01-04T23:59:59+09:00', IsPayMethodChangePossible: 'false' }]);

  await control('POST', '/settings', { emitPayMethodChangeDeadline: false });
  const info = await client.orderInfo(order.OrderId, ['PayMethodChangeDeadline', 'PayMethodChangeDoneDate']);
  expect(info.pay.PayMethodChangeDeadline).toBe(''); // an empty element
  expect(info.pay.PayMethodChangeDoneDate).toMatch(/^2026-12-27T10:00:\d\d\+09:00$/);
  expect((await client.orderList({ condition: { SettleStatus: '3', ...range }, fields: ['PayMethodChangeDeadline'] })).orders[0]!.PayMethodChangeDeadline).toBe('');

  expect(emulator.auth.registerRefreshToken(APP.clientId, 'rt.known')).toBe(true);
  const yconnect = { baseUrl: `${url}/yconnect/v2`, clientId: APP.clientId, clientSecret: APP.clientSecret, timeoutMs: 2000 };
  const known = createYahooClient({ baseUrl: `${url}/ShoppingWebService/V1`, sellerId: SELLER, tokens: createRefreshingTokenProvider({ ...yconnect, refreshToken: 'rt.known' }), timeoutMs: 2000 });
  expect((await known.orderInfo(order.OrderId, ['OrderId'])).order.OrderId).toBe(order.OrderId);
  expect(emulator.auth.registerRefreshToken('no-such-app', 'rt.x')).toBe(false);
});
