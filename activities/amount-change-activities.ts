import type { Pool } from 'pg';
import type { AmazonPayShop } from './amazon-pay-activities';
import type { ShopLookup } from './provider-shop';
import { attemptTime } from './payment-activities';
import type { GmoPgClient } from '../gmo-pg/client';
import { recordAmountChange } from '../db/amount-change';
import { getPaymentMethodSetting } from '../db/order-cancel';
import type { AmountChangeResult } from '../payments/provider';
import { createPaymentRegistry } from '../payments/registry';
import type { PaymentRef } from '../workflows/order-cancel-messages';
import { statusChanged } from '../metrics/business-events';

export type { AmountChangeResult } from '../payments/provider';

export interface AmountChangeActivityDeps {
  db: Pool;
  amazonPayShop: ShopLookup<AmazonPayShop>;
  gmoPg?: { shop: ShopLookup<GmoPgClient>; now?: () => Date };
}

/** Where an amount change goes: a provider of the registry and its ref, or a result without a call. */
export type AmountChangePlan = { kind: 'provider'; provider: string; ref: string } | { kind: 'none'; result: AmountChangeResult };

/** The amount change's activities: the plan from the payment method's settings, the record; legacy provider calls. */
export function createAmountChangeActivities(deps: AmountChangeActivityDeps) {
  const payments = createPaymentRegistry({ ...deps, now: attemptTime });
  return {
    /** 金額変更API連携フラグ: whether an amount change of this payment method is sent to the provider. */
    async amountChangeLinked(i: { shopId: string; paymentMethod: string }): Promise<boolean> {
      return (await getPaymentMethodSetting(deps.db, i.shopId, i.paymentMethod))?.amountChangeApi ?? false;
    },

    /** The flag, the method's provider and the order's ref at it: what the workflow calls, without knowing the provider. */
    async amountChangePlan(i: { shopId: string; payment: PaymentRef }): Promise<AmountChangePlan> {
      const setting = await getPaymentMethodSetting(deps.db, i.shopId, i.payment.method);
      if (!setting?.amountChangeApi) return { kind: 'none', result: { outcome: 'not-linked', detail: '金額変更API連携フラグ: 連携しない' } };
      const provider = Object.hasOwn(payments, setting.provider) ? payments[setting.provider as keyof typeof payments] : undefined;
      const ref = provider?.refOf(i.payment);
      if (!provider || !ref) return { kind: 'none', result: { outcome: 'manual', detail: 'renkei has no client for this payment method: change the amount at the provider by hand' } };
      return { kind: 'provider', provider: provider.id, ref };
    },

    /** Registered before the payment interface (open histories still schedule it): the GMO-PG adapter's change. */
    async amountChangeGmoPg(i: { shopId: string; gmoPgOrderId: string; amountJpy: number }): Promise<AmountChangeResult> {
      return payments['gmo-pg'].changeAmount(i.shopId, i.gmoPgOrderId, { orderId: '', amountJpy: i.amountJpy, idempotencyKey: '' });
    },

    /** Registered before the payment interface (open histories still schedule it): the Amazon Pay adapter's change. */
    async amountChangeAmazonPay(i: { shopId: string; orderId: string; chargeId: string; amountJpy: number; idempotencyKey: string }): Promise<AmountChangeResult> {
      return payments['amazon-pay'].changeAmount(i.shopId, i.chargeId, { orderId: i.orderId, amountJpy: i.amountJpy, idempotencyKey: i.idempotencyKey });
    },

    async amountChangeRecord(i: { shopId: string; orderId: string; amountJpy: number; outcome: string; detail: string | null }): Promise<void> {
      await recordAmountChange(deps.db, i);
      statusChanged('amount-change', i, i.outcome);
    },
  };
}

export type AmountChangeActivities = ReturnType<typeof createAmountChangeActivities>;
