import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres';
import { freePort } from '../support/free-port';

/**
 * PGlite is one session behind many connections: an extended query (Parse, Bind, Execute, Sync) must reach it whole.
 * A large Bind arrives in several TCP reads; another connection's Parse in between used to replace the unnamed
 * statement, so the Bind failed ("bind message supplies 10 parameters, but prepared statement "" requires 2"), as a
 * 2,000-row shipment import did in CI.
 */
let pg: EmbeddedPostgres;
beforeAll(async () => {
  pg = await startEmbeddedPostgres({ port: await freePort() });
});
afterAll(() => pg?.stop());

test('a large parameterized query and small ones on other connections, side by side: every answer its own', async () => {
  const connect = async () => {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    return c;
  };
  const [big, ...small] = await Promise.all([connect(), connect(), connect()]);
  try {
    const payload = 'x'.repeat(2 * 2 ** 20); // 2 MiB: many TCP reads
    let stop = false;
    const chatter = small.map(async (c, i) => {
      let n = 0;
      while (!stop) {
        const { rows } = await c.query<{ sum: number }>('SELECT $1::int + $2::int AS sum', [i, n]);
        expect(rows[0]!.sum).toBe(i + n);
        n += 1;
      }
      return n;
    });
    for (let round = 0; round < 15; round++) {
      const params = [payload, ...Array.from({ length: 9 }, (_, k) => round * 10 + k)];
      const { rows } = await big.query<{ len: number; total: number }>(
        `SELECT length($1::text) AS len, ($2::int + $3::int + $4::int + $5::int + $6::int + $7::int + $8::int + $9::int + $10::int) AS total`, params);
      expect(rows[0]).toEqual({ len: payload.length, total: (params.slice(1) as number[]).reduce((a, b) => a + b, 0) });
    }
    stop = true;
    const counts = await Promise.all(chatter);
    expect(counts.every((n) => n > 0)).toBe(true); // the small queries really ran alongside
  } finally {
    await Promise.all([big, ...small].map((c) => c.end()));
  }
});
