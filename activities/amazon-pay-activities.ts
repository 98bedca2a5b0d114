import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { AmazonPayClient } from '../amazon-pay/client-types';
import { AmazonPayApiError } from '../amazon-pay/errors';
import { amazonIdempotencyKey } from '../amazon-pay/idempotency-key';
import { jpy, type Charge } from '../amazon-pay/schemas';
import { fromAmazonTimestamp } from '../amazon-pay/timestamps';
import { isCanceledByRenkei, recordChargeState, type ChargeStateRecorded, type ChargeStateUpdate } from '../db/amazon-pay-charge-states';
import { applyPaymentUpdate, listUnreportedReviewResults, markReviewResultsReported, type PaymentUpdate } from '../db/amazon-pay-orders';
import { authorizationFailureMail, reviewReportMail } from '../mail/amazon-pay-mails';
import type { Mailer } from '../mail/mailer';
import { tellOpluxOfCharge } from '../oplux/order-feedback';
import { amazonPayAuthorizationWorkflowId } from '../workflows/workflow-ids';
import { failingAs, providerShop, type ShopLookup } from './provider-shop';
import { wakeOrderOutDelivery } from '../order-out/wake-delivery';
import { statusChanged } from '../metrics/business-events';

export interface AmazonPayShop {
  client: AmazonPayClient;
  /** the configured shop's SHOP_NOTIFY_EMAIL; any other shop's mails go to the addresses its record keeps */
  notifyEmail?: string;
}

export interface AmazonPayActivityDeps {
  db: Pool;
  mailer: Mailer;
  /** The shop's Amazon Pay client, built by the worker from its account; undefined when the shop has none. */
  amazonPayShop: ShopLookup<AmazonPayShop>;
  /** to wake the order's order data OUT delivery at once; absent, the dispatcher wakes it on its next poll */
  temporal?: { client: Client; taskQueue: string };
}

/** What the workflow needs of a charge: plain data, no secrets. */
export interface ChargeView {
  chargeId: string | null;
  state: string;
  reasonCode: string | null;
  /** ISO instant of the last state change */
  changedAt: string | null;
}

/** Decline reason codes Amazon answers on a synchronous createCharge: a result, not a failure (§5). */
const DECLINES = new Set(['SoftDeclined', 'HardDeclined', 'AmazonRejected', 'TransactionTimedOut', 'PaymentMethodNotAllowed', 'MFANotCompleted']);

const view = (c: Charge): ChargeView => ({
  chargeId: c.chargeId,
  state: c.statusDetails.state,
  reasonCode: c.statusDetails.reasonCode,
  changedAt: fromAmazonTimestamp(c.statusDetails.lastUpdatedTimestamp),
});

export function createAmazonPayActivities(deps: AmazonPayActivityDeps) {
  const shopOf = providerShop(deps.amazonPayShop, 'Amazon Pay');

  /** Amazon's errors: transport trouble retries (Temporal's policy); anything else stops with Amazon's reason. */
  const call = failingAs(toFailure, 'amazon-pay');

  return {
    /** createCharge with pending authorization allowed; a synchronous decline comes back as a Declined view. */
    async requestAuthorization(i: { shopId: string; orderId: string; chargePermissionId: string; amountJpy: number; idempotencyKey: string }): Promise<ChargeView> {
      const { client } = await shopOf(i.shopId);
      try {
        const charge = await client.createCharge(
          {
            chargePermissionId: i.chargePermissionId, chargeAmount: jpy(i.amountJpy), captureNow: false,
            canHandlePendingAuthorization: true, merchantMetadata: { merchantReferenceId: i.orderId },
          },
          amazonIdempotencyKey(i.idempotencyKey),
        );
        return view(charge);
      } catch (err) {
        if (err instanceof AmazonPayApiError && DECLINES.has(err.reasonCode)) {
          return { chargeId: null, state: 'Declined', reasonCode: err.reasonCode, changedAt: null };
        }
        throw toFailure(err);
      }
    },

    async readCharge(i: { shopId: string; chargeId: string }): Promise<ChargeView> {
      const { client } = await shopOf(i.shopId);
      return view(await call(() => client.getCharge(i.chargeId)));
    },

    async captureCharge(i: { shopId: string; chargeId: string; amountJpy: number; idempotencyKey: string }): Promise<ChargeView> {
      const { client } = await shopOf(i.shopId);
      return view(await call(() => client.captureCharge(i.chargeId, { captureAmount: jpy(i.amountJpy) }, amazonIdempotencyKey(i.idempotencyKey))));
    },

    /** The order's payment fields, its order data OUT row and its review result, in one statement. */
    async recordPayment(u: PaymentUpdate): Promise<void> {
      await applyPaymentUpdate(deps.db, u);
      statusChanged('amazon-pay', u, u.paymentStatus, { creditStatus: u.creditStatus, error: u.lastError ?? undefined });
      await tellOpluxOfCharge(deps, u.shopId, u.orderId, u.creditStatus); // O-PLUX決済ステータス follows
    },

    /** A charge's change after the review and its order data OUT row, in one statement; then the delivery is woken. */
    async recordChargeState(u: ChargeStateUpdate): Promise<ChargeStateRecorded> {
      const recorded = await recordChargeState(deps.db, u);
      // the charge's state after the review (the payment status stays): counted as the credit status it entered
      if (recorded.recorded) statusChanged('amazon-pay', u, `credit:${u.state}`, { reasonCode: u.reasonCode });
      if (recorded.recorded) await tellOpluxOfCharge(deps, u.shopId, u.orderId, u.state); // O-PLUX決済ステータス follows
      if (recorded.recorded) await wakeOrderOutDelivery(deps.temporal, u.shopId, u.orderId);
      return recorded;
    },

    /** Whether the order's review workflow still runs (finishing: recording, capturing on authorization, mailing). */
    async amazonPayReviewRunning(i: { shopId: string; orderId: string }): Promise<boolean> {
      const handle = Context.current().client.workflow.getHandle(amazonPayAuthorizationWorkflowId(i.shopId, i.orderId));
      try {
        return (await handle.describe()).status.name === 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },

    /** A Canceled charge under review: renkei's own cancellation (no "unexpected state" mail), or a cancel from outside. */
    async amazonPayCanceledByRenkei(i: { shopId: string; orderId: string }): Promise<boolean> {
      return isCanceledByRenkei(deps.db, i.shopId, i.orderId);
    },

    async sendAuthorizationFailureMail(i: { shopId: string; orderId: string; reasonCode: string | null; unexpectedState?: string; cancelRequested: boolean }): Promise<void> {
      const { notifyEmail } = await shopOf(i.shopId);
      await deps.mailer.send({ ...authorizationFailureMail(notifyEmail, i), shopId: i.shopId });
    },

    /** The periodic 審査結果取得 report; no mail when there is nothing to report. */
    async sendReviewReport(i: { shopId: string }): Promise<{ ok: number; errors: number }> {
      const { notifyEmail } = await shopOf(i.shopId);
      const results = await listUnreportedReviewResults(deps.db, i.shopId);
      const ok = results.filter((r) => r.outcome === 'OK');
      const errors = results.filter((r) => r.outcome === 'ERROR');
      if (results.length) {
        await deps.mailer.send({ ...reviewReportMail(notifyEmail, ok, errors), shopId: i.shopId });
        await markReviewResultsReported(deps.db, results.map((r) => r.id));
      }
      return { ok: ok.length, errors: errors.length };
    },
  };
}

export type AmazonPayActivities = ReturnType<typeof createAmazonPayActivities>;

function toFailure(err: unknown): unknown {
  if (!(err instanceof AmazonPayApiError)) return err;
  return ApplicationFailure.create({
    message: `${err.reasonCode}: ${err.message}`,
    type: err.retryable ? 'AmazonPayTransient' : `AmazonPay${err.reasonCode}`,
    nonRetryable: !err.retryable,
    details: [{ status: err.status, reasonCode: err.reasonCode, requestId: err.requestId }],
  });
}
