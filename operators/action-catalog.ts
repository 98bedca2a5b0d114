import { z } from 'zod';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { getAuPayOrder } from '../db/au-pay-orders';
import { getOpluxOrder } from '../db/oplux-orders';
import { getWindow } from '../db/yahoo-orders';
import { getCancelRecord } from '../db/order-cancel';
import { getRecurringParent } from '../db/amazon-pay-recurring';
import { orderOutStatusOf, reopenFailedOfOrder } from '../db/order-out';
import { resetLinkStatusUpdate } from '../workflows/au-pay-shipment-messages';
import { relinkUpdate, setBlackFlagUpdate, submitManualReviewUpdate } from '../workflows/oplux-fraud-review-messages';
import { windowDecisionUpdate } from '../workflows/yahoo-pay-method-window-messages';
import { decideProviderFailureUpdate } from '../workflows/order-cancel-messages';
import {
  cancelChildUpdate, changePlanUpdate, childShippedUpdate, closeParentUpdate, skipNextChildUpdate,
} from '../workflows/amazon-pay-recurring-messages';
import { orderOutDeliveryWorkflow } from '../workflows/order-out-delivery';
import { outboxWrittenSignal } from '../workflows/order-out-messages';
import { orderOutStartAttributes } from '../order-out/start-attributes';
import {
  amazonPayRecurringWorkflowId, auPayShipmentWorkflowId, opluxFraudReviewWorkflowId, orderCancelWorkflowId,
  orderOutDeliveryWorkflowId, yahooPayMethodWindowWorkflowId,
} from '../workflows/workflow-ids';
import type { ActedBy } from '../workflows/acted-by';
import { resetBody } from '../api/au-pay/schemas';
import { blackFlagBody, manualReviewBody } from '../api/oplux/schemas';
import { operatorChange } from '../oplux/order-feedback';
import { decisionBody as yahooDecisionBody } from '../api/yahoo/schemas';
import { decisionBody as cancelDecisionBody } from '../api/cancel/schemas';
import { closeBody, planChangeBody } from '../api/amazon-pay/schemas';
import { HttpError } from '../api/http-error';

export interface ActionDeps {
  temporal: Client;
  db: Pool;
  taskQueue: string;
}

/** What an action's run gets: the order's workflow, the checked arguments, who acts, and the update's id. */
export interface ActionRun<A> {
  handle: WorkflowHandle;
  args: A;
  by: ActedBy;
  /** Given by a bulk action: the same id again is the same update, so a retried step acts once. */
  updateId?: string;
  deps: ActionDeps;
  shopId: string;
  orderId: string;
}

export interface OperatorActionDef<A = unknown> {
  /** The process whose order it acts on, as the attention list and the audit name it. */
  process: string;
  /** How answers name the order: "order OMS-1". */
  what(orderId: string): string;
  args: z.ZodType<A>;
  workflowId(shopId: string, orderId: string): string;
  /** The order's status as stored; undefined when renkei never saw the order (the only 404). */
  readStatus(db: Pool, shopId: string, orderId: string): Promise<string | undefined>;
  run(r: ActionRun<A>): Promise<unknown>;
}

const define = <A>(d: OperatorActionDef<A>): OperatorActionDef<A> => d;
const noArgs = z.object({}).strict();
const cycleArgs = z.object({ cycle: z.coerce.number().int().min(1) });
const opts = (r: { updateId?: string }) => (r.updateId ? { updateId: r.updateId } : {});

const auPay = { process: 'au-pay', what: (o: string) => `order ${o}`, workflowId: auPayShipmentWorkflowId, readStatus: async (db: Pool, s: string, o: string) => (await getAuPayOrder(db, s, o))?.linkStatus };
const oplux = { process: 'oplux', what: (o: string) => `order ${o}`, workflowId: opluxFraudReviewWorkflowId, readStatus: async (db: Pool, s: string, o: string) => (await getOpluxOrder(db, s, o))?.status };
const recurring = {
  process: 'amazon-pay-recurring', what: (o: string) => `recurring parent ${o}`, workflowId: amazonPayRecurringWorkflowId,
  readStatus: async (db: Pool, s: string, o: string) => (await getRecurringParent(db, s, o))?.status,
};

/**
 * Every operator action by name: the one list the single-order routes, the bulk actions and the attention list's
 * "actions allowed now" share. Each runs as a Temporal update the order's workflow validates (its refusal is the
 * workflow's own words), with who acted as the update's last argument.
 */
export const OPERATOR_ACTIONS = {
  // seed 004 section 6: an operator resets an au PAY API連携ステータス after an error (e.g. an expired API key)
  // (or marks an order at 空欄 completed before automation, when the operator says so: completedBeforeAutomation)
  'au-pay.link-status': define({
    ...auPay, args: resetBody,
    run: (r) => r.handle.executeUpdate(resetLinkStatusUpdate, {
      args: r.args.completedBeforeAutomation ? [r.args.status, r.by, { completedBeforeAutomation: true }] : [r.args.status, r.by], ...opts(r),
    }),
  }),
  // once the review has ended, a black flag or a corrected 目視審査 still reaches O-PLUX (oplux/order-feedback.ts)
  'oplux.manual-review': define({ ...oplux, args: manualReviewBody, run: (r) => operatorChange(r, () => r.handle.executeUpdate(submitManualReviewUpdate, { args: [r.args, r.by], ...opts(r) }), { kind: 'manual', ...r.args }) }),
  'oplux.black-flag': define({ ...oplux, args: blackFlagBody, run: (r) => operatorChange(r, () => r.handle.executeUpdate(setBlackFlagUpdate, { args: [r.args, r.by], ...opts(r) }), { kind: 'black', ...r.args }) }),
  'oplux.relink': define({ ...oplux, args: noArgs, run: (r) => r.handle.executeUpdate(relinkUpdate, { args: [r.by], ...opts(r) }) }),
  'yahoo.decision': define({
    process: 'yahoo', what: (o) => `order ${o}: no payment-method-change window`, workflowId: yahooPayMethodWindowWorkflowId,
    readStatus: async (db, s, o) => (await getWindow(db, s, o))?.windowStatus,
    args: yahooDecisionBody,
    // Yahoo's OperationUser: the name the operator gave, else their own
    run: (r) => r.handle.executeUpdate(windowDecisionUpdate, { args: [{ decision: r.args.decision, operator: r.args.operator ?? r.by.operator }, r.by], ...opts(r) }),
  }),
  'cancel.decision': define({
    process: 'cancel', what: (o) => `cancel for order ${o}`, workflowId: orderCancelWorkflowId,
    readStatus: async (db, s, o) => (await getCancelRecord(db, s, o))?.status,
    args: cancelDecisionBody,
    run: (r) => r.handle.executeUpdate(decideProviderFailureUpdate, { args: [r.args.choice, r.by], ...opts(r) }),
  }),
  'order-out.redeliver': define({
    process: 'order-out', what: (o) => `order ${o}: no order data OUT`, workflowId: orderOutDeliveryWorkflowId,
    readStatus: (db, s, o) => orderOutStatusOf(db, s, o),
    args: noArgs,
    // not an update: the failed rows go back to pending and the order's delivery workflow is woken (or started)
    run: async (r) => {
      const reopened = await reopenFailedOfOrder(r.deps.db, r.shopId, r.orderId);
      if (reopened.length === 0) throw new HttpError(409, `order ${r.orderId} has no failed delivery: only a failed delivery is redelivered`);
      await r.deps.temporal.workflow.signalWithStart(orderOutDeliveryWorkflow, {
        workflowId: orderOutDeliveryWorkflowId(r.shopId, r.orderId), taskQueue: r.deps.taskQueue, args: [{ shopId: r.shopId, orderId: r.orderId }],
        signal: outboxWrittenSignal, signalArgs: [], typedSearchAttributes: orderOutStartAttributes(r.shopId, r.orderId),
      });
      return { orderId: r.orderId, redelivered: reopened.map((d) => d.id) };
    },
  }),
  'amazon-pay-recurring.skip-next': define({ ...recurring, args: noArgs, run: (r) => r.handle.executeUpdate(skipNextChildUpdate, { args: [r.by], ...opts(r) }) }),
  'amazon-pay-recurring.plan': define({ ...recurring, args: planChangeBody, run: (r) => r.handle.executeUpdate(changePlanUpdate, { args: [r.args, r.by], ...opts(r) }) }),
  'amazon-pay-recurring.cancel-child': define({ ...recurring, args: cycleArgs, run: (r) => r.handle.executeUpdate(cancelChildUpdate, { args: [r.args.cycle, r.by], ...opts(r) }) }),
  'amazon-pay-recurring.child-shipped': define({ ...recurring, args: cycleArgs, run: (r) => r.handle.executeUpdate(childShippedUpdate, { args: [r.args.cycle, r.by], ...opts(r) }) }),
  'amazon-pay-recurring.close': define({ ...recurring, args: closeBody, run: (r) => r.handle.executeUpdate(closeParentUpdate, { args: [r.args.reason, r.by], ...opts(r) }) }),
};

export type OperatorActionName = keyof typeof OPERATOR_ACTIONS;
export const OPERATOR_ACTION_NAMES = Object.keys(OPERATOR_ACTIONS) as OperatorActionName[];
export const isOperatorAction = (name: string): name is OperatorActionName => Object.hasOwn(OPERATOR_ACTIONS, name);
