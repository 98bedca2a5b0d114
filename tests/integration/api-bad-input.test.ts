import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { PROVIDERS } from '../../accounts/provider-fields';
import { API_TOKEN, startTestApi } from '../support/test-api';
import { startDevServer } from '../support/dev-server';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { testAccounts } from '../support/order-out-fixtures';
import { SHOP_ID } from '../support/au-pay-fixtures';

/**
 * Bad input is a 4xx, everywhere (issue 10 §5): the real API, PostgreSQL and the Temporal dev server (no worker: a
 * valid request only starts a workflow). First the cases a new user found by hand, then every route fuzzed with
 * fast-check (malformed bodies, queries, path parameters, charsets and encodings) and no answer may be a 5xx, hang,
 * or echo more than a bounded, escaped piece of what was sent.
 */
const taskQueue = 'api-bad-input';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let testApi: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  [{ env }, db] = await Promise.all([startDevServer(), startTestDatabase()]);
  testApi = await startTestApi({ temporal: env.client, db: db.pool, taskQueue, accounts: testAccounts(db.pool) });
}, 120_000);

afterAll(async () => {
  await testApi?.stop();
  await db?.stop();
  await env?.teardown();
});

interface Answer {
  status: number;
  body: { error?: unknown; issues?: Array<{ field: string; reason: string }> } & Record<string, unknown>;
  text: string;
}

interface RawRequest {
  method: string;
  /** the path and query as sent, already percent-encoded (or deliberately not) */
  target: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  token?: boolean;
}

let sent = 0;
async function send(r: RawRequest): Promise<Answer> {
  sent += 1;
  const res = await fetch(`${testApi.url}${r.target}`, {
    method: r.method,
    headers: { ...(r.token === false ? {} : { authorization: `Bearer ${API_TOKEN}` }), ...r.headers },
    body: r.body,
    signal: AbortSignal.timeout(15_000), // a hang is a failure too, never a wait
  });
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    // checked below: every answer is JSON
  }
  return { status: res.status, body, text };
}

const json = (method: string, target: string, value?: unknown, headers: Record<string, string> = {}) =>
  send({ method, target, body: value === undefined ? undefined : JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } });

const shop = `/shops/${SHOP_ID}`;
const inAYear = (days = 1) => new Date(Date.now() + days * 86_400_000).toISOString();

/** What every answer must be: not a 5xx, JSON, and an error text that echoes at most a bounded, escaped piece. */
function expectSane(a: Answer, what: string): void {
  if (a.status >= 500) throw new Error(`${what} → ${a.status} ${a.text.slice(0, 300)}`);
  expect(() => JSON.parse(a.text)).not.toThrow();
  if (a.status >= 400) {
    expect(typeof a.body.error).toBe('string');
    const texts = [a.body.error as string, ...(a.body.issues ?? []).flatMap((i) => [i.field, i.reason])];
    for (const t of texts) {
      // eslint-disable-next-line no-control-regex -- no raw control character may be echoed
      if (t.length > 300 || /[\u0000-\u001f\u007f]/.test(t)) throw new Error(`${what} → ${a.status} echoes too much: ${JSON.stringify(t).slice(0, 400)}`);
    }
    expect((a.body.issues ?? []).length).toBeLessThanOrEqual(20);
  }
}

describe('the cases a new user found', () => {
  const shipment = { orderId: 'HAND-1', auPayOrderId: '700001', managementClass: '通常', shipDate: '2026/11/20', carrier: '6', trackingNumber: 'T-1' };

  test('a body over the limit is 413', async () => {
    const res = await json('POST', `${shop}/au-pay/shipments`, { ...shipment, managementClass: 'x'.repeat(300_000) });
    expect(res).toMatchObject({ status: 413, body: { error: 'body is too large' } });
  });

  test('an unsupported charset is 415, an unknown content-encoding 415, a body that does not inflate 400', async () => {
    const text = JSON.stringify(shipment);
    expect((await send({ method: 'POST', target: `${shop}/au-pay/shipments`, body: text, headers: { 'content-type': 'application/json; charset=latin1' } })).status).toBe(415);
    // RFC 9110 §15.5.16: a content coding the server does not support is 415 Unsupported Media Type
    expect((await send({ method: 'POST', target: `${shop}/au-pay/shipments`, body: text, headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' } })).status).toBe(415);
    expect((await send({ method: 'POST', target: `${shop}/au-pay/shipments`, body: text, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })).status).toBe(400);
    const gzipped = await send({ method: 'POST', target: `${shop}/au-pay/shipments`, body: gzipSync(JSON.stringify({ orderId: 'bad id!' })), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(gzipped.status).toBe(400);
    expect(gzipped.body.issues!.map((i) => i.field)).toContain('orderId');
  });

  test('a path that does not percent-decode is 400, in the shop or in the order', async () => {
    for (const target of [`${shop}/au-pay/orders/%E0%A4%A`, '/shops/%E0%A4%A/au-pay/history', `${shop}/amazon-pay/recurring/%FF/skip-next`, `${shop}/accounts/%ED%A0%80`]) {
      const res = await send({ method: target.endsWith('skip-next') ? 'POST' : 'GET', target });
      expect({ target, status: res.status, error: res.body.error }).toEqual({ target, status: 400, error: 'a path segment is not valid percent-encoded UTF-8' });
    }
  });

  test('NUL and a lone surrogate in any string are 400 naming the field, before anything acts on them', async () => {
    const memo = await json('POST', `${shop}/oplux/orders/NUL-1/manual-review`, { result: 'OK', memo: 'checked\u0000' });
    expect(memo).toMatchObject({ status: 400, body: { issues: [{ field: 'memo', reason: expect.stringMatching(/NUL/) }] } });
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one
    const buyer = await json('POST', `${shop}/oplux/orders`, { orderId: 'SUR-1', buyer: { lastName: 'a\ud800b' } });
    expect(buyer).toMatchObject({ status: 400, body: { issues: [{ field: 'buyer.lastName', reason: expect.stringMatching(/surrogate/) }] } });
    const item = await json('POST', `${shop}/cancellations`, { orderId: 'NUL-2', payment: { method: 'credit' }, source: 'buyer', extra: [{ note: '\u0000' }] });
    expect(item).toMatchObject({ status: 400, body: { issues: [{ field: 'extra.0.note' }] } });
    const key = await send({ method: 'PUT', target: `${shop}/mail-throttle`, body: '{"window\\u0000Minutes": 5}', headers: { 'content-type': 'application/json' } });
    expect(key).toMatchObject({ status: 400, body: { issues: [{ field: 'window\\u0000Minutes', reason: expect.stringMatching(/its name/) }] } });
    const query = await send({ method: 'GET', target: `${shop}/order-out/deliveries?orderId=A%00B` });
    expect(query).toMatchObject({ status: 400, body: { issues: [{ field: 'orderId', reason: expect.stringMatching(/NUL/) }] } });
    // a well-formed pair (an emoji) is text
    expect((await json('POST', `${shop}/oplux/orders/NUL-1/manual-review`, { result: 'OK', memo: '確認済み 😀' })).status).toBe(404);
  });

  test('beforeId beyond bigint is 400', async () => {
    const res = await send({ method: 'GET', target: `${shop}/au-pay/history?beforeId=99999999999999999999` });
    expect(res).toMatchObject({ status: 400, body: { issues: [{ field: 'beforeId' }] } });
    expect((await send({ method: 'GET', target: `${shop}/au-pay/history?beforeId=999999999999999999` })).status).toBe(200);
  });

  test('a provider named like an Object property is unknown, not a crash', async () => {
    for (const provider of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect({ provider, status: (await send({ method: 'GET', target: `${shop}/accounts/${provider}` })).status }).toEqual({ provider, status: 404 });
      expect({ provider, status: (await json('PUT', `${shop}/accounts/${provider}`, { merchantId: 'M' })).status }).toEqual({ provider, status: 404 });
    }
  });

  test('a first charge after the 13-month expiry is 422; a repeated start with another plan 409', async () => {
    const start = (o: Record<string, unknown> = {}) => json('POST', `${shop}/amazon-pay/recurring`, {
      parentOrderId: 'REC-HAND-1', chargePermissionId: 'S01-0000001-0000001', amountJpy: 4800, interval: { unit: 'Month', value: 1 }, firstChargeAt: inAYear(), ...o,
    });
    const late = await start({ firstChargeAt: inAYear(400) });
    expect(late).toMatchObject({ status: 422, body: { error: expect.stringMatching(/after .* expires/) } });

    expect((await start()).status).toBe(202);
    expect(await start()).toMatchObject({ status: 200, body: { note: expect.stringContaining('changes nothing') } }); // the same start again is harmless, and says so
    expect(await start({ amountJpy: 5800 })).toMatchObject({ status: 409, body: { error: expect.stringMatching(/another charge permission or plan/) } });
    expect((await start({ interval: { unit: 'Week', value: 2 } })).status).toBe(409);
    expect((await start({ chargePermissionId: 'S01-0000001-0000002' })).status).toBe(409);
    // the same permission behind another parent
    expect((await start({ parentOrderId: 'REC-HAND-2' })).status).toBe(409);
  });

  test('error text echoes at most a bounded, escaped id', async () => {
    const long = await send({ method: 'GET', target: `/shops/${'s'.repeat(5000)}/au-pay/history` });
    expect(long.status).toBe(404);
    expect((long.body.error as string).length).toBeLessThan(100);
    const newline = await send({ method: 'GET', target: '/shops/a%0Ab%00c/au-pay/history' });
    expect(newline).toMatchObject({ status: 404, body: { error: 'unknown shop a\\nb\\u0000c' } });
    const redeliver = await send({ method: 'POST', target: `${shop}/order-out/deliveries/${'9'.repeat(500)}%0A/redeliver` });
    expect(redeliver.status).toBe(400);
    expect((redeliver.body.error as string).length).toBeLessThan(120);
    // an item list of 1,000 bad items names 20 of them and counts the rest
    const many = await json('POST', `${shop}/oplux/orders`, { items: Array.from({ length: 1000 }, () => ({ priceJpy: -1 })) });
    expect(many.status).toBe(400);
    expect(many.body.issues!.length).toBe(20);
    expect(many.body.issueCount).toBeGreaterThan(1000);
  });
});

// ---- the fuzz: every route, fast-check, deterministic seeds ----

interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** the template; each :param comes from PARAMS */
  path: string;
  query?: Record<string, string>;
  body?: () => Record<string, unknown>;
  noToken?: boolean;
}

const oplux = () => ({
  orderId: 'C-OPLUX', orderedAt: '2026-11-23T10:00:00+09:00', amountJpy: 12800, paymentMethodId: 'credit_card', deviceInfo: 'device', ipAddress: '203.0.113.45',
  cookie: 'fb', bincode: '411111',
  buyer: { memberId: 'M-1', lastName: '山田', firstName: '太郎', email: 'buyer@example.jp', tel: '03-1234-5678', address: { zipcode: '150-0001', prefecture: '東京都', city: '渋谷区', street: '神宮前1' } },
  items: [{ productId: 'P-100', productCode: 'T-RED-M', attributeCode: 'RED-M', name: 'Tシャツ', priceJpy: 12800, quantity: 1, category: 'apparel' }],
});

/** Every route of api/app.ts and its routers, with a valid body and query to mutate. */
const ROUTES: Route[] = [
  { method: 'GET', path: '/health', noToken: true },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/ipn', noToken: true, body: () => ({ Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:x', Message: '{}', Timestamp: '2026-11-23T00:00:00Z', SignatureVersion: '1', Signature: 'x', SigningCertURL: 'https://example.invalid/c.pem' }) },
  { method: 'POST', path: '/shops/:shopId/au-pay/shipments', body: () => ({ orderId: 'C-AU', auPayOrderId: '700002', managementClass: '通常', shipDate: '2026/11/20', carrier: '6', trackingNumber: 'T-1', bundledInto: null, splitFrom: null }) },
  { method: 'GET', path: '/shops/:shopId/au-pay/orders/:orderId' },
  { method: 'GET', path: '/shops/:shopId/au-pay/history', query: { orderId: 'F-1', result: '成功', limit: '10', beforeId: '100' } },
  { method: 'POST', path: '/shops/:shopId/au-pay/orders/:orderId/link-status', body: () => ({ status: '空欄' }) },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/authorizations', body: () => ({ orderId: 'C-AMZ', chargePermissionId: 'S01-1234567-7654321', amountJpy: 1000, captureOnAuthorization: false, cancelOnDecline: false, paymentMethod: 'amazon-pay' }) },
  { method: 'GET', path: '/shops/:shopId/amazon-pay/orders/:orderId' },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring', body: () => ({ parentOrderId: 'C-REC', chargePermissionId: 'S01-7654321-1234567', amountJpy: 980, interval: { unit: 'Month', value: 1 }, firstChargeAt: inAYear(), captureNow: true, expiryWarningDays: 30 }) },
  { method: 'GET', path: '/shops/:shopId/amazon-pay/recurring/:orderId' },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring/:orderId/skip-next' },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring/:orderId/plan', body: () => ({ amountJpy: 1200, interval: { unit: 'Week', value: 2 } }) },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring/:orderId/children/:cycle/cancel' },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring/:orderId/children/:cycle/shipped' },
  { method: 'POST', path: '/shops/:shopId/amazon-pay/recurring/:orderId/close', body: () => ({ reason: 'the shop stopped the plan' }) },
  { method: 'GET', path: '/shops/:shopId/yahoo/windows', query: { status: '変更待ち', limit: '10' } },
  { method: 'GET', path: '/shops/:shopId/yahoo/orders/:orderId' },
  { method: 'POST', path: '/shops/:shopId/yahoo/orders/:orderId/decision', body: () => ({ decision: 'keep', operator: 'op-1' }) },
  { method: 'POST', path: '/shops/:shopId/oplux/orders', body: oplux },
  { method: 'GET', path: '/shops/:shopId/oplux/orders/:orderId' },
  { method: 'POST', path: '/shops/:shopId/oplux/orders/:orderId/manual-review', body: () => ({ result: 'OK', memo: '確認済み' }) },
  { method: 'POST', path: '/shops/:shopId/oplux/orders/:orderId/black-flag', body: () => ({ flag: '1', customerType: '10' }) },
  { method: 'POST', path: '/shops/:shopId/oplux/orders/:orderId/relink' },
  { method: 'GET', path: '/shops/:shopId/accounts' },
  { method: 'GET', path: '/shops/:shopId/accounts/:provider' },
  { method: 'PUT', path: '/shops/:shopId/accounts/:provider', body: () => ({ merchantId: 'M-1', accessId: 'A-1', secret: 'secret-0001' }) },
  { method: 'GET', path: '/shops/:shopId/order-out/deliveries', query: { orderId: 'F-1', status: 'failed', limit: '10' } },
  { method: 'POST', path: '/shops/:shopId/order-out/deliveries/:id/redeliver' },
  { method: 'GET', path: '/shops/:shopId/order-out/settings' },
  { method: 'PUT', path: '/shops/:shopId/order-out/settings', body: () => ({ fields: ['orderId', 'delivery.freeField1'] }) },
  { method: 'GET', path: '/shops/:shopId/cancellations/payment-methods' },
  { method: 'PUT', path: '/shops/:shopId/cancellations/payment-methods/:method', body: () => ({ provider: 'gmo-pg', cancelApi: true, amountChangeApi: false, autoCancelOnNg: false }) },
  { method: 'POST', path: '/shops/:shopId/cancellations', body: () => ({ orderId: 'C-CXL', source: 'shop-admin', payment: { method: 'credit', gmoPgOrderId: 'G-1' }, remindAfterHours: 24 }) },
  { method: 'GET', path: '/shops/:shopId/cancellations/:orderId' },
  { method: 'POST', path: '/shops/:shopId/cancellations/:orderId/decision', body: () => ({ choice: 'leave' }) },
  { method: 'POST', path: '/shops/:shopId/amount-changes', body: () => ({ orderId: 'C-AMT', payment: { method: 'credit', gmoPgOrderId: 'G-2' }, amountJpy: 900 }) },
  { method: 'GET', path: '/shops/:shopId/amount-changes/:orderId' },
  { method: 'GET', path: '/shops/:shopId/mails', query: { status: 'sent', recipient: 'a@example.jp', limit: '10' } },
  { method: 'GET', path: '/shops/:shopId/mail-throttle' },
  { method: 'PUT', path: '/shops/:shopId/mail-throttle', body: () => ({ windowMinutes: 60, threshold: 5 }) },
  // appended, so the routes above keep their fuzz seeds (seed = base + index)
  { method: 'POST', path: '/shops/:shopId/amazon-pay/orders/:orderId/shipped', body: () => ({ amountJpy: 1000 }) },
  { method: 'POST', path: '/shops/:shopId/shipment-imports', query: { onError: 'skip', capture: 'false' }, body: () => ({ rows: [{ orderId: 'C-SHIP', shipDate: '2026/11/30', carrier: 'yamato', trackingNumber: '1234-5678-9012', mall: '自社', shipDateMode: 'ship-date-only' }], defaults: { trackingNumberApi: false } }) },
  { method: 'GET', path: '/shops/:shopId/shipment-imports/:id' },
  { method: 'POST', path: '/shops/:shopId/shipment-imports/:id/cancel' },
];

const encode = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/\p{Cs}/gu, '?')); // a lone surrogate cannot be percent-encoded
  }
};

/** Text a careless or hostile caller sends. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d\ude00', 'constructor', '__proto__', 'toString', '../..', '%', 'null', '1e400',
    '99999999999999999999', '-1', '0', 'NaN', "'; DROP TABLE x; --", '<script>', '\n\r\t', '\u202e', '２０２６-11-23'),
  fc.string({ minLength: 300, maxLength: 3000 }),
);
/** A JSON value of any shape, nasty strings included. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 9_999_999_999, Number.MAX_SAFE_INTEGER, [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(nastyString, { maxLength: 5 }),
);
/** A path segment: mostly one that passes validation, else anything, encoded or deliberately not. */
const nastySegment = fc.oneof(
  nastyString.map(encode),
  fc.constantFrom('%E0%A4%A', '%', '%ZZ', '%00', '%C0%80', '%ED%A0%80', '%FF', '%2F', '%0A', 'constructor', '__proto__', 'prototype', '..', '.'),
);
const PARAMS: Record<string, fc.Arbitrary<string>> = {
  shopId: fc.oneof({ weight: 6, arbitrary: fc.constant(SHOP_ID) }, { weight: 1, arbitrary: nastySegment }),
  // F- ids are never created here: an action never finds a workflow that has no worker to answer it
  orderId: fc.oneof({ weight: 2, arbitrary: fc.nat(9).map((n) => `F-${n}`) }, { weight: 3, arbitrary: nastySegment }),
  cycle: fc.oneof(fc.nat(1000).map(String), fc.constantFrom('0', '-1', '1.5', '1e400', '99999999999999999999', 'x'), nastySegment),
  provider: fc.oneof(fc.constantFrom(...PROVIDERS, 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'), nastySegment),
  id: fc.oneof(fc.bigInt(0n, 10n ** 25n).map(String), fc.constantFrom('0', '-1', '1e3', '9223372036854775808'), nastySegment),
  method: fc.oneof(fc.constantFrom('credit', 'amazon-pay', 'Credit', 'constructor'), nastySegment),
};

type Mutation = { kind: 'keep' } | { kind: 'set'; at: number; value: unknown } | { kind: 'drop'; at: number } | { kind: 'addKey'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'keep' as const }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nastyValue }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('addKey' as const), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a\u0000'), fc.string()), value: nastyValue }),
);

/** Every place in a JSON value: the path to each object member and array element. */
function placesIn(v: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (!v || typeof v !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...path, k], ...placesIn(x, [...path, k])]);
}

/** The valid body with one change; own keys only, so `__proto__` is sent as a member, as JSON.parse reads it. */
function mutate(valid: Record<string, unknown>, m: Mutation, orderN: number): unknown {
  const body = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  for (const k of ['orderId', 'parentOrderId']) if (typeof body[k] === 'string') body[k] = `${body[k] as string}-${orderN}`;
  if (m.kind === 'keep') return body;
  if (m.kind === 'addKey') {
    Object.defineProperty(body, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return body;
  }
  const places = placesIn(body);
  if (places.length === 0) return body;
  const path = places[m.at % places.length]!;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, body);
  const last = path[path.length - 1]!;
  if (m.kind === 'drop') delete parent[last];
  else parent[last] = m.value;
  return body;
}

const bodyKind = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('mutated' as const), m: mutation, n: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('any' as const), value: fc.jsonValue({ maxDepth: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '[1,', '"str"', '1', 'null', '{"a":1}{', '\u0000', '{"__proto__":{"x":1}}')) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 100, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom(undefined, 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=bogus', 'text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json', 'multipart/form-data; boundary=x', 'application/json; charset=utf-8; x=y') },
);
const contentEncoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('gzip', 'gzip-lie', 'deflate', 'br', 'bogus', 'identity', 'gzip, gzip', 'GZIP') },
);
/** Query members: the route's own names (with nasty values) and others; raw pieces that are not valid encoding. */
const queryOf = (route: Route) => fc.record({
  members: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...Object.keys(route.query ?? { q: '' })), fc.string({ maxLength: 10 })), fc.oneof(nastyString, fc.constantFrom(...Object.values(route.query ?? { q: 'x' })))), { maxLength: 4 }),
  valid: fc.boolean(),
  raw: fc.option(fc.constantFrom('%E0%A4%A', 'limit=%FF', 'orderId=%00', 'a[b][c]=1', 'limit=1&limit=2', '&&=&', 'beforeId=99999999999999999999'), { nil: undefined }),
});

function buildRequest(route: Route, params: Record<string, string>, q: { members: Array<[string, string]>; valid: boolean; raw?: string }, b: BodyChoice, ct?: string, ce?: string, token = true): RawRequest {
  const path = route.path.replace(/:(\w+)/g, (_m, name: string) => params[name]!);
  const members = [...(q.valid ? Object.entries(route.query ?? {}) : []), ...q.members].map(([k, v]) => `${encode(k)}=${encode(v)}`);
  if (q.raw) members.push(q.raw);
  const target = members.length ? `${path}?${members.join('&')}` : path;
  const req: RawRequest = { method: route.method, target, token: route.noToken ? false : token, headers: {} };
  if (route.method === 'GET') return req; // fetch sends no body with GET
  const choice = b;
  let text: string | undefined;
  if (choice.kind === 'mutated') text = JSON.stringify(mutate(route.body?.() ?? {}, choice.m, choice.n));
  else if (choice.kind === 'any') text = JSON.stringify(choice.value);
  else if (choice.kind === 'text') text = choice.text;
  else if (choice.kind === 'deep') text = `${'['.repeat(choice.depth)}${']'.repeat(choice.depth)}`;
  if (text === undefined) return req;
  if (ct) req.headers!['content-type'] = ct;
  if (ce === 'gzip-lie') req.headers!['content-encoding'] = 'gzip';
  else if (ce) req.headers!['content-encoding'] = ce;
  req.body = ce === 'gzip' || ce === 'GZIP' ? gzipSync(text) : text;
  return req;
}

type BodyChoice =
  | { kind: 'mutated'; m: Mutation; n: number }
  | { kind: 'any'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'deep'; depth: number }
  | { kind: 'none' };

const RUNS_PER_ROUTE = 45;

/** 40 routes × 45 runs: 1,800 requests, about 10 s on a loaded 2-core box. */
describe('every route, fuzzed: no 5xx, no hang, no unbounded echo', () => {
  test.each(ROUTES.map((r, i) => [`${r.method} ${r.path}`, r, i] as const))('%s', async (_name, route, i) => {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const before = sent;
    const params = fc.record(Object.fromEntries(names.map((n) => [n, PARAMS[n]!])) as Record<string, fc.Arbitrary<string>>);
    await fc.assert(
      fc.asyncProperty(params, queryOf(route), bodyKind, contentType, contentEncoding, fc.oneof({ weight: 19, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        async (p, q, b, ct, ce, token) => {
          const req = buildRequest(route, p, q, b as BodyChoice, ct, ce, token);
          expectSane(await send(req), `${req.method} ${req.target.slice(0, 200)} ${JSON.stringify(req.headers)} ${String(req.body ?? '').slice(0, 200)}`);
        }),
      { seed: 20_261_130 + i, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    expect(sent - before).toBe(RUNS_PER_ROUTE);
  });
});
