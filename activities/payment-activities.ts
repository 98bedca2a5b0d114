import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { AmazonPayShop } from './amazon-pay-activities';
import type { ShopLookup } from './provider-shop';
import type { GmoPgClient } from '../gmo-pg/client';
import type { AmountChangeResult, CancelOutcome, PaymentStatusView } from '../payments/provider';
import { createPaymentRegistry, providerOf } from '../payments/registry';

export interface PaymentActivityDeps {
  db: Pool;
  amazonPayShop: ShopLookup<AmazonPayShop>;
  /**
   * GMO-PG on this worker: each shop's client (from its sealed gmo-pg account), and the clock a cancel plan reads
   * (the attempt's time unless given); absent (no GMO-PG base URL): GMO-PG calls are refused, named
   */
  gmoPg?: { shop: ShopLookup<GmoPgClient>; now?: () => Date };
}

/** The server's time of this attempt when under Temporal (tests skip time), else the wall clock. */
export const attemptTime = (): Date => {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date();
  }
};

/** The payment provider interface (payments/provider.ts) as activities: every process calls these, whatever the provider. */
export function createPaymentActivities(deps: PaymentActivityDeps) {
  const registry = createPaymentRegistry({ ...deps, now: attemptTime });
  const of = (provider: string) => providerOf(registry, provider);
  return {
    async paymentCancel(i: { shopId: string; provider: string; ref: string }): Promise<CancelOutcome> {
      return of(i.provider).cancel(i.shopId, i.ref);
    },
    async paymentRefund(i: { shopId: string; provider: string; ref: string; amountJpy?: number; idempotencyKey: string }): Promise<PaymentStatusView> {
      return of(i.provider).refund(i.shopId, i.ref, { ...(i.amountJpy !== undefined ? { amountJpy: i.amountJpy } : {}), idempotencyKey: i.idempotencyKey });
    },
    async paymentCapture(i: { shopId: string; provider: string; ref: string; amountJpy?: number; idempotencyKey: string }): Promise<PaymentStatusView> {
      return of(i.provider).capture(i.shopId, i.ref, { ...(i.amountJpy !== undefined ? { amountJpy: i.amountJpy } : {}), idempotencyKey: i.idempotencyKey });
    },
    async paymentChangeAmount(i: { shopId: string; provider: string; ref: string; orderId: string; amountJpy: number; idempotencyKey: string }): Promise<AmountChangeResult> {
      return of(i.provider).changeAmount(i.shopId, i.ref, { orderId: i.orderId, amountJpy: i.amountJpy, idempotencyKey: i.idempotencyKey });
    },
    async paymentReadStatus(i: { shopId: string; provider: string; kind: 'charge' | 'refund'; id: string }): Promise<PaymentStatusView> {
      return of(i.provider).readStatus(i.shopId, i.kind, i.id);
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
