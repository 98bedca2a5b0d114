import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createApiApp } from '../../api/app';
import { createSnsVerifier, hostPatternPolicy } from '../../amazon-pay/sns/sns-verifier';

/** Every answer of the API, whatever the route or the outcome, forbids sniffing and caching. */
describe('API answer headers', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const db = { query: async () => ({ rows: [{ '?column?': 1 }], rowCount: 1 }) } as unknown as Pool;
    const temporal = { workflowService: { getSystemInfo: async () => ({}) } } as unknown as Client;
    const app = createApiApp({
      temporal, db, apiToken: 'headers-test-token-0123456789', taskQueue: 'q', isKnownShop: (s) => s === 'shop-1',
      ipnVerifier: createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }) }),
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['GET', '/health', undefined, undefined],
    ['GET', '/shops/shop-1/au-pay/shipments/X', undefined, undefined], // no token: 401
    ['GET', '/shops/nobody/au-pay/shipments/X', 'Bearer headers-test-token-0123456789', undefined], // unknown shop
    ['GET', '/no/such/route', 'Bearer headers-test-token-0123456789', undefined], // 404
    ['POST', '/shops/shop-1/au-pay/shipments', 'Bearer headers-test-token-0123456789', '{not json'], // 400
  ])('%s %s', async (method, path, authorization, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(authorization ? { authorization } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    await res.text();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
