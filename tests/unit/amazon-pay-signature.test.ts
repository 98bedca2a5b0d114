import { createHash, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  amazonPayHeaders, canonicalQueryString, canonicalRequest, EMPTY_PAYLOAD_HASH, formatPayDate, parseAuthorization, parsePayDate,
  signRequest, stringToSign, verifyString, type SignatureAlgorithm,
} from '../../amazon-pay/signature';
import { verifyRequest, type RawRequest } from '../../amazon-pay/emulator/request-auth';
import { PublicKeys } from '../../amazon-pay/emulator/keys';
import { defaultAmazonPaySettings } from '../../amazon-pay/emulator/settings';

/** §2.1 by hand, then sign/verify round trips, then the official Node SDK's own signatures against our verifier. */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const BODY = '{"chargePermissionId":"S01-1234567-7654321","chargeAmount":{"amount":"3980","currencyCode":"JPY"}}';
const BODY_SHA256 = 'a6be729d0b54f32a2dc6a0d8c65b51701d8cd24d8a559d93f52f6cfde9d159e9';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const fixedHeaders = {
  'X-Amz-Pay-Region': 'jp', // any case in, lower case in the canonical request
  accept: 'application/json',
  'x-amz-pay-idempotency-key': 'sub000123c202611a0',
  'content-type': 'application/json',
  'x-amz-pay-host': 'pay-api.amazon.jp',
  'x-amz-pay-date': '20261101T000512Z',
};

test('the canonical request of §2.1 for a fixed POST, built by hand', () => {
  const expected = [
    'POST',
    '/amazon-pay/sandbox/v2/charges',
    'a=x%2Fy&b=2%203',
    'accept:application/json',
    'content-type:application/json',
    'x-amz-pay-date:20261101T000512Z',
    'x-amz-pay-host:pay-api.amazon.jp',
    'x-amz-pay-idempotency-key:sub000123c202611a0',
    'x-amz-pay-region:jp',
    '', // the blank line between the header lines and the signed-headers list
    'accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-idempotency-key;x-amz-pay-region',
    BODY_SHA256,
  ].join('\n');
  const signed = signRequest({
    method: 'POST', path: '/amazon-pay/sandbox/v2/charges', query: { b: '2 3', a: 'x/y' }, headers: fixedHeaders, body: BODY,
    publicKeyId: 'SANDBOX-AEXAMPLE', privateKey,
  });
  expect(signed.canonicalRequest).toBe(expected);
  expect(signed.stringToSign).toBe(`AMZN-PAY-RSASSA-PSS-V2\n${sha256(expected)}`);
  expect(signed.headers.authorization).toMatch(
    /^AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=SANDBOX-AEXAMPLE, SignedHeaders=accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-idempotency-key;x-amz-pay-region, Signature=[A-Za-z0-9+/]+=*$/,
  );
});

test('a GET: empty query line and the hash of zero bytes; the body hash covers bytes, not characters', () => {
  const canonical = canonicalRequest({ method: 'GET', path: '/v2/charges/X/', signedHeaders: ['accept'], headers: { accept: 'application/json' } });
  expect(canonical).toBe(`GET\n/v2/charges/X/\n\naccept:application/json\n\naccept\n${EMPTY_PAYLOAD_HASH}`);
  expect(canonicalQueryString()).toBe('');
  const jp = '{"name":"テスト"}';
  expect(canonicalRequest({ method: 'POST', path: '/', signedHeaders: [], headers: {}, body: Buffer.from(jp, 'utf8') }))
    .toBe(canonicalRequest({ method: 'POST', path: '/', signedHeaders: [], headers: {}, body: jp }));
});

test('the SDK header set, and both x-amz-pay-date formats', () => {
  const at = new Date('2026-11-01T00:05:12.345Z');
  expect(amazonPayHeaders({ host: 'pay-api.amazon.jp', region: 'us', at, idempotencyKey: 'k1' })).toEqual({
    accept: 'application/json', 'content-type': 'application/json', 'x-amz-pay-date': '20261101T000512Z',
    'x-amz-pay-host': 'pay-api.amazon.jp', 'x-amz-pay-region': 'na', 'x-amz-pay-idempotency-key': 'k1',
  });
  expect(amazonPayHeaders({ host: 'h', region: 'jp' })).not.toHaveProperty('x-amz-pay-idempotency-key');
  expect(formatPayDate(at, 'extended')).toBe('2026-11-01T00:05:12Z');
  expect(parsePayDate('20261101T000512Z')?.toISOString()).toBe('2026-11-01T00:05:12.000Z');
  expect(parsePayDate('2026-11-01T00:05:12Z')?.toISOString()).toBe('2026-11-01T00:05:12.000Z');
  expect(parsePayDate('20261301T000512Z')).toBeNull();
  expect(parsePayDate('2026-11-01 00:05:12')).toBeNull();
});

describe.each<[SignatureAlgorithm, SignatureAlgorithm]>([
  ['AMZN-PAY-RSASSA-PSS-V2', 'AMZN-PAY-RSASSA-PSS'],
  ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'],
])('%s', (algorithm, other) => {
  const sign = () => signRequest({ method: 'POST', path: '/v2/charges', headers: fixedHeaders, body: BODY, publicKeyId: 'SANDBOX-A', privateKey, algorithm });
  const verifyWith = (headers: Record<string, string>, body: string, alg: SignatureAlgorithm = algorithm) => {
    const auth = parseAuthorization(headers.authorization!)!;
    const canonical = canonicalRequest({ method: 'POST', path: '/v2/charges', signedHeaders: auth.signedHeaders, headers, body });
    return verifyString(publicKey, alg, stringToSign(alg, canonical), auth.signature);
  };

  test('round trip; a one-byte body change, a changed signed header or the other salt length fail', () => {
    const { headers } = sign();
    expect(parseAuthorization(headers.authorization!)?.algorithm).toBe(algorithm);
    expect(verifyWith(headers, BODY)).toBe(true);
    expect(verifyWith(headers, BODY.replace('3980', '3981'))).toBe(false);
    expect(verifyWith({ ...headers, 'x-amz-pay-idempotency-key': 'sub000123c202611a1' }, BODY)).toBe(false);
    expect(verifyWith(headers, BODY, other)).toBe(false);
  });
});

describe('the emulator verifier (§2.3)', () => {
  const keys = new PublicKeys();
  keys.register('SANDBOX-A', publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const settings = defaultAmazonPaySettings();
  const now = new Date('2026-11-01T00:05:12Z');
  const request = (over: Partial<RawRequest> = {}, headerOver: Record<string, string | undefined> = {}): RawRequest => {
    const { headers } = signRequest({ method: 'POST', path: '/amazon-pay/v2/charges', headers: fixedHeaders, body: BODY, publicKeyId: 'SANDBOX-A', privateKey });
    const all: Record<string, string | undefined> = { ...headers, 'user-agent': 'unsigned/1.0', ...headerOver };
    return { method: 'POST', path: '/amazon-pay/v2/charges', rawQuery: '', headers: all, body: Buffer.from(BODY), pathEnvironment: undefined, ...over };
  };
  const reason = (r: RawRequest, n = now) => {
    const v = verifyRequest(r, keys, settings, n);
    return v.ok ? v.environment : `${v.error.status} ${(v.error.body as { reasonCode: string }).reasonCode}`;
  };

  test('accepts the signed request with unsigned extras; refuses what §2.3 lists', () => {
    expect(reason(request())).toBe('Sandbox');
    expect(reason(request({ body: Buffer.from(BODY.replace('}', ' }')) }))).toBe('403 InvalidRequestSignature');
    expect(reason(request({ path: '/v2/charges' }))).toBe('403 InvalidRequestSignature'); // the prefix is part of what was signed
    expect(reason(request({}, { 'x-amz-pay-date': undefined }))).toBe('400 MissingHeader');
    expect(reason(request({}, { 'x-amz-pay-host': ' ' }))).toBe('400 MissingHeaderValue');
    expect(reason(request({}, { authorization: undefined }))).toBe('400 MissingHeader');
    expect(reason(request({}, { authorization: 'Bearer x' }))).toBe('400 InvalidHeaderValue');
    expect(reason(request({ pathEnvironment: 'live' }))).toBe('403 InvalidAuthentication'); // a SANDBOX- key on /live
  });

  test('a date within the skew of real time passes while the emulator clock is moved on (acceptRealTimeDates)', () => {
    const fresh = signRequest({
      method: 'POST', path: '/amazon-pay/v2/charges', headers: { ...fixedHeaders, 'x-amz-pay-date': formatPayDate(new Date()) }, body: BODY,
      publicKeyId: 'SANDBOX-A', privateKey,
    });
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(reason(request({}, fresh.headers), tomorrow)).toBe('Sandbox');
    expect(verifyRequest(request({}, fresh.headers), keys, { ...settings, acceptRealTimeDates: false }, tomorrow).ok).toBe(false);
  });

  test('an unknown key is InvalidAuthentication; date and host must be signed; skew and host are checked', () => {
    const other = signRequest({ method: 'POST', path: '/amazon-pay/v2/charges', headers: fixedHeaders, body: BODY, publicKeyId: 'SANDBOX-B', privateKey });
    expect(reason(request({}, other.headers))).toBe('403 InvalidAuthentication');

    const { 'x-amz-pay-date': date, ...withoutDate } = fixedHeaders;
    const unsignedDate = signRequest({ method: 'POST', path: '/amazon-pay/v2/charges', headers: withoutDate, body: BODY, publicKeyId: 'SANDBOX-A', privateKey });
    expect(reason(request({}, { ...unsignedDate.headers, 'x-amz-pay-date': date }))).toBe('403 InvalidRequestSignature');

    const strict = { ...settings, acceptRealTimeDates: false };
    const late = (minutes: number) => verifyRequest(request(), keys, strict, new Date(now.getTime() + minutes * 60_000)).ok;
    expect(late(15)).toBe(true);
    expect(late(16)).toBe(false);
    const wrongHost = verifyRequest(request(), keys, { ...settings, expectedHost: 'pay-api.amazon.com' }, now);
    expect(wrongHost.ok).toBe(false);
  });
});

/** The official SDK (npm @amazonpay/amazon-pay-api-sdk-nodejs), untyped: only what this test calls. */
interface OfficialSdk {
  AmazonPayClient: new (config: Record<string, unknown>) => {
    getSignedHeaders(options: { method: string; urlFragment: string; payload?: unknown; headers?: Record<string, string> }): Record<string, string>;
  };
}
const sdk = createRequire(__filename)('@amazonpay/amazon-pay-api-sdk-nodejs') as OfficialSdk;
const keysForSdk = new PublicKeys();

test.each([
  ['SANDBOX-A', undefined, '/v2/charges'],
  ['AEXAMPLEKEY', 'AMZN-PAY-RSASSA-PSS-V2', '/sandbox/v2/charges'],
])("the official SDK's signature (key %s, %s) verifies with our verifier", (publicKeyId, algorithm, path) => {
  keysForSdk.register(publicKeyId, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const client = new sdk.AmazonPayClient({
    publicKeyId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), region: 'jp', sandbox: true, ...(algorithm ? { algorithm } : {}),
  });
  const options = { method: 'POST', urlFragment: 'charges', payload: JSON.parse(BODY) as unknown, headers: { 'x-amz-pay-idempotency-key': 'k-1' } };
  const headers = client.getSignedHeaders(options);
  expect(headers['x-amz-pay-date']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/); // the SDK's extended format
  expect(headers['user-agent']).toMatch(/^amazon-pay-api-sdk-nodejs\//); // signed too
  const v = verifyRequest(
    { method: 'POST', path, rawQuery: '', headers, body: Buffer.from(options.payload as string), pathEnvironment: path.startsWith('/sandbox') ? 'sandbox' : undefined },
    keysForSdk, defaultAmazonPaySettings(), new Date(),
  );
  expect(v).toMatchObject({ ok: true, environment: 'Sandbox' });
});
