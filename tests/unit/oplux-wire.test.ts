import { createHash } from 'node:crypto';
import { OpluxApiError } from '../../oplux/errors';
import { eventForm } from '../../oplux/event-form';
import { hashEmail, sha1Upper } from '../../oplux/hashing';
import { responseSchema } from '../../oplux/schemas';
import { opluxDatetime, parseOpluxDatetime, sign, signatureMatches } from '../../oplux/signature';
import { buildXml, parseXml } from '../../oplux/xml';

test('signature: UPPER_HEX(SHA256(connectionId + shopId + request_datetime + secretKey)), or SHA1', () => {
  const input = { connectionId: 'C1', shopId: 'S1', requestDatetime: '2026/11/23 10:00:00', secretKey: 'K', hashMethod: 'SHA256' as const };
  expect(sign(input)).toBe(createHash('sha256').update('C1S12026/11/23 10:00:00K').digest('hex').toUpperCase());
  expect(sign({ ...input, hashMethod: 'SHA1' })).toHaveLength(40);
  expect(signatureMatches(input, sign(input).toLowerCase())).toBe(true);
  expect(signatureMatches(input, sign({ ...input, secretKey: 'X' }))).toBe(false);
  expect(signatureMatches(input, 'short')).toBe(false);
});

test('request_datetime is JST YYYY/MM/DD HH:MM:SS and round-trips', () => {
  const at = new Date('2026-11-23T15:04:05Z');
  expect(opluxDatetime(at)).toBe('2026/11/24 00:04:05');
  expect(parseOpluxDatetime('2026/11/24 00:04:05')?.toISOString()).toBe(at.toISOString());
  expect(parseOpluxDatetime('2026/02/30 00:00:00')).toBeNull();
  expect(parseOpluxDatetime('2026-11-24 00:04:05')).toBeNull();
});

test('response XML: rule and similar are always arrays, codes stay strings, empty containers are empty lists', () => {
  const one = parseXml(buildXml({
    time: 412, result: '10', errors: '',
    event: { id: 'E1', result: 'REVIEW', skipped: 0, score: { ok: 0, ng: 0, hold: 10500 },
      rules: { rule: [{ code: 'NEG_ITEM', hold: 10000, description: 'a & b' }] }, ruleGroup: 'DEFAULT', similars: '' },
  }));
  const r = responseSchema.parse(one).response;
  expect(r.event).toMatchObject({ result: 'REVIEW', rules: [{ code: 'NEG_ITEM', hold: '10000', description: 'a & b' }], similars: [], score: { hold: 10500 } });
  expect(r.errors).toEqual([]);

  const snake = responseSchema.parse(parseXml('<response><result>10</result><event><id>E</id><result>OK</result><rule_group>G</rule_group></event></response>'));
  expect(snake.response.event?.rule_group).toBe('G');
  const err = responseSchema.parse(parseXml('<response><result>20</result><errors><error><code>E-AUTH-SIG</code><message>m</message></error></errors></response>'));
  expect(err.response.errors).toEqual([{ code: 'E-AUTH-SIG', message: 'm' }]);
  expect(() => parseXml('request.shop_id=1')).toThrow();
});

test('errors: transport, 5xx and maintenance retry; signature, skew and validation do not', () => {
  expect(OpluxApiError.timeout(5000).retryable).toBe(true);
  expect(OpluxApiError.network('ECONNRESET').retryable).toBe(true);
  expect(OpluxApiError.fromHttp(502, '').retryable).toBe(true);
  expect(OpluxApiError.fromHttp(400, '').retryable).toBe(false);
  expect(OpluxApiError.fromResult('E-MAINTENANCE', '', 503).retryable).toBe(true);
  for (const code of ['E-AUTH-SIG', 'E-AUTH-TIME', 'E-PARAM-REQUIRED:request.shop_id', 'E-DUP-EVENT', 'E-EVENT-NOT-FOUND']) {
    expect(OpluxApiError.fromResult(code, '', 400).retryable).toBe(false);
  }
});

test('the event form uses the C.3 keys: item0…, settle status 00, no limit 999999, hashed e-mail', () => {
  const form = eventForm({
    modelId: 'CRD_01', eventIdForShop: 'O-1', buyDatetime: new Date('2026-11-23T01:00:00Z'),
    settle: { amount: 0, method: '01' }, buyer: { email: hashEmail('Taro@Example.JP') },
    delivery: { shipping: { items: [{ shopItemId: 'A', itemPrice: 1, itemQuantity: 2, itemName: 'x' }, { shopItemId: 'B', itemPrice: 3, itemQuantity: 1, itemName: 'y' }] } },
  });
  expect(form).toMatchObject({
    'event.event_type': 'EC', 'event.ec.buy_datetime': '2026/11/23 10:00:00', 'event.ec.settle.status': '00',
    'event.ec.settle.limit_price': '999999', 'event.ec.settle.amount': '0', 'event.ec.settle.method': '01',
    'event.ec.customers.buyer.type': '10', 'event.ec.customers.buyer.email.pc.hashed_account': sha1Upper('taro'),
    'event.ec.customers.buyer.email.pc.domain': 'example.jp', 'event.ec.customers.delivery.type': '20',
    'event.ec.customers.delivery.shipping.items.item1.shop_item_id': 'B',
  });
});
