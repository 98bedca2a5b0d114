import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OpluxClient } from '../../oplux/client';
import { opluxClientFor } from '../../workers/shop-clients';
import type { OpluxShop } from '../../activities/oplux-review-activities';
import type { FraudReviewOrder } from '../../workflows/oplux-fraud-review-messages';
import { defaultReviewSettings, type OpluxReviewSettings, type OrderOutControl } from '../../workflows/oplux-review-rules';
import { NOTIFY_EMAIL, SHOP_ID } from './au-pay-fixtures';
import type { TestSandbox } from './sandbox';

/** The O-PLUX merchant the sandbox knows (register again after each sandbox reset). */
export const OPLUX_MERCHANT = { shopId: 'OPLUXTEST01', connectionId: 'RENKEI-CONN-01', secretKey: 'renkei-test-secret' };

/** One shop of ours per 受注OUT制御 mode, all on the one O-PLUX merchant; SHOP_ID is 制御する(NG, REVIEW, HOLD). */
export const MODE_SHOPS: Record<OrderOutControl, string> = { 'ng-review-hold': SHOP_ID, none: 'shop-out-none', 'ng-hold': 'shop-out-ng-hold' };

export const registerOpluxMerchant = (sandbox: TestSandbox) => sandbox.control('POST', '/oplux/_sandbox/merchants', OPLUX_MERCHANT);

/** Our client on the sandbox; its request_datetime follows the sandbox's clock (which follows the test server's). */
export function opluxTestClient(sandbox: TestSandbox, timeoutMs = 2000): OpluxClient {
  return opluxClientFor(
    { OPLUX_EVENT_URL: `${sandbox.url}/oplux/v2/event`, OPLUX_NORMALIZER_URL: `${sandbox.url}/oplux/name-normalizer/`, OPLUX_TIMEOUT_MS: timeoutMs },
    { merchantId: OPLUX_MERCHANT.shopId, accessId: OPLUX_MERCHANT.connectionId, secret: OPLUX_MERCHANT.secretKey },
    { now: () => sandbox.oplux.kit.clock.now() },
  );
}

/** The activities' O-PLUX shops: one per mode, and `extra` settings for any of them. */
export function opluxTestShops(sandbox: TestSandbox, extra: Record<string, Partial<OpluxReviewSettings>> = {}) {
  const client = opluxTestClient(sandbox);
  const shops = new Map<string, OpluxShop>(
    Object.entries(MODE_SHOPS).map(([mode, shopId]) => [
      shopId, { client, notifyEmail: NOTIFY_EMAIL, settings: { ...defaultReviewSettings(), orderOutControl: mode as OrderOutControl, ...extra[shopId] } },
    ]),
  );
  return (shopId: string) => shops.get(shopId);
}

let counter = 0;
/** A completed order paid by card, from a buyer of its own (unless `email` is given). */
export function newReviewOrder(overrides: Partial<FraudReviewOrder> & { email?: string } = {}): FraudReviewOrder {
  counter += 1;
  const { email, ...rest } = overrides;
  const n = `${Date.now() % 1_000_000}-${counter}`;
  return {
    shopId: SHOP_ID,
    orderId: `ORD-${n}`,
    orderedAt: '2026-11-23T10:00:00+09:00',
    amountJpy: 12800,
    paymentMethodId: 'credit_card',
    deviceInfo: `m:id device ${n}`,
    ipAddress: '203.0.113.45',
    cookie: `fb-${n}`,
    bincode: '411111',
    buyer: {
      memberId: `M-${n}`, lastName: '山田', firstName: '太郎', email: email ?? `buyer-${n}@example.jp`, tel: `03-${String(counter).padStart(4, '0')}-${n.slice(0, 4)}`,
      address: { zipcode: '150-0001', prefecture: '東京都', city: '渋谷区', street: `神宮前${counter}-${n}` },
    },
    items: [{ productId: 'P-100', productCode: 'TSHIRT-RED-M', attributeCode: 'RED-M', name: 'Tシャツ 赤 M', priceJpy: 12800, quantity: 1, category: 'apparel' }],
    ...rest,
  };
}

/**
 * Before each time-skipping test: the O-PLUX sandbox emptied, the merchant registered again, its clock at the test
 * server's time, and the mail sink cleared.
 */
export async function resetOpluxSandbox(sandbox: TestSandbox, env: Pick<TestWorkflowEnvironment, 'currentTimeMs'>): Promise<void> {
  await sandbox.control('POST', '/oplux/_sandbox/reset');
  await registerOpluxMerchant(sandbox);
  sandbox.oplux.kit.clock.set(new Date(await env.currentTimeMs()));
  sandbox.sink.clear();
}
