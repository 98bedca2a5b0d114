import { listPaymentMethodSettings, putPaymentMethodSetting } from '../../db/order-cancel';
import { getShop } from '../../db/shops';
import { CONFIGURED_SHOP_PAYMENT_METHODS, seedConfiguredShop } from '../../shops/configured-shop';
import { startTestDatabase, type TestDatabase } from '../support/database';

/** The configured shop's first start on the real database: its record and payment methods, seeded once, never over the API's. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

test('the first start seeds the record and the payment methods the README walkthrough uses; a later start changes nothing', async () => {
  await seedConfiguredShop(db.pool, { shopId: 'demo-shop', notifyEmail: 'ops@demo.example.jp' });
  expect(await getShop(db.pool, 'demo-shop')).toMatchObject({ id: 'demo-shop', notifyEmail: 'ops@demo.example.jp' });
  const seeded = await listPaymentMethodSettings(db.pool, 'demo-shop');
  expect(seeded.map((m) => [m.paymentMethod, m.provider, m.cancelApi])).toEqual(
    [...CONFIGURED_SHOP_PAYMENT_METHODS].sort((a, b) => a.paymentMethod.localeCompare(b.paymentMethod)).map((m) => [m.paymentMethod, m.provider, true]),
  );

  await putPaymentMethodSetting(db.pool, { ...seeded[0]!, cancelApi: false });
  await seedConfiguredShop(db.pool, { shopId: 'demo-shop', notifyEmail: 'other@demo.example.jp' });
  expect((await listPaymentMethodSettings(db.pool, 'demo-shop'))[0]).toMatchObject({ cancelApi: false });
  expect(await getShop(db.pool, 'demo-shop')).toMatchObject({ notifyEmail: 'ops@demo.example.jp' });
});
