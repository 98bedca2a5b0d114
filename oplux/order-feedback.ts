import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { EventChange } from '../activities/oplux-review-activities';
import { getOpluxOrder, recordEventChange, type OpluxOrderRow } from '../db/oplux-orders';
import { HttpError } from '../api/http-error';
import { isClosedWorkflowError } from '../api/operator-action';
import { opluxEventUpdateWorkflow, type EventUpdateInput } from '../workflows/oplux-event-update';
import { paymentFeedbackSignal } from '../workflows/oplux-fraud-review-messages';
import {
  FRAUD_STATUS, ORDER_OUT_CONTROL, SETTLE_STATUS_OF, type OrderOutControl, type PaymentOutcome,
} from '../workflows/oplux-review-rules';
import { opluxFraudReviewWorkflowId } from '../workflows/workflow-ids';
import { ORDER_ID, SHOP_ID } from '../workflows/search-attributes';
import type { OpluxReview } from './codes';
import { SETTLE_STATUSES } from './codes';

/**
 * What goes to O-PLUX about an order from outside its review: the operator's changes once the review workflow has
 * ended (black flag, corrected 目視審査), and the payment processes' outcomes (決済ステータス, cancellation). While the
 * review runs, it sends them itself; afterwards a short opluxEventUpdateWorkflow does. The payment processes call
 * one function here and know nothing else of O-PLUX.
 */
export interface FeedbackDeps {
  db: Pool;
  temporal?: { client: Client; taskQueue: string };
}

export const opluxEventUpdateWorkflowId = (shopId: string, orderId: string, key: string): string => `oplux-event-update:${shopId}:${orderId}:${key}`;

/** Why a change to an order whose review has ended is refused, or undefined. */
export function closedChangeRefusal(row: OpluxOrderRow, change: EventChange): string | undefined {
  if (!row.eventId) return `the order has no O-PLUX event (status ${row.status})`;
  if (change.kind !== 'manual') return undefined;
  if (row.status === FRAUD_STATUS.canceled) return 'the order was canceled: its fraud review has ended';
  if (!row.manualResult) return `no manual review is awaited: the order's fraud review is ${row.status}; only NG, HOLD and REVIEW orders (目視審査待ち, 目視審査HOLD) take one`;
  return undefined;
}

/** Starts the short workflow that sends one change to an ended review's event; the same key starts it once. */
async function startEventUpdate(t: NonNullable<FeedbackDeps['temporal']>, row: OpluxOrderRow, change: EventChange, key: string): Promise<string> {
  const workflowId = opluxEventUpdateWorkflowId(row.shopId, row.orderId, key);
  const input: EventUpdateInput = {
    shopId: row.shopId, orderId: row.orderId, eventId: row.eventId!, change, reviewResult: row.reviewResult as OpluxReview,
    orderOutControl: (row.orderOutControl ?? ORDER_OUT_CONTROL.none) as OrderOutControl,
  };
  try {
    await t.client.workflow.start(opluxEventUpdateWorkflow, {
      workflowId, taskQueue: t.taskQueue, args: [input], typedSearchAttributes: [{ key: SHOP_ID, value: row.shopId }, { key: ORDER_ID, value: row.orderId }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a retried call: started once
  }
  return workflowId;
}

/**
 * An operator's change to the order's event: the running review takes it (and judges it); once the review has
 * ended, it is checked here and sent by a short workflow. The answer says which.
 */
export async function operatorChange<T>(
  r: { deps: { db: Pool; temporal: Client; taskQueue: string }; shopId: string; orderId: string; updateId?: string },
  toRunningReview: () => Promise<T>, change: EventChange,
): Promise<T | { accepted: true; status: string; reviewEnded: true; workflowId: string }> {
  try {
    return await toRunningReview();
  } catch (err) {
    if (!isClosedWorkflowError(err)) throw err;
  }
  const row = await getOpluxOrder(r.deps.db, r.shopId, r.orderId);
  if (!row) throw new HttpError(404, `unknown order ${r.orderId}`);
  const refusal = closedChangeRefusal(row, change);
  if (refusal) throw new HttpError(409, refusal, { status: row.status });
  const workflowId = await startEventUpdate({ client: r.deps.temporal, taskQueue: r.deps.taskQueue }, row, change, r.updateId ?? randomUUID());
  return { accepted: true, status: row.status, reviewEnded: true, workflowId };
}

/** Amazon Pay charge states renkei records, as O-PLUX settle outcomes (others, e.g. Declined, are not sent). */
const CHARGE_OUTCOME: Record<string, PaymentOutcome> = { Authorized: 'authorized', Captured: 'captured', Canceled: 'canceled', Refunded: 'refunded' };

/** A payment process recorded a charge state: O-PLUX's 決済ステータス follows (a charge canceled is not the order canceled). */
export async function tellOpluxOfCharge(deps: FeedbackDeps, shopId: string, orderId: string, chargeState: string): Promise<void> {
  const outcome = CHARGE_OUTCOME[chargeState];
  if (outcome) await tellOplux(deps, shopId, orderId, outcome, false);
}

/** The cancellation process canceled the order: O-PLUX is told (settle.status 99) and the order's review ends. */
export async function tellOpluxOfCancel(deps: FeedbackDeps, shopId: string, orderId: string): Promise<void> {
  await tellOplux(deps, shopId, orderId, 'canceled', true);
}

async function tellOplux(deps: FeedbackDeps, shopId: string, orderId: string, outcome: PaymentOutcome, canceled: boolean): Promise<void> {
  const row = await getOpluxOrder(deps.db, shopId, orderId);
  if (!row || !deps.temporal || row.status === FRAUD_STATUS.canceled || row.status === FRAUD_STATUS.notTarget) return; // not reviewed, or ended
  const settleStatus = SETTLE_STATUS_OF[outcome];
  try {
    await deps.temporal.client.workflow.getHandle(opluxFraudReviewWorkflowId(shopId, orderId)).signal(paymentFeedbackSignal, { settleStatus, canceled });
    return;
  } catch (err) {
    if (!isClosedWorkflowError(err)) throw err;
  }
  if (row.eventId) {
    // one per outcome: a retried payment activity starts it once
    await startEventUpdate(deps.temporal, row, { kind: 'settle', settleStatus, canceled }, `settle-${settleStatus}`);
  } else if (canceled) {
    await recordEventChange(deps.db, { shopId, orderId, processingResult: row.processingResult ?? '審査エラー', errorMessage: row.errorMessage, status: FRAUD_STATUS.canceled, paymentStatus: SETTLE_STATUSES['99'] });
  }
}
