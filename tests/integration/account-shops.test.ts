import { shopsFromAccounts } from '../../workers/account-shops';
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
