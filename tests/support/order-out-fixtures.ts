import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { parseKeyRing } from '../../common/account-crypto';
import { createAccountStore, type AccountStore } from '../../db/provider-accounts';
import type { TestSandbox } from './sandbox';

/** A key ring made for this run: nothing sealed in tests is sealed with a key from the repo. */
export const testKeyRing = () => parseKeyRing(`test:${randomBytes(32).toString('base64')}`, 'test');

export const testAccounts = (db: Pool): AccountStore => createAccountStore(db, testKeyRing());

/** The shop's external system: an endpoint at the sandbox's receiver and the same secret in the shop's account. */
export async function connectExternalSystem(accounts: AccountStore, sandbox: TestSandbox, shopId: string): Promise<{ secret: string; url: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  await sandbox.control('POST', '/external-system/_sandbox/endpoints', { name: shopId, secret });
  const url = `${sandbox.url}/external-system/receive/${shopId}`;
  await accounts.put(shopId, 'external-system', { url, signingSecret: secret });
  return { secret, url };
}

let counter = 0;
/** Outbox rows as the other processes write them (with the update that caused them). */
export async function writeOutbox(db: Pool, shopId: string, orderId: string, events: Array<{ event: string; payload: Record<string, unknown> }>): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    counter += 1;
    const { rows } = await db.query(
      `INSERT INTO order_outbox (shop_id, order_id, event, payload, dedupe_key) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
      [shopId, orderId, e.event, JSON.stringify(e.payload), `test:${orderId}:${counter}`],
    );
    ids.push(rows[0].id);
  }
  return ids;
}
