import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createYahooEmulator, type YahooEmulator } from '../../yahoo/emulator';
import { createYahooClient, type YahooClient } from '../../yahoo/client';
import { createRefreshingTokenProvider, exchangeAuthorizationCode } from '../../yahoo/token-provider';
import { YahooApiError } from '../../yahoo/errors';
import { controlClient } from '../support/control-client';
import { SHIP_COMPANY } from '../../yahoo/schemas';
import { CARRIERS } from '../../shipment-import/carriers';

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

describe('orderShipStatusChange: the rules of A.2 and A.6', () => {
  /** A request as another shop's client could send it (what ours never sends), with our token. */
  async function rawShip(target: string, ship: string, sellerId = SELLER) {
    const res = await fetch(`${url}/ShoppingWebService/V1/orderShipStatusChange`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/xml; charset=utf-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Req><Target>${target}</Target><Order><Ship>${ship}</Ship></Order><SellerId>${sellerId}</SellerId></Req>`,
    });
    const body = await res.text();
    return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1], body };
  }
  const target = (orderId: string, isPointFix = 'true') => `<OrderId>${orderId}</OrderId><IsPointFix>${isPointFix}</IsPointFix>`;
  /** od99901 is the sandbox's own (fake, ASSUMED) code for a refused parameter: HTTP 400 with the A.8 <Error>. */
  const refused = async (p: Promise<unknown>, field: RegExp) => {
    const err = await caught(p);
    expect(err).toMatchObject({ httpStatus: 400, code: 'od99901', retryable: false });
    expect(err.message).toMatch(field);
  };
  const shipEntries = async (orderId: string) =>
    (await control<{ entries: Array<{ operation: string; applied: boolean; effect: string }> }>('GET', `/ledger?orderId=${orderId}`)).entries.filter((e) => e.operation !== 'createOrder');

  test('Target/IsPointFix must be true (ours always sends it); SellerId must be the token\'s seller', async () => {
    const order = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '2' })).toEqual([]);
    expect(await rawShip(target(order.OrderId), '<ShipStatus>3</ShipStatus>')).toMatchObject({ status: 200 });
    const notFixed = await rawShip(target(order.OrderId, 'false'), '<ShipStatus>4</ShipStatus>');
    expect(notFixed).toMatchObject({ status: 400, code: 'od99901' });
    expect(notFixed.body).toMatch(/^<\?xml[^>]*\?>\s*<Error><Message>Invalid parameter: Target\/IsPointFix must be true<\/Message><Code>od99901<\/Code><\/Error>$/);
    expect(await rawShip(`<OrderId>${order.OrderId}</OrderId>`, '<ShipStatus>4</ShipStatus>')).toMatchObject({ status: 400, code: 'od99901' });
    expect(await rawShip(target(order.OrderId), '<ShipStatus>4</ShipStatus>', 'other-store')).toMatchObject({ status: 403, code: 'od99904' });
    expect(await caught(client.orderShipStatusChange({ orderId: 'demo-store-0', shipStatus: '3' }))).toMatchObject({ httpStatus: 400, code: 'or-01001' });
    expect((await control<{ ShipStatus: string }>('GET', `/orders/${order.OrderId}`)).ShipStatus).toBe('3'); // the refusals changed nothing
  });

  test('ShipStatus 0-4 only', async () => {
    const order = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '4' })).toEqual([]);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '5' as '4' }), /Order\/Ship\/ShipStatus must be 0-4/);
    expect(await rawShip(target(order.OrderId), '<ShipStatus></ShipStatus>')).toMatchObject({ status: 400, code: 'od99901' });
    expect(await rawShip(target(order.OrderId), '<ShipCompanyCode>1001</ShipCompanyCode>')).toMatchObject({ status: 400, code: 'od99901' });
  });

  test('ShipCompanyCode: the A.2 table, with every carrier of the shipment import; the 3-digit codes only on orders before 2018-10', async () => {
    for (const c of Object.values(CARRIERS)) {
      expect(SHIP_COMPANY[c.yahoo]).toBe(c.name);
      const order = await newOrder({ payMethod: 'payment_b1' });
      const invoice1 = c.yahoo === '1003' ? '1234-5678-9012' : '123456789012';
      expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: c.yahoo, invoice1, shipDate: '20261123' })).toEqual([]);
      expect((await client.orderInfo(order.OrderId, ['ShipCompanyCode'])).ship).toEqual({ ShipCompanyCode: c.yahoo });
    }
    const order = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: '5001', emptyReason: '103' })).toEqual([]);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: '1030' }), /ShipCompanyCode 1030: not a carrier code/);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: '999' }), /ShipCompanyCode 999: a code of orders before 2018-10 only/);
    const old = await newOrder({ payMethod: 'payment_b1', orderTime: '2018-09-30T23:59:00+09:00' });
    expect(await client.orderShipStatusChange({ orderId: old.OrderId, shipStatus: '3', shipCompanyCode: '999' })).toEqual([]);
    await refused(client.orderShipStatusChange({ orderId: old.OrderId, shipStatus: '3', shipCompanyCode: '105' }), /ShipCompanyCode 105/);
  });

  test('invoice numbers: half-width alphanumerics and -; Yamato digits and - up to 14 bytes; 日本郵便 11-13 without hyphens', async () => {
    const order = await newOrder({ payMethod: 'payment_b1' });
    const ship = (shipCompanyCode: string, invoice1: string, invoice2?: string) =>
      client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode, invoice1, ...(invoice2 ? { invoice2 } : {}) });
    expect(await ship('1002', 'AB-12cd')).toEqual([]);
    await refused(ship('1002', 'AB 12'), /ShipInvoiceNumber1: half-width alphanumerics and - only/);
    await refused(ship('1002', '１２３４'), /ShipInvoiceNumber1: half-width/);
    await refused(ship('1002', 'AB-12', 'AB_12'), /ShipInvoiceNumber2: half-width/);

    expect(await ship('1001', '1234-5678-9012')).toEqual([]); // 14 bytes
    await refused(ship('1001', '1234-5678-90123'), /ShipInvoiceNumber1: ヤマト運輸 \(1001\): digits and - only, at most 14 bytes/);
    await refused(ship('1001', 'A234-5678'), /ヤマト運輸/);

    expect(await ship('1003', '1234-5678-901')).toEqual([]); // 11 without hyphens
    expect(await ship('1003', '1234567890123')).toEqual([]); // 13
    await refused(ship('1003', '1234-5678-90'), /ShipInvoiceNumber1: 日本郵便 \(1003\): 11-13 characters once hyphens are removed/);
    await refused(ship('1003', '12345678901234'), /日本郵便/);
    // a number sent without a carrier is checked against the order's stored one (1003 now)
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', invoice1: '1234' }), /日本郵便/);
    expect((await client.orderInfo(order.OrderId, ['ShipCompanyCode', 'ShipInvoiceNumber1'])).ship).toEqual({ ShipCompanyCode: '1003', ShipInvoiceNumber1: '1234567890123' });
  });

  test('ShipInvoiceNumberEmptyReason: 101-105, never with an invoice number; one replaces the other', async () => {
    const order = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: '1002', invoice1: '123456789012' })).toEqual([]);
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', emptyReason: '105' })).toEqual([]);
    expect((await client.orderInfo(order.OrderId, ['ShipInvoiceNumber1', 'ShipInvoiceNumberEmptyReason'])).ship).toEqual({ ShipInvoiceNumber1: '', ShipInvoiceNumberEmptyReason: '105' });
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', emptyReason: '106' as '105' }), /ShipInvoiceNumberEmptyReason must be 101-105/);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', emptyReason: '101', invoice2: '123456789012' }), /ShipInvoiceNumberEmptyReason excludes ShipInvoiceNumber1\/2/);
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', invoice1: '999988887777' })).toEqual([]);
    expect((await client.orderInfo(order.OrderId, ['ShipInvoiceNumber1', 'ShipInvoiceNumberEmptyReason'])).ship).toEqual({ ShipInvoiceNumber1: '999988887777', ShipInvoiceNumberEmptyReason: '' });
  });

  test('ShipDate a real YYYYMMDD date; ShipUrl with & only as CDATA (ours sends it so); ShipNotes up to 500 characters', async () => {
    const order = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipDate: '20240229' })).toEqual([]);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipDate: '20230229' }), /ShipDate: a real date, YYYYMMDD/);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipDate: '2026-11-23' }), /ShipDate/);

    const shipUrl = 'https://track.example/?no=1&carrier=yamato';
    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipUrl })).toEqual([]);
    expect((await client.orderInfo(order.OrderId, ['ShipUrl'])).ship).toEqual({ ShipUrl: shipUrl });
    const escaped = await rawShip(target(order.OrderId), '<ShipStatus>3</ShipStatus><ShipUrl>https://track.example/?no=2&amp;c=1</ShipUrl>');
    expect(escaped).toMatchObject({ status: 400, code: 'od99901' });
    expect(escaped.body).toContain('ShipUrl: a URL with &amp; must be sent as CDATA');
    expect(await rawShip(target(order.OrderId), '<ShipStatus>3</ShipStatus><ShipUrl>https://track.example/2</ShipUrl>')).toMatchObject({ status: 200 });

    expect(await client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipNotes: 'メ'.repeat(500) })).toEqual([]);
    await refused(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipNotes: 'メ'.repeat(501) }), /ShipNotes: at most 500 characters/);
    const last = (await shipEntries(order.OrderId)).at(-1)!;
    expect(last).toMatchObject({ applied: true, effect: 'ShipNotes changed (500 chars)' }); // free text stays out of the ledger
  });

  test('a card order moved to 出荷済み is captured (SettleStatus 5 in orderInfo); later: od91113 when it changes something, od91705 when not', async () => {
    const order = await newOrder({ payMethod: 'payment_a1' });
    const ship = { orderId: order.OrderId, shipStatus: '3' as const, shipCompanyCode: '1001', invoice1: '1234-5678-9012', shipDate: '20261123' };
    expect((await client.orderInfo(order.OrderId, ['SettleStatus'])).pay).toEqual({ SettleStatus: '3' });
    expect(await client.orderShipStatusChange(ship)).toEqual([]);
    expect((await client.orderInfo(order.OrderId, ['SettleStatus', 'ShipStatus'])).pay).toEqual({ SettleStatus: '5' });
    expect((await control<{ capturedAt: string | null }>('GET', `/orders/${order.OrderId}`)).capturedAt).toMatch(/\+09:00$/);

    expect(await client.orderShipStatusChange(ship)).toEqual([expect.objectContaining({ code: 'od91705' })]);
    expect(await client.orderShipStatusChange({ ...ship, invoice1: '1234-5678-9013' })).toEqual([expect.objectContaining({ code: 'od91113' })]);
    expect(await client.orderStatusChange({ orderId: order.OrderId, status: '5', isPointFix: true })).toEqual([expect.objectContaining({ code: 'od91113' })]);

    expect((await shipEntries(order.OrderId)).map((e) => [e.operation, e.applied, e.effect])).toEqual([
      ['orderShipStatusChange', true, 'ShipStatus=3 (was 1), ShipCompanyCode=1001, ShipInvoiceNumber1=1234-5678-9012, ShipDate=2026-11-23, card captured'],
      ['cardCapture', true, 'SettleStatus 3 -> 5 (payment_a1, 1000 yen)'],
      ['orderShipStatusChange', false, 'unchanged: ShipStatus=3'],
      ['orderShipStatusChange', true, 'ShipInvoiceNumber1=1234-5678-9013 (was 1234-5678-9012)'],
      ['orderStatusChange', true, 'OrderStatus 2 -> 5'],
    ]);

    // not a card: no capture, no warning; the bank transfer stays 支払待ち
    const bank = await newOrder({ payMethod: 'payment_b1' });
    expect(await client.orderShipStatusChange({ ...ship, orderId: bank.OrderId })).toEqual([]);
    expect(await client.orderShipStatusChange({ ...ship, orderId: bank.OrderId, invoice1: '1234-5678-9013' })).toEqual([]);
    expect((await client.orderInfo(bank.OrderId, ['SettleStatus'])).pay).toEqual({ SettleStatus: '2' });
    expect((await shipEntries(bank.OrderId)).map((e) => e.operation)).not.toContain('cardCapture');
  });

  test('a cancelled order is refused (od99902, HTTP 400); a captured card order cancelled shows 売上取消', async () => {
    const order = await newOrder({ payMethod: 'payment_a1' });
    expect(await client.orderStatusChange({ orderId: order.OrderId, status: '4', isPointFix: false, cancelReason: '100' })).toEqual([]);
    expect(await caught(client.orderShipStatusChange({ orderId: order.OrderId, shipStatus: '3', shipCompanyCode: '1002' }))).toMatchObject({ httpStatus: 400, code: 'od99902', retryable: false });
    expect((await client.orderInfo(order.OrderId, ['SettleStatus', 'ShipStatus'])).pay).toEqual({ SettleStatus: '6' });

    const shipped = await newOrder({ payMethod: 'payment_a1' });
    expect(await client.orderShipStatusChange({ orderId: shipped.OrderId, shipStatus: '3' })).toEqual([]);
    expect(await client.orderStatusChange({ orderId: shipped.OrderId, status: '4', isPointFix: false, cancelReason: '110' })).toEqual([]);
    expect((await client.orderInfo(shipped.OrderId, ['SettleStatus'])).pay).toEqual({ SettleStatus: '11' });
  });
});
