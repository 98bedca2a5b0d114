import type { Pool } from 'pg';
import type { AmazonPayClient } from '../amazon-pay/client-types';
import { AmazonPayApiError } from '../amazon-pay/errors';
import { amazonIdempotencyKey } from '../amazon-pay/idempotency-key';
import { jpy, type Charge, type Refund } from '../amazon-pay/schemas';
import { fromAmazonTimestamp } from '../amazon-pay/timestamps';
import { markChildChargeCanceled } from '../db/amazon-pay-recurring';
import { lastRefundedTotal } from '../db/amount-change';
import type { PaymentProvider, PaymentStatusView } from './provider';
import { refused } from './refused';

export interface AmazonPayProviderDeps {
  db: Pool;
  /** the shop's Amazon Pay client (from its sealed account); throws, named, when the shop has none */
  client(shopId: string): Promise<AmazonPayClient>;
}

const PENDING = new Set(['AuthorizationInitiated', 'CaptureInitiated', 'RefundInitiated']);
const FAILED = new Set(['Declined', 'Canceled']);
const phaseOf = (state: string): PaymentStatusView['phase'] => (PENDING.has(state) ? 'pending' : FAILED.has(state) ? 'failed' : 'succeeded');

const chargeView = (c: Charge): PaymentStatusView => ({
  id: c.chargeId, state: c.statusDetails.state, phase: phaseOf(c.statusDetails.state), reasonCode: c.statusDetails.reasonCode,
  changedAt: fromAmazonTimestamp(c.statusDetails.lastUpdatedTimestamp), amountJpy: Number(c.captureAmount?.amount ?? c.chargeAmount.amount),
});
const refundView = (r: Refund): PaymentStatusView => ({
  id: r.refundId, state: r.statusDetails.state, phase: phaseOf(r.statusDetails.state), reasonCode: r.statusDetails.reasonCode,
  changedAt: fromAmazonTimestamp(r.statusDetails.lastUpdatedTimestamp), amountJpy: Number(r.refundAmount.amount),
});

/** What was captured and not yet refunded (refunds Amazon has not finished are not in refundedAmount yet). */
const netCaptured = (c: Charge): number => Number(c.captureAmount?.amount ?? c.chargeAmount.amount) - Number(c.refundedAmount?.amount ?? 0);

/** Amazon's refusals in the operator's words; transport trouble (timeouts, 5xx, 429) is retried as it is. */
async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AmazonPayApiError && !err.retryable) throw refused(`Amazon Pay ${what} failed: ${err.reasonCode} ${err.message}`);
    throw err;
  }
}

/**
 * Amazon Pay v2 (docs/providers/amazon-pay.md): one charge per order (a recurring child's own charge; its parent's
 * ChargePermission is never touched here). Every call that moves money carries the process's idempotency key.
 */
export function amazonPayProvider(deps: AmazonPayProviderDeps): PaymentProvider {
  return {
    id: 'amazon-pay',
    refOf: (p) => p.amazonPayChargeId ?? p.providerRef,

    /** Already Canceled is success; Declined took no money; Captured cannot be canceled: the process refunds it. */
    async cancel(shopId, chargeId) {
      const client = await deps.client(shopId);
      const settled = async () => {
        const charge = await client.getCharge(chargeId);
        const state = charge.statusDetails.state;
        if (state === 'Canceled') return { outcome: 'already-canceled' as const, detail: state };
        if (state === 'Declined') return { outcome: 'not-charged' as const, detail: state };
        if (state === 'Captured') return { outcome: 'captured' as const, detail: state, capturedJpy: netCaptured(charge) };
        return undefined;
      };
      try {
        const done = await settled();
        if (done) return done;
        const charge = await client.cancelCharge(chargeId, { cancellationReason: 'order canceled' });
        await markChildChargeCanceled(deps.db, shopId, chargeId, 'order canceled'); // a recurring child's row, if it is one
        return { outcome: 'canceled', detail: charge.statusDetails.state };
      } catch (err) {
        if (!(err instanceof AmazonPayApiError) || err.retryable) throw err;
        const done = await settled().catch(() => undefined); // canceled (or captured) in between
        if (done) return done;
        throw refused(`Amazon Pay cancelCharge failed: ${err.reasonCode} ${err.message}`);
      }
    },

    /** A full refund is what was captured less what was refunded; Amazon answers RefundInitiated, then Refunded. */
    async refund(shopId, chargeId, o) {
      const client = await deps.client(shopId);
      const charge = await call('getCharge', () => client.getCharge(chargeId));
      const amount = o.amountJpy ?? netCaptured(charge);
      if (amount <= 0) throw refused(`Amazon Pay: nothing is left to refund on the charge ${chargeId}`);
      return refundView(await call('createRefund', () => client.createRefund({ chargeId, refundAmount: jpy(amount) }, amazonIdempotencyKey(o.idempotencyKey))));
    },

    /** Captured now, or CaptureInitiated (followed with readStatus); already captured is success. */
    async capture(shopId, chargeId, o) {
      const client = await deps.client(shopId);
      const charge = await call('getCharge', () => client.getCharge(chargeId));
      const state = charge.statusDetails.state;
      if (state === 'Captured' || state === 'CaptureInitiated') return chargeView(charge);
      if (state !== 'Authorized') throw refused(`Amazon Pay: the charge ${chargeId} is ${state}: it cannot be captured`);
      const amount = o.amountJpy ?? Number(charge.chargeAmount.amount);
      return chargeView(await call('captureCharge', () => client.captureCharge(chargeId, { captureAmount: jpy(amount) }, amazonIdempotencyKey(o.idempotencyKey))));
    },

    /**
     * Amazon Pay's rules for an amount change: an Authorized charge may be captured for less later (nothing to send
     * now), never for more; a Captured one gets the difference refunded; anything more needs a new authorization.
     */
    async changeAmount(shopId, chargeId, o) {
      const client = await deps.client(shopId);
      const charge = await call('getCharge', () => client.getCharge(chargeId));
      const state = charge.statusDetails.state;
      const authorized = Number(charge.chargeAmount.amount);
      if (state === 'Authorized') {
        if (o.amountJpy > authorized) throw refused(`Amazon Pay captures at most the ¥${authorized} authorized: ¥${o.amountJpy} needs a new authorization`);
        return { outcome: 'capture-less', detail: `capture ¥${o.amountJpy} of the ¥${authorized} authorized` };
      }
      if (state === 'Captured') {
        // a refund still RefundInitiated is not in refundedAmount yet: our own record of the last refunded total counts too
        const ours = await lastRefundedTotal(deps.db, shopId, o.orderId);
        const net = Math.min(netCaptured(charge), ours ?? Infinity);
        if (o.amountJpy === net) return { outcome: 'unchanged', detail: `¥${net} captured` };
        if (o.amountJpy > net) throw refused(`Amazon Pay cannot charge more after capture (¥${net} captured): a new charge is needed`);
        const refund = await call('createRefund', () => client.createRefund({ chargeId, refundAmount: jpy(net - o.amountJpy) }, amazonIdempotencyKey(o.idempotencyKey)));
        return { outcome: 'refunded', detail: `¥${net - o.amountJpy} refunded (${refund.refundId})` };
      }
      throw refused(`Amazon Pay: the charge ${chargeId} is ${state}: its amount cannot be changed`);
    },

    async readStatus(shopId, kind, id) {
      const client = await deps.client(shopId);
      return kind === 'refund' ? refundView(await call('getRefund', () => client.getRefund(id))) : chargeView(await call('getCharge', () => client.getCharge(id)));
    },
  };
}
