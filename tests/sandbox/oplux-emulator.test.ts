import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOpluxEmulator, type OpluxEmulator } from '../../oplux/emulator';
import { createOpluxClient, type OpluxClient } from '../../oplux/client';
import { OpluxApiError } from '../../oplux/errors';
import type { OpluxEventInput } from '../../oplux/event-form';
import { hashEmail } from '../../oplux/hashing';
import { opluxDatetime, sign } from '../../oplux/signature';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { controlClient } from '../support/control-client';

/** The O-PLUX emulator over HTTP, mounted on its own app, through our client and through raw forms. */
const SHOP = 'SHOP0001';
const CONNECTION = 'CONN-01';
const SECRET = 'secret-key-1';

let emulator: OpluxEmulator;
let server: Server;
let url = '';
let client: OpluxClient;

const makeClient = (over: Partial<Parameters<typeof createOpluxClient>[0]> = {}) =>
  createOpluxClient({
    eventUrl: `${url}/v2/event`, normalizerUrl: `${url}/name-normalizer/`, shopId: SHOP, connectionId: CONNECTION,
    secretKey: SECRET, timeoutMs: 1000, now: () => emulator.kit.clock.now(), ...over,
  });

beforeAll(async () => {
  emulator = createOpluxEmulator();
  const app = express();
  app.use(emulator.router);
  app.use(controlErrorHandler);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = makeClient();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  await control('POST', '/_sandbox/reset');
  await control('POST', '/_sandbox/merchants', { shopId: SHOP, connectionId: CONNECTION, secretKey: SECRET });
});

const control = controlClient(() => url);
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as OpluxApiError);

const order = (eventIdForShop: string, email = 'taro@example.jp'): OpluxEventInput => ({
  modelId: 'CRD_01', eventIdForShop, ipAddress: '203.0.113.7', cookie: `cookie-${eventIdForShop}`,
  buyDatetime: new Date('2026-11-23T01:00:00Z'),
  settle: { amount: 3300, method: '02', bincode: '411111' },
  buyer: { id: 'M-1', email: hashEmail(email), tel: '0312345678', address: { country: 'JP', zipcode: '1500001', addressA: '東京都', addressB: '渋谷区', addressC: '神宮前1-1' } },
  delivery: { tel: '0312345678', shipping: { items: [{ shopItemId: 'SKU-1', itemPrice: 3300, itemQuantity: 1, itemName: 'Tシャツ' }] } },
});

test('a bad signature, a skewed clock and unprefixed keys are refused; none is retryable', async () => {
  const wrongSecret = makeClient({ secretKey: 'nope' });
  expect(await caught(wrongSecret.registerEvent(order('O-1')))).toMatchObject({ kind: 'auth', code: 'E-AUTH-SIG', httpStatus: 401, retryable: false });
  const wrongConnection = makeClient({ connectionId: 'CONN-02' }); // never sent, but hashed: the server notices
  expect(await caught(wrongConnection.getEvent('x'))).toMatchObject({ code: 'E-AUTH-SIG', retryable: false });

  const skewed = makeClient({ now: () => new Date(emulator.kit.clock.now().getTime() - 11 * 60_000) });
  expect(await caught(skewed.registerEvent(order('O-1')))).toMatchObject({ code: 'E-AUTH-TIME', retryable: false });
  await expect(makeClient({ hashMethod: 'SHA1' }).registerEvent(order('O-1'))).resolves.toMatchObject({ review: 'OK' });

  // a correct signature with the keys lacking the `request.` prefix: the server sees no shop at all
  const requestDatetime = opluxDatetime(new Date());
  const signiture = sign({ connectionId: CONNECTION, shopId: SHOP, requestDatetime, secretKey: SECRET, hashMethod: 'SHA256' });
  const raw = await fetch(`${url}/v2/event`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ shop_id: SHOP, signiture, hash_method: 'SHA256', request_datetime: requestDatetime }).toString(),
  });
  expect(raw.status).toBe(400);
  expect(await raw.text()).toMatch(/<result>20<\/result><errors><error><code>E-PARAM-REQUIRED:request.shop_id<\/code>/);
  expect(emulator.kit.ledger.list()).toHaveLength(1); // only the SHA1 registration was applied
});

test('register answers OK, NG, HOLD and REVIEW as scripted, with their rules; then the default', async () => {
  await control('POST', '/_sandbox/next-results', {
    results: [
      { result: 'OK' },
      { result: 'NG', rules: [{ code: 'PAID_MOBMAIL', description: '有料携帯メール', ng: 5000 }] },
      { result: 'HOLD', rules: [{ code: 'NEG_ITEM', description: '（ルール説明文）', touchpoint: 'event.ec.customers.delivery.shipping.item.item_name', hold: 10000 }] },
      { result: 'REVIEW', rules: [{ code: 'NEG_ITEM' }, { code: 'PAID_MOBMAIL' }], ruleGroup: 'STRICT' },
    ],
  });
  const results = [];
  for (const id of ['O-1', 'O-2', 'O-3', 'O-4', 'O-5']) results.push(await client.registerEvent(order(id, `${id}@example.jp`)));
  expect(results.map((r) => r.review)).toEqual(['OK', 'NG', 'HOLD', 'REVIEW', 'OK']);
  expect(results[1]).toMatchObject({ rules: [{ code: 'PAID_MOBMAIL', description: '有料携帯メール' }], score: { ng: 5000 } });
  expect(results[2]?.rules).toEqual([{ code: 'NEG_ITEM', description: '（ルール説明文）', touchpoint: 'event.ec.customers.delivery.shipping.item.item_name' }]);
  expect(results[3]).toMatchObject({ ruleGroup: 'STRICT', score: { hold: 10000 } });
  expect(results[3]?.rules.map((r) => r.code)).toEqual(['NEG_ITEM', 'PAID_MOBMAIL']);
  expect(results[0]?.eventId).toMatch(/^\d{12}[0-9A-F]{36}$/);
  // the same buyer tel links the events as similars
  expect(results[4]?.similarEventIds).toHaveLength(4);
  const fetched = await client.getEvent(results[2]?.eventId ?? '');
  expect(fetched).toMatchObject({ aaResult: 'HOLD', maResult: undefined, rules: [{ code: 'NEG_ITEM' }], settleStatus: '00' });
});

test('a manual result set later in the console shows through get', async () => {
  await control('POST', '/_sandbox/next-results', { results: [{ result: 'REVIEW', rules: [{ code: 'NEG_ITEM' }] }] });
  const { eventId } = await client.registerEvent(order('O-10'));
  expect((await client.getEvent(eventId)).maResult).toBeUndefined();
  await control('POST', `/_sandbox/events/${eventId}/manual-result`, { result: 'NG', memo: '転売の疑い' });
  expect(await client.getEvent(eventId)).toMatchObject({ aaResult: 'REVIEW', maResult: 'NG', maReason: '転売の疑い' });
  expect(await caught(client.getEvent('NOPE'))).toMatchObject({ kind: 'not-found', code: 'E-EVENT-NOT-FOUND', retryable: false });
});

test('update: manual review 10/20/30 with a memo, settle status, and the black flag making the next event NG', async () => {
  await control('POST', '/_sandbox/next-results', { results: [{ result: 'HOLD' }] });
  const first = await client.registerEvent(order('O-20', 'bad@example.jp'));
  for (const [code, word] of [['10', 'OK'], ['20', 'NG'], ['30', 'HOLD']] as const) {
    await client.updateEvent(first.eventId, { maResult: code, memo: `目視 ${code}` });
    expect(await client.getEvent(first.eventId)).toMatchObject({ maResult: word, maReason: `目視 ${code}` });
  }
  await client.updateEvent(first.eventId, { settleStatus: '99', blacked: true, blackCustomerType: '10' });
  expect(await client.getEvent(first.eventId)).toMatchObject({ settleStatus: '99', blacked: true, deleted: false });

  // the same buyer e-mail from another device and phone: NG by the blacklist, whatever the script says
  await control('POST', '/_sandbox/next-results', { results: [{ result: 'OK' }] });
  const again = { ...order('O-21', 'bad@example.jp'), cookie: 'other' };
  again.buyer = { ...again.buyer, tel: '0900000000', address: { country: 'JP', zipcode: '5300001', addressA: '大阪府', addressB: '大阪市', addressC: '北区1-1' } };
  again.delivery = { tel: '0900000000' };
  const second = await client.registerEvent(again);
  expect(second).toMatchObject({ review: 'NG', rules: [{ code: 'BLK_EMAIL' }] });
  const sameHome = await client.registerEvent(order('O-22', 'good@example.jp')); // another e-mail, the same tel and address
  expect(sameHome.review).toBe('NG');
  expect(sameHome.rules.map((r) => r.code).sort()).toEqual(['BLK_ADDR', 'BLK_TEL']);

  // undoing the flag lifts the blacklist; the scripted OK is still pending
  await client.updateEvent(first.eventId, { blacked: false });
  expect(await client.registerEvent(order('O-23', 'bad@example.jp'))).toMatchObject({ review: 'OK', rules: [] });

  const bad = await caught(client.updateEvent(first.eventId, { maResult: '40' as '10' }));
  expect(bad).toMatchObject({ kind: 'invalid', code: 'E-PARAM-INVALID:request.update.maResult', retryable: false });
  const updates = emulator.kit.ledger.list({ operation: 'updateEvent', orderId: 'O-20' });
  expect(updates.map((e) => e.effect)).toContain('settle_status=99 blacked=1 black_customer_type=10');
});

test('a blacklist entry from the control plane catches the cookie', async () => {
  await control('POST', '/_sandbox/blacklist', { shopId: SHOP, kind: 'cookie', value: 'cookie-O-30' });
  expect(await client.registerEvent(order('O-30'))).toMatchObject({ review: 'NG', rules: [{ code: 'BLK_COK' }] });
});

test('maintenance, forced or by window, is a retryable error', async () => {
  await control('POST', '/_sandbox/maintenance', { on: true });
  const err = await caught(client.registerEvent(order('O-40')));
  expect(err).toMatchObject({ kind: 'transient', code: 'E-MAINTENANCE', httpStatus: 503, retryable: true });
  expect(await caught(client.normalizeName('山田', '太郎'))).toMatchObject({ code: 'E-MAINTENANCE', retryable: true });
  await control('POST', '/_sandbox/maintenance', { on: false });

  await control('POST', '/_sandbox/settings', { maintenanceWindows: [{ from: '02:00', to: '04:00' }] });
  await control('POST', '/_sandbox/clock', { now: '2026-11-23T18:30:00Z' }); // 03:30 JST
  expect(await caught(client.registerEvent(order('O-40')))).toMatchObject({ code: 'E-MAINTENANCE', retryable: true });
  await control('POST', '/_sandbox/clock', { now: '2026-11-23T19:00:00Z' }); // 04:00 JST
  await expect(client.registerEvent(order('O-40'))).resolves.toMatchObject({ review: 'OK' });
  expect(emulator.kit.ledger.list({ orderId: 'O-40' })).toHaveLength(1);
});

test('an injected 503 changes nothing and is retryable; the next call recovers; reset forgets everything', async () => {
  await control('POST', '/_sandbox/faults', { operation: 'registerEvent', kind: 'error', status: 503, times: 1 });
  expect(await caught(client.registerEvent(order('O-50')))).toMatchObject({ kind: 'transient', httpStatus: 503, retryable: true });
  expect(emulator.kit.ledger.list()).toHaveLength(0);
  const { eventId } = await client.registerEvent(order('O-50'));
  await control('POST', '/_sandbox/reset');
  const { events } = await control<{ events: unknown[] }>('GET', '/_sandbox/events');
  expect(events).toEqual([]);
  expect(await caught(client.getEvent(eventId))).toMatchObject({ code: 'E-AUTH-SIG' }); // the merchant is gone too
});

test('registration is not idempotent: a duplicate is a second event in the ledger, and the lookup finds both', async () => {
  const a = await client.registerEvent(order('O-60'));
  const b = await client.registerEvent(order('O-60'));
  expect(a.eventId).not.toBe(b.eventId);
  const entries = emulator.kit.ledger.list({ operation: 'registerEvent', orderId: 'O-60' });
  expect(entries.map((e) => e.key)).toEqual([a.eventId, b.eventId]);
  expect((await client.findEventsByShopEventId('O-60')).map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
  expect(await client.findEventsByShopEventId('O-61')).toEqual([]);

  await control('POST', '/_sandbox/settings', { rejectDuplicateShopEventId: true });
  expect(await caught(client.registerEvent(order('O-60')))).toMatchObject({ kind: 'duplicate', code: 'E-DUP-EVENT', retryable: false });
});

test('a timeout after the effect: retryable, and the lookup finds the event before a second registration', async () => {
  await control('POST', '/_sandbox/faults', { operation: 'registerEvent', kind: 'timeout', delayMs: 300, afterEffect: true, times: 1 });
  const err = await caught(makeClient({ timeoutMs: 150 }).registerEvent(order('O-70')));
  expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
  const found = await client.findEventsByShopEventId('O-70');
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ eventIdForShop: 'O-70', aaResult: 'OK' });
});

test('the name normalizer splits 姓 名 and counts letters', async () => {
  expect(await client.normalizeName('山田', '太郎')).toEqual({
    ok: true, first: '太郎', last: '山田',
    counts: { nameLength: 4, kanjiCountInName: 4, hiraganaCountInName: 0, katakanaCountInName: 0, alphabetCountInName: 0, otherCountInName: 0 },
  });
  const raw = await fetch(`${url}/name-normalizer/?name=`);
  expect(raw.status).toBe(400);
  expect(await raw.json()).toMatchObject({ response: { result: 'error', errors: [{ code: 'E-PARAM-REQUIRED:name' }] } });
});
