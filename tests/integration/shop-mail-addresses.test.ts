import { createShopDirectory } from '../../shops/shop-directory';
import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { AU_PAY_ERROR_SUBJECTS } from '../../mail/au-pay-error-mail';
import { startApiWorld, type ApiWorld } from '../support/api-world';
import { callApi } from '../support/test-api';
import { NOTIFY_EMAIL, SHOP_ID } from '../support/au-pay-fixtures';
import { auPayOrderInShipError } from '../support/au-pay-api-fixtures';
import { until } from '../support/until';

/**
 * A shop's mails go to the addresses the shop keeps (its administrators, its 通知先), routed per kind of mail, as
 * changed through the API, with no restart; the address its sender had (the configuration's) only when the shop
 * keeps none.
 */
let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('shop-mail-addresses', { shops: (db) => createShopDirectory(db.pool) });
}, 120_000);
afterAll(async () => world?.stop());

const call = <B = Record<string, unknown>>(method: string, path: string, body?: unknown) => callApi<B>(`${world.api}${path}`, method, body);
type Mail = { recipient: string; subject: string };
const mailsOf = async (subject: string) => (await call<{ mails: Mail[] }>('GET', `/shops/${SHOP_ID}/mails?limit=500`)).body.mails.filter((m) => m.subject === subject);

let n = 0;
async function shipError(): Promise<void> {
  n += 1;
  await auPayOrderInShipError(world.api, SHOP_ID, `MAIL-${n}`, String(900000000 + n));
}

test('each mail kind goes where the shop routes it, and a change of addresses applies to the next mail', async () => {
  const subject = AU_PAY_ERROR_SUBJECTS.shipping;
  expect((await call('POST', '/shops', { id: SHOP_ID, name: 'テストショップ' })).status).toBe(201);
  // no addresses kept: the mail goes where the configuration addressed it
  await shipError();
  await until(async () => (await mailsOf(subject)).length === 1, 30_000);
  expect((await mailsOf(subject)).map((m) => m.recipient)).toEqual([NOTIFY_EMAIL]);

  // the shop's 通知先 only, for this kind
  expect((await call('PATCH', `/shops/${SHOP_ID}`, { adminEmails: ['boss@shop.example.jp', 'ops@shop.example.jp'], notifyEmail: 'tsuchi@shop.example.jp', mailRoutes: { 'au-pay-error': ['notify'] } })).status).toBe(200);
  await shipError();
  await until(async () => (await mailsOf(subject)).length === 2, 30_000);
  expect((await mailsOf(subject))[0]!.recipient).toBe('tsuchi@shop.example.jp');

  // routed to the administrators: one mail each
  expect((await call('PATCH', `/shops/${SHOP_ID}`, { mailRoutes: { 'au-pay-error': ['admins'] } })).status).toBe(200);
  await shipError();
  await until(async () => (await mailsOf(subject)).length === 4, 30_000);
  expect((await mailsOf(subject)).slice(0, 2).map((m) => m.recipient).sort()).toEqual(['boss@shop.example.jp', 'ops@shop.example.jp']);

  // not routed: both
  expect((await call('PATCH', `/shops/${SHOP_ID}`, { mailRoutes: {} })).status).toBe(200);
  await shipError();
  await until(async () => (await mailsOf(subject)).length === 7, 30_000);
  expect((await mailsOf(subject)).slice(0, 3).map((m) => m.recipient).sort()).toEqual(['boss@shop.example.jp', 'ops@shop.example.jp', 'tsuchi@shop.example.jp']);
  expect((await call<{ issues: Array<{ field: string }> }>('PATCH', `/shops/${SHOP_ID}`, { mailRoutes: { 'no-such-mail': ['admins'] } })).status).toBe(400);

  // the chains end: each order marked done by hand
  for (let i = 1; i <= n; i += 1) {
    expect((await call('POST', `/shops/${SHOP_ID}/au-pay/orders/MAIL-${i}/link-status`, { status: LINK_STATUS.completed })).status).toBe(200);
  }
}, 120_000);
