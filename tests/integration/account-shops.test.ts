import { loadWorkerConfig } from '../../config';
import { shopsFromAccounts } from '../../workers/account-shops';
import { shopClients } from '../../workers/shop-clients';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { testAccounts } from '../support/order-out-fixtures';

/** A shop's client comes from its sealed account when it has one, is rebuilt only when the account changes. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

test('account first, configuration otherwise; re-read after the refresh interval, rebuilt only on a change', async () => {
  const accounts = testAccounts(db.pool);
  let clock = 0;
  const built: string[] = [];
  const lookup = shopsFromAccounts({
    accounts, provider: 'oplux', refreshMs: 1000, now: () => clock,
    build: (a, shopId) => (built.push(`${shopId}:${a.merchantId}`), { from: 'account', merchantId: a.merchantId }),
    fallback: (shopId) => (shopId === 'env-shop' ? { from: 'env', merchantId: 'ENV' } : undefined),
  });

  expect(await lookup('env-shop')).toEqual({ from: 'env', merchantId: 'ENV' });
  expect(await lookup('other')).toBeUndefined();

  await accounts.put('env-shop', 'oplux', { merchantId: 'M-1', accessId: 'A', secret: 'secret-0001' });
  expect(await lookup('env-shop')).toEqual({ from: 'env', merchantId: 'ENV' }); // within the refresh interval
  clock = 1500;
  const first = await lookup('env-shop');
  expect(first).toEqual({ from: 'account', merchantId: 'M-1' });
  clock = 3000;
  expect(await lookup('env-shop')).toBe(first); // same account: the same client (a Yahoo token provider keeps its token)
  await accounts.put('env-shop', 'oplux', { merchantId: 'M-2', accessId: 'A', secret: 'secret-0002' });
  clock = 4500;
  expect(await lookup('env-shop')).toEqual({ from: 'account', merchantId: 'M-2' });
  expect(built).toEqual(['env-shop:M-1', 'env-shop:M-2']);

  // without an account store at all, configuration alone
  const configOnly = shopsFromAccounts({ accounts: undefined, provider: 'oplux', build: () => 'never', fallback: () => 'env' });
  expect(await configOnly('env-shop')).toBe('env');
});

test("SHOP_NOTIFY_EMAIL is the configured shop's only: a client from another shop's own account carries no environment address", async () => {
  const accounts = testAccounts(db.pool);
  const config = loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', SHOP_ID: 'env-shop-2', SHOP_NOTIFY_EMAIL: 'env-admin@example.jp' });
  const account = { shopId: '87654321', apiKey: 'key-0001', apiKeyIssuedOn: '2026-01-01' };
  await accounts.put('own-shop', 'au-pay', account);
  await accounts.put('env-shop-3', 'au-pay', account);
  const { shop } = shopClients(config, accounts);
  expect((await shop('env-shop-2'))?.notifyEmail).toBe('env-admin@example.jp'); // the environment's account and address
  expect(await shop('own-shop')).toEqual({ client: expect.anything(), notifyEmail: undefined });
  expect((await shop('env-shop-3'))?.notifyEmail).toBeUndefined();
  expect(await shop('no-such-shop')).toBeUndefined();
  await accounts.put('env-shop-2', 'au-pay', account);
  expect((await shopClients(config, accounts).shop('env-shop-2'))?.notifyEmail).toBe('env-admin@example.jp'); // its own account, its address kept
});
