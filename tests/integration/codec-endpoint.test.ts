import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { payloadCodecFromConfig } from '../../common/payload-config';
import { API_TOKEN, startTestApi } from '../support/test-api';

/**
 * The API's codec endpoint (issue 10 §7) as the Temporal Web UI calls it: CORS for the Web UI's origin only, the bearer
 * token (or, where configured, loopback), JSON in and out. These routes reach neither Temporal nor PostgreSQL: the
 * API's client is a lazy one that never connects, and its pool is never queried. That it decodes what the real worker
 * encoded is shown in no-secrets.test.ts.
 */
const WEB_UI = 'http://127.0.0.1:18233';
const keys = { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') };
const codec = payloadCodecFromConfig({ PAYLOAD_KEYS: `k1:${keys.k1},k2:${keys.k2}`, PAYLOAD_KEY_ID: 'k2' })!;
const oldCodec = payloadCodecFromConfig({ PAYLOAD_KEYS: `k1:${keys.k1}`, PAYLOAD_KEY_ID: 'k1' })!;
const strangerCodec = payloadCodecFromConfig({ PAYLOAD_KEYS: `k3:${randomBytes(32).toString('base64')}`, PAYLOAD_KEY_ID: 'k3' })!;
type Api = Awaited<ReturnType<typeof startTestApi>>;
let strict: Api;
let loopback: Api;
let none: Api;

beforeAll(async () => {
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const db = {} as Pool; // never queried
  [strict, loopback, none] = await Promise.all([
    startTestApi({ temporal, db, taskQueue: 'unused', payloadCodec: { codec, origins: [WEB_UI], trustLoopback: false } }),
    startTestApi({ temporal, db, taskQueue: 'unused', payloadCodec: { codec, origins: [WEB_UI], trustLoopback: true } }),
    startTestApi({ temporal, db, taskQueue: 'unused' }),
  ]);
});
afterAll(async () => {
  await Promise.all([strict?.stop(), loopback?.stop(), none?.stop()]);
});

type JsonPayload = { metadata?: Record<string, string>; data?: string };
const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

async function post(api: Api, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/codec${path}`, {
    method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
    // a header given as '' is left out
    headers: Object.fromEntries(Object.entries({
      'content-type': 'application/json', origin: WEB_UI, 'x-namespace': 'default', authorization: `Bearer ${API_TOKEN}`, ...headers,
    }).filter(([, v]) => v !== '')),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => undefined)) as { payloads?: JsonPayload[]; error?: string } | undefined };
}
const without = (h: string) => ({ [h]: '' });

test('the Web UI’s preflight is answered for its origin only, without credentials', async () => {
  const preflight = (origin: string) => fetch(`${strict.url}/codec/decode`, {
    method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
  });
  const ok = await preflight(WEB_UI);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(WEB_UI);
  expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
  expect(ok.headers.get('access-control-allow-headers')?.split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);
  const elsewhere = await preflight('http://evil.example');
  expect(elsewhere.status).toBe(403);
  expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
});

test('encode then decode round-trips; a payload sealed with an older key still decodes; an unknown key id is a 422 naming it', async () => {
  const plain = toJson(defaultPayloadConverter.toPayload({ buyer: { email: 'taro@example.jp' } }));
  const encoded = await post(strict, '/encode', { payloads: [plain] });
  expect(encoded.status).toBe(200);
  expect(encoded.headers.get('access-control-allow-origin')).toBe(WEB_UI);
  expect(Buffer.from(encoded.body!.payloads![0]!.metadata!['encryption-key-id']!, 'base64').toString()).toBe('k2');
  expect(Buffer.from(encoded.body!.payloads![0]!.data!, 'base64').toString()).not.toContain('taro@example.jp');

  const [older] = await oldCodec.encode([defaultPayloadConverter.toPayload('sealed before the rotation')]);
  const decoded = await post(strict, '/decode', { payloads: [...encoded.body!.payloads!, toJson(older!)] });
  expect(decoded.status).toBe(200);
  expect(decoded.body!.payloads!.map((p) => defaultPayloadConverter.fromPayload(fromJson(p)))).toEqual([{ buyer: { email: 'taro@example.jp' } }, 'sealed before the rotation']);

  const [foreign] = await strangerCodec.encode([defaultPayloadConverter.toPayload('x')]);
  const refused = await post(strict, '/decode', { payloads: [toJson(foreign!)] });
  expect(refused.status).toBe(422);
  expect(refused.body!.error).toMatch(/key "k3", which is not in PAYLOAD_KEYS \(k1, k2\)/);
  // a tampered payload, and a body that is not payloads
  const tampered = { ...encoded.body!.payloads![0]!, data: Buffer.from('x'.repeat(40)).toString('base64') };
  expect((await post(strict, '/decode', { payloads: [tampered] })).status).toBe(422);
  expect((await post(strict, '/decode', { payloads: [{ data: 'not base64!' }] })).status).toBe(400);
});

test('without the bearer token it decodes nothing, unless configured for loopback and reached directly', async () => {
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('secret buyer')]);
  const body = { payloads: [toJson(sealed!)] };
  expect((await post(strict, '/decode', body, without('authorization'))).status).toBe(401);
  expect((await post(strict, '/decode', body, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  expect((await post(loopback, '/decode', body, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401); // a token given is checked
  expect((await post(strict, '/decode', body, { origin: 'http://evil.example' })).status).toBe(403);
  expect((await post(strict, '/decode', 'payloads', { 'content-type': 'text/plain' })).status).toBe(415); // no simple request

  const direct = await post(loopback, '/decode', body, without('authorization'));
  expect(direct.status).toBe(200);
  expect(defaultPayloadConverter.fromPayload(fromJson(direct.body!.payloads![0]!))).toBe('secret buyer');
  // through a proxy on this host every request is loopback: a forwarded one needs the token
  expect((await post(loopback, '/decode', body, { authorization: '', 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
});

test('without PAYLOAD_KEYS there is no codec endpoint', async () => {
  expect((await post(none, '/decode', { payloads: [] })).status).toBe(404);
});
