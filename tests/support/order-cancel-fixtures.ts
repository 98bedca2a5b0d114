import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { putPaymentMethodSetting } from '../../db/order-cancel';
import type { AccountStore } from '../../db/provider-accounts';
import type { GmoPgClient } from '../../gmo-pg/client';
import { gmoPgClientFor, gmoPgClients } from '../../workers/shop-clients';
import type { OrderCancelActivityDeps } from '../../activities/order-cancel-activities';
import type { ActivityDeps } from '../../activities';
import { NOTIFY_EMAIL, SHOP_ID } from './au-pay-fixtures';
import { connectExternalSystem, testAccounts } from './order-out-fixtures';
import type { TestSandbox } from './sandbox';
import { startTimeSkippingRig, type TimeSkippingRig } from './time-skipping-rig';

/** The shop's GMO-PG contract at the emulator (also sealed in the shop's gmo-pg account). */
export const GMO_SHOP = { shopId: 'tshop00009901', shopPass: 'pass9901' };

/** The shop's payment methods, as the cancel saga sees them. */
export const METHODS = {
  gmo: 'credit-gmo-pg', // 取消API連携フラグ on
  amazon: 'amazon-pay-v2', // on
  manual: 'atodene', // on, but renkei has no client (#187)
  off: 'credit-zeus', // 取消連携しない
} as const;

/** The GMO-PG emulator's API, and the cancel dependencies that reach it; its clock is the test's to set. */
export const gmoPgBaseUrl = (sandbox: TestSandbox) => `${sandbox.url}/gmo-pg/payment/`;
export const cancelGmoPgDeps = (sandbox: TestSandbox, accounts: AccountStore): NonNullable<OrderCancelActivityDeps['gmoPg']> => ({
  shop: gmoPgClients({ GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox), GMO_PG_TIMEOUT_MS: 2000 }, accounts), now: () => sandbox.gmoPg.kit.clock.now(),
});

/** A temporal dependency whose client is read when used (the test's client exists only after the worker starts). */
export const lateTemporal = (client: () => Client, taskQueue: string) => ({
  get client() {
    return client();
  },
  taskQueue,
});

/** Registers the GMO shop at the emulator and in the shop's accounts, and the shop's payment method settings. */
export async function setUpCancelShop(db: Pool, accounts: AccountStore, sandbox: TestSandbox, shopId: string): Promise<void> {
  await sandbox.control('POST', '/gmo-pg/_sandbox/shops', GMO_SHOP);
  await sandbox.control('POST', '/gmo-pg/_sandbox/settings', { strictCancelWindow: true }); // VOID only the same day, as GMO's module
  await accounts.put(shopId, 'gmo-pg', GMO_SHOP);
  const base = { shopId, amountChangeApi: false, autoCancelOnNg: false };
  await putPaymentMethodSetting(db, { ...base, paymentMethod: METHODS.gmo, provider: 'gmo-pg', cancelApi: true, amountChangeApi: true });
  await putPaymentMethodSetting(db, { ...base, paymentMethod: METHODS.amazon, provider: 'amazon-pay', cancelApi: true });
  await putPaymentMethodSetting(db, { ...base, paymentMethod: METHODS.manual, provider: 'manual', cancelApi: true, autoCancelOnNg: true });
  await putPaymentMethodSetting(db, { ...base, paymentMethod: METHODS.off, provider: 'gmo-pg', cancelApi: false });
}

export const gmoClient = (sandbox: TestSandbox): GmoPgClient =>
  gmoPgClientFor({ GMO_PG_BASE_URL: gmoPgBaseUrl(sandbox), GMO_PG_TIMEOUT_MS: 5000 }, GMO_SHOP);

let n = 0;
/** A GMO OrderID (≤27 chars). */
export const newGmoOrderId = (prefix = 'C'): string => `${prefix}${Date.now().toString(36)}-${++n}`;

/** EntryTran + ExecTran (AUTH) with the test card at the emulator's time `at`. */
export async function gmoAuthorize(sandbox: TestSandbox, orderId: string, at: Date, amount = 3980) {
  sandbox.gmoPg.kit.clock.set(at);
  const client = gmoClient(sandbox);
  const keys = await client.entryTran({ orderId, jobCd: 'AUTH', amount });
  await client.execTran({ ...keys, orderId, card: { cardNo: '4111111111111111', expire: '3012' } });
  return keys;
}

type LedgerEntry = { operation: string; applied: boolean; effect: string; orderId: string };
/** The emulator's ledger for one trade. */
export async function gmoLedger(sandbox: TestSandbox, orderId: string): Promise<LedgerEntry[]> {
  const { entries } = await sandbox.control<{ entries: LedgerEntry[] }>('GET', `/gmo-pg/_sandbox/ledger?orderId=${encodeURIComponent(orderId)}`);
  return entries;
}
/** AlterTran calls that canceled the trade (`AUTH -> VOID …`). */
export const appliedCancels = async (sandbox: TestSandbox, orderId: string) =>
  (await gmoLedger(sandbox, orderId)).filter((e) => e.operation === 'AlterTran' && e.applied && /-> (VOID|RETURN|RETURNX) /.test(e.effect));

/** The trade's status at GMO, through SearchTrade. */
export async function gmoStatus(sandbox: TestSandbox, orderId: string): Promise<string | undefined> {
  return (await gmoClient(sandbox).searchTrade(orderId))?.status;
}


/**
 * The time-skipping rig with the cancellation's real activities: the GMO-PG and Amazon Pay emulators, the test shop's
 * payment methods, and order data OUT delivered to the external-system emulator.
 */
export async function startCancelRig(taskQueue: string): Promise<TimeSkippingRig> {
  let accounts!: AccountStore;
  const rig: TimeSkippingRig = await startTimeSkippingRig(taskQueue, {
    deps: ({ db, sandbox }) => {
      accounts = testAccounts(db.pool);
      const deps: Partial<ActivityDeps> & Pick<OrderCancelActivityDeps, 'gmoPg'> = {
        accounts, notifyEmail: (s) => (s === SHOP_ID ? NOTIFY_EMAIL : undefined), orderOutTimeoutMs: 1000,
        gmoPg: cancelGmoPgDeps(sandbox, accounts), temporal: lateTemporal(() => rig.env.client, taskQueue),
      };
      return deps;
    },
  });
  await connectExternalSystem(accounts, rig.sandbox, SHOP_ID);
  await setUpCancelShop(rig.db.pool, accounts, rig.sandbox, SHOP_ID);
  return rig;
}
