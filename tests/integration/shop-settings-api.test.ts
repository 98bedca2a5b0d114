import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore } from '../../db/provider-accounts';
import { SHOP_ID } from '../support/au-pay-fixtures';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { API_TOKEN, callApi, startTestApi } from '../support/test-api';

/**
 * Provider accounts through the real API and PostgreSQL. These routes never reach Temporal, so the API's client is
 * a lazy one that never connects.
 */
let db: TestDatabase;
let api: Awaited<ReturnType<typeof startTestApi>>;
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const store = (ring = parseKeyRing(`k1:${k1}`, 'k1')) => createAccountStore(db.pool, ring);

beforeAll(async () => {
  db = await startTestDatabase();
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  api = await startTestApi({ temporal, db: db.pool, taskQueue: 'unused', accounts: store() });
});
afterAll(async () => {
  await api?.stop();
  await db?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(`${api.url}/shops/${SHOP_ID}/accounts${path}`, method, body);

const gmo = { shopId: 'tshop00012345', shopPass: 'pw9x7y6z5w', siteId: 'tsite0001', sitePass: 'sitepass-1234' };

test('an account is set, read back masked, and stored sealed', async () => {
  const put = await call('PUT', '/gmo-pg', gmo);
  expect(put.status).toBe(200);
  expect(JSON.parse(put.text)).toMatchObject({
    provider: 'gmo-pg', version: 1, keyId: 'k1',
    fields: { shopId: 'tshop00012345', shopPass: { set: true, last4: '6z5w' }, siteId: 'tsite0001', sitePass: { set: true, last4: '1234' } },
  });
  const list = await call('GET', '');
  for (const text of [put.text, list.text, (await call('GET', '/gmo-pg')).text]) {
    expect(text).not.toContain(gmo.shopPass);
    expect(text).not.toContain(gmo.sitePass);
  }
  const { rows } = await db.pool.query(`SELECT row_to_json(a)::text AS r FROM provider_accounts a WHERE shop_id = $1`, [SHOP_ID]);
  expect(rows[0].r).not.toContain(gmo.shopPass);
  expect(await store().load(SHOP_ID, 'gmo-pg')).toEqual(gmo);
});

test('replacing an account bumps its version; a wrong field or provider is refused with the reason', async () => {
  const replaced = await call('PUT', '/gmo-pg', { ...gmo, shopPass: 'newpass123' });
  expect(JSON.parse(replaced.text)).toMatchObject({ version: 2, fields: { shopPass: { set: true, last4: 's123' } } });

  const typo = await call('PUT', '/gmo-pg', { ...gmo, shopPasword: 'x' });
  expect(typo.status).toBe(400);
  expect(typo.text).toMatch(/shopPasword/);
  const missing = await call('PUT', '/au-pay', { shopId: '123', apiKey: 'k', apiKeyIssuedOn: '26-11-01' });
  expect(missing.status).toBe(400);
  expect(missing.text).toMatch(/apiKeyIssuedOn/);
  const unknown = await call('PUT', '/paypal', {});
  expect(unknown.status).toBe(404);
  expect(unknown.text).toMatch(/unknown provider paypal; one of gmo-pg, amazon-pay/);
  expect((await call('GET', '/oplux')).status).toBe(404);
});

test('keys rotate: after re-sealing with a new key, the old key alone cannot open the record', async () => {
  const rotated = store(parseKeyRing(`k1:${k1},k2:${k2}`, 'k2'));
  expect(await rotated.rotate()).toBe(1);
  expect((await rotated.load(SHOP_ID, 'gmo-pg'))?.shopPass).toBe('newpass123');
  const { rows } = await db.pool.query(`SELECT key_id FROM provider_accounts WHERE shop_id = $1`, [SHOP_ID]);
  expect(rows[0].key_id).toBe('k2');
  await expect(store().load(SHOP_ID, 'gmo-pg')).rejects.toThrow(/key k2, which this process does not have/);
});

describe('mail log and throttle settings through the API', () => {
  const mailCall = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api.url}/shops/${SHOP_ID}${path}`, {
      method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  test('the throttle is set per shop and bad values are refused with the field', async () => {
    expect((await mailCall('GET', '/mail-throttle')).body).toEqual({ windowMinutes: 60, threshold: 20 });
    expect((await mailCall('PUT', '/mail-throttle', { windowMinutes: 10, threshold: 5 })).status).toBe(200);
    expect((await mailCall('GET', '/mail-throttle')).body).toEqual({ windowMinutes: 10, threshold: 5 });
    const bad = await mailCall('PUT', '/mail-throttle', { windowMinutes: 0, threshold: 5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/windowMinutes/);
  });

  test('mails are listed with held-back ones, filtered by status', async () => {
    await db.pool.query(
      `INSERT INTO mail_log (shop_id, recipient, audience, subject, status) VALUES ($1, 'ops@x.jp', 'admin', 'a', 'sent'), ($1, 'ops@x.jp', 'admin', 'b', 'suppressed')`,
      [SHOP_ID],
    );
    const held = await mailCall('GET', '/mails?status=suppressed');
    expect((held.body.mails as Array<{ subject: string }>).map((m) => m.subject)).toEqual(['b']);
    expect((await mailCall('GET', '/mails?status=lost')).status).toBe(400);
  });
});
