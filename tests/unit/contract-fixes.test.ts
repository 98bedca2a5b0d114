import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { maskAccount } from '../../accounts/provider-fields';
import { createApiApp } from '../../api/app';
import type { SnsVerifier } from '../../amazon-pay/sns/sns-verifier';
import { auditQuery } from '../../api/audit/schemas';
import { findUnstorableText } from '../../common/safe-text';

/** What schemathesis found against the running API (scripts/contract-check.sh), kept fixed. */
describe('inputs the contract check found answered 500', () => {
  it("a secret's last 4 are characters: a surrogate pair is never cut in half (jsonb refuses half of one)", () => {
    const masked = maskAccount('gmo-pg', { shopId: 'tshop001', shopPass: 'abcdefg\u{1F511}xyz' });
    expect(masked.shopPass).toEqual({ set: true, last4: '\u{1F511}xyz' });
    expect(findUnstorableText(masked)).toBeUndefined();
  });

  it('an audit since/until PostgreSQL cannot take is a 400 with the field, the others are sent in UTC', () => {
    expect(auditQuery.parse({ since: '2026-11-30T09:00:00+09:00' }).since).toBe('2026-11-30T00:00:00.000Z');
    // an offset past PostgreSQL's ±15:59 is still an instant: normalized to UTC
    expect(auditQuery.parse({ since: '0022-04-29T11:15:27-18:18' }).since).toBe('0022-04-30T05:33:27.000Z');
    for (const until of ['0000-01-01T00:00:00+01:00', '9999-12-31T23:59:59-23:59']) {
      const r = auditQuery.safeParse({ until });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['until']);
    }
  });

  it('an IPN for a shop this deployment does not serve is 404, with the shop directory answering a promise', async () => {
    const app = createApiApp({
      temporal: { withDeadline: (_at: number, fn: () => unknown) => fn() } as unknown as Client, db: {} as Pool, apiToken: 'contract-fixes-token',
      taskQueue: 'contract-fixes', isKnownShop: async (s) => s === 'demo-shop', ipnVerifier: {} as SnsVerifier,
      amazonPayIpnAccount: async () => ({ merchantId: 'M', topicArns: [] }),
    });
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/shops/no-such-shop/amazon-pay/ipn`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'unknown shop' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
