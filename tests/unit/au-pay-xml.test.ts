import { buildXml, parseXml } from '../../au-pay/xml';
import { AuPayApiError } from '../../au-pay/errors';

describe('au PAY XML', () => {
  test('one order is parsed as a list, and codes keep their leading zeros', () => {
    const doc = parseXml('<response><result><status>1</status><error><code>0002</code><message>認証に失敗しました</message></error></result><orderInfo><orderId>0012</orderId></orderInfo></response>') as {
      response: { result: { error: Array<{ code: string }> }; orderInfo: Array<{ orderId: string }> };
    };
    expect(doc.response.result.error[0]!.code).toBe('0002');
    expect(doc.response.orderInfo).toEqual([{ orderId: '0012' }]);
  });
  test('a request has flat children under <request>, text escaped', () => {
    const xml = buildXml('request', { shopId: '1', shippingNumber: 'A&B<' });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<request><shopId>1<\/shopId><shippingNumber>A&amp;B&lt;<\/shippingNumber><\/request>$/);
    expect(parseXml(xml)).toEqual({ request: { shopId: '1', shippingNumber: 'A&B<' } });
  });
  test('text that is not XML is the market\'s parse error', () => {
    expect(() => parseXml('Service Unavailable')).toThrow('String could not be parsed as XML');
  });
});

describe('au PAY errors say whether a retry can help', () => {
  // Named by case: an error's own text would print its stack into the test's title.
  test.each([
    ['HTTP 503', true, () => AuPayApiError.fromHttp(503, '')],
    ['HTTP 429', true, () => AuPayApiError.fromHttp(429, '')],
    ['HTTP 400', false, () => AuPayApiError.fromHttp(400, '')],
    ['maintenance', true, () => AuPayApiError.fromResult('EMU-MAINTENANCE', 'メンテナンス', 200)],
    ['auth failure', false, () => AuPayApiError.fromResult('0002', '認証に失敗しました', 401)],
    ['canceled trade', false, () => AuPayApiError.fromResult('EMU-TRD-CANCELLED', '指定の取引はキャンセル済みです', 200)],
    ['timeout', true, () => AuPayApiError.timeout(100)],
  ])('%s → retryable %p', (_name, retryable, make) => {
    expect(make().retryable).toBe(retryable);
  });
});
