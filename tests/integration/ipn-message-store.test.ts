import { createIpnMessageStore } from '../../db/ipn-messages';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/until';

/** The IPN MessageId store on PostgreSQL (PGlite, or CI's server): one claim wins, replays are seen, failures forgotten. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(() => db?.stop());

let n = 0;
const id = () => `msg-${++n}-${Date.now()}`;

test('claim, then in flight for the others, then done for replays', async () => {
  const store = createIpnMessageStore(db.pool);
  const m = id();
  expect(await store.claim('shop-a', m)).toBe('claimed');
  expect(await store.claim('shop-a', m)).toBe('in-flight');
  expect(await store.claim('shop-b', m)).toBe('claimed'); // per shop
  await store.complete('shop-a', m);
  expect(await store.claim('shop-a', m)).toBe('done');
});

test('50 concurrent deliveries of one message: exactly one claim', async () => {
  const store = createIpnMessageStore(db.pool);
  const m = id();
  const states = await Promise.all(Array.from({ length: 50 }, () => store.claim('shop-a', m)));
  expect(states.filter((s) => s === 'claimed')).toHaveLength(1);
  expect(states.filter((s) => s !== 'claimed').every((s) => s === 'in-flight')).toBe(true);
});

test('a released claim is claimed again (the sender retry after a 503); a done one is never released', async () => {
  const store = createIpnMessageStore(db.pool);
  const m = id();
  expect(await store.claim('shop-a', m)).toBe('claimed');
  await store.release('shop-a', m);
  expect(await store.claim('shop-a', m)).toBe('claimed');
  await store.complete('shop-a', m);
  await store.release('shop-a', m);
  expect(await store.claim('shop-a', m)).toBe('done');
});

test('a claim abandoned by a process that died is taken over', async () => {
  const store = createIpnMessageStore(db.pool, { abandonedAfterMs: 50 });
  const m = id();
  expect(await store.claim('shop-a', m)).toBe('claimed');
  expect(await until(async () => (await store.claim('shop-a', m)) === 'claimed', 5000, 20)).toBe(true);
});

test('ids older than the retention go', async () => {
  const store = createIpnMessageStore(db.pool);
  const [old, fresh] = [id(), id()];
  await store.claim('shop-a', old);
  await store.complete('shop-a', old);
  await store.claim('shop-a', fresh);
  await db.pool.query(`UPDATE ipn_messages SET claimed_at = now() - interval '15 days' WHERE message_id = $1`, [old]);
  expect(await store.expire()).toBe(1);
  expect(await store.claim('shop-a', old)).toBe('claimed');
  expect(await store.claim('shop-a', fresh)).toBe('in-flight');
});
