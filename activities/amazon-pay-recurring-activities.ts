import { ApplicationFailure } from '@temporalio/activity';
import { AmazonPayApiError } from '../amazon-pay/errors';
import { amazonIdempotencyKey } from '../amazon-pay/idempotency-key';
import { jpy } from '../amazon-pay/schemas';
import { fromAmazonTimestamp } from '../amazon-pay/timestamps';
import { recordRecurringChild, updateRecurringParent, type RecurringChildRow } from '../db/amazon-pay-recurring';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { recurringMail, type RecurringMailKind } from '../mail/amazon-pay-recurring-mails';
import type { AmazonPayActivityDeps } from './amazon-pay-activities';
import { providerShop } from './provider-shop';
import { statusChanged } from '../metrics/business-events';

export type ChildOutcome = 'charged' | 'declined' | 'cap-exceeded' | 'not-chargeable';

export interface ChildResult {
  outcome: ChildOutcome;
  chargeId: string | null;
  state: string | null;
  reasonCode: string | null;
}

const DECLINES = new Set(['SoftDeclined', 'HardDeclined', 'AmazonRejected', 'TransactionTimedOut', 'PaymentMethodNotAllowed', 'ProcessingFailure']);

/** The recurring parent's calls: each child charge, the permission's state, closing, canceling a child, mails. */
export function createAmazonPayRecurringActivities(deps: AmazonPayActivityDeps) {
  const shopOf = providerShop(deps.amazonPayShop, 'Amazon Pay');
  const fail = (err: unknown): unknown =>
    err instanceof AmazonPayApiError
      ? ApplicationFailure.create({ message: `${err.reasonCode}: ${err.message}`, type: `AmazonPay${err.reasonCode}`, nonRetryable: !err.retryable })
      : err;

  /** The child's row and its order data OUT row; the parent's delivery is woken when the row is new. */
  const recordChild = async (shopId: string, parentOrderId: string, child: RecurringChildRow) => {
    if (await recordRecurringChild(deps.db, shopId, parentOrderId, child)) await wakeOrderOutDelivery(deps.temporal, shopId, parentOrderId);
  };

  return {
    /** Charges one child (merchant-initiated recurring) and records it under its cycle number. */
    async chargeRecurringChild(i: {
      shopId: string; parentOrderId: string; cycle: number; scheduledAt: string; chargePermissionId: string;
      amountJpy: number; captureNow: boolean; idempotencyKey: string;
    }): Promise<ChildResult> {
      const { client } = await shopOf(i.shopId);
      let result: ChildResult;
      try {
        const charge = await client.createCharge(
          {
            chargePermissionId: i.chargePermissionId, chargeAmount: jpy(i.amountJpy), captureNow: i.captureNow, chargeInitiator: 'MITR',
            merchantMetadata: { merchantReferenceId: `${i.parentOrderId}-${i.cycle}` },
          },
          amazonIdempotencyKey(i.idempotencyKey),
        );
        result = { outcome: 'charged', chargeId: charge.chargeId, state: charge.statusDetails.state, reasonCode: null };
      } catch (err) {
        if (!(err instanceof AmazonPayApiError) || err.retryable && !DECLINES.has(err.reasonCode)) throw fail(err);
        const outcome: ChildOutcome | undefined =
          err.reasonCode === 'PeriodicAmountExceeded' ? 'cap-exceeded'
            : err.reasonCode === 'InvalidChargePermissionStatus' ? 'not-chargeable'
              : DECLINES.has(err.reasonCode) ? 'declined' : undefined;
        if (!outcome) throw fail(err);
        result = { outcome, chargeId: null, state: null, reasonCode: err.reasonCode };
      }
      await recordChild(i.shopId, i.parentOrderId, {
        cycle: i.cycle, scheduledAt: i.scheduledAt, outcome: result.outcome, amountJpy: i.amountJpy,
        chargeId: result.chargeId, chargeState: result.state, reason: result.reasonCode,
      });
      return result;
    },

    /** A cycle that was not charged (skipped, over the cap, paused), or a child canceled later. */
    async recordRecurringChild(i: { shopId: string; parentOrderId: string; child: RecurringChildRow }): Promise<void> {
      await recordChild(i.shopId, i.parentOrderId, i.child);
    },

    /** Captures an authorized child when it ships, and records the child's new state. */
    async captureRecurringChild(i: {
      shopId: string; parentOrderId: string; cycle: number; scheduledAt: string; chargeId: string; amountJpy: number; idempotencyKey: string;
    }): Promise<string> {
      const { client } = await shopOf(i.shopId);
      let state: string;
      try {
        state = (await client.captureCharge(i.chargeId, { captureAmount: jpy(i.amountJpy) }, amazonIdempotencyKey(i.idempotencyKey))).statusDetails.state;
      } catch (err) {
        throw fail(err);
      }
      await recordChild(i.shopId, i.parentOrderId, {
        cycle: i.cycle, scheduledAt: i.scheduledAt, outcome: 'charged', amountJpy: i.amountJpy, chargeId: i.chargeId, chargeState: state, reason: null,
      });
      return state;
    },

    async readChargePermission(i: { shopId: string; chargePermissionId: string }): Promise<{ state: string; reasonCodes: string[]; expiresAt: string | null }> {
      const { client } = await shopOf(i.shopId);
      try {
        const cp = await client.getChargePermission(i.chargePermissionId);
        return {
          state: cp.statusDetails.state,
          reasonCodes: (cp.statusDetails.reasons ?? []).map((r) => r.reasonCode),
          expiresAt: cp.expirationTimestamp ? fromAmazonTimestamp(cp.expirationTimestamp) : null,
        };
      } catch (err) {
        throw fail(err);
      }
    },

    async closeChargePermission(i: { shopId: string; chargePermissionId: string; reason: string }): Promise<string> {
      const { client } = await shopOf(i.shopId);
      try {
        const cp = await client.closeChargePermission(i.chargePermissionId, { closureReason: i.reason.slice(0, 255), cancelPendingCharges: true });
        return cp.statusDetails.state;
      } catch (err) {
        if (err instanceof AmazonPayApiError && err.reasonCode === 'InvalidChargePermissionStatus') return 'Closed';
        throw fail(err);
      }
    },

    async cancelChildCharge(i: { shopId: string; chargeId: string; reason: string }): Promise<string> {
      const { client } = await shopOf(i.shopId);
      try {
        return (await client.cancelCharge(i.chargeId, { cancellationReason: i.reason.slice(0, 255) })).statusDetails.state;
      } catch (err) {
        throw fail(err);
      }
    },

    async saveRecurringParent(p: Parameters<typeof updateRecurringParent>[1]): Promise<void> {
      await updateRecurringParent(deps.db, p);
      statusChanged('amazon-pay-recurring', { shopId: p.shopId, orderId: p.parentOrderId }, p.status);
    },

    async sendRecurringMail(i: { shopId: string; parentOrderId: string; chargePermissionId: string; kind: RecurringMailKind; detail: string }): Promise<void> {
      const { notifyEmail } = await shopOf(i.shopId);
      await deps.mailer.send({ ...recurringMail(notifyEmail, i.kind, i), shopId: i.shopId });
    },
  };
}

export type AmazonPayRecurringActivities = ReturnType<typeof createAmazonPayRecurringActivities>;
