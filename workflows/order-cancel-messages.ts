import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActedBy } from './acted-by';

/**
 * The cancellation saga's vocabulary, shared by the workflow, its activities, the database module and the API.
 * Imports only @temporalio/workflow.
 */

/** Who asked: the shop's admin (受注データ管理) or the buyer (購入履歴). Both start the same saga (#98, #296). */
export const CANCEL_SOURCES = ['shop-admin', 'buyer'] as const;
/** …or renkei itself, when an authorization came back NG and the payment method says 与信NG時自動受注取消 (#187). */
export type CancelSource = (typeof CANCEL_SOURCES)[number] | 'authorization-ng';

/** The order as the shop sees it. */
export type OrderStatus = '受注' | 'キャンセル中' | 'キャンセル';

/**
 * The saga's state: canceling (the order is キャンセル中, the provider is being canceled, or a captured charge
 * refunded) → canceled, or → provider-failed (the order is 受注 again and waits for the operator) → canceled
 * ("cancel locally only", "canceled by hand") | left ("leave it": the order is 受注); or → manual-cancel-needed (the
 * payment method has no settings, so renkei cannot know the provider: the order is 受注 and waits the same way).
 */
export type CancelStatus = 'canceling' | 'provider-failed' | 'manual-cancel-needed' | 'canceled' | 'left';

/** The statuses in which the saga waits for the operator's decision. */
export const AWAITING_DECISION: readonly CancelStatus[] = ['provider-failed', 'manual-cancel-needed'];

/** What happened at the payment provider. */
export type ProviderOutcome =
  | 'canceled' // the provider canceled it now (detail: VOID / RETURN / RETURNX / the charge's state)
  | 'refunded' // the charge was captured: refunded in full and followed until the provider said Refunded
  | 'already-canceled' // canceled before (e.g. in the provider's admin screen): nothing sent
  | 'not-charged' // no money moved (unprocessed trade, declined charge)
  | 'not-linked' // 取消API連携フラグ: 取消連携しない
  | 'manual-cancel-needed' // the flag is on but renkei has no client for this method
  | 'recurring-parent' // a recurring parent: closed only by the merchant's close (#139), nothing canceled here
  | 'failed' // the provider cancel failed: the operator decides
  | 'left-at-provider' // the operator chose "cancel locally only": the provider side is left as it is (flagged)
  | 'canceled-by-hand'; // the operator says the provider side was canceled by hand (in the provider's admin screen)

export type CancelDecision = 'cancel-locally' | 'leave' | 'canceled-by-hand';
export const CANCEL_DECISIONS = ['cancel-locally', 'leave', 'canceled-by-hand'] as const satisfies readonly CancelDecision[];

/** Provider ids of the order's payment: never secrets. */
export interface PaymentRef {
  /** the 決済方法 code the settings are kept under (payment_method_settings) */
  method: string;
  /** GMO-PG OrderID of the trade */
  gmoPgOrderId?: string;
  /** Amazon Pay: the order's charge (a recurring child's own charge) */
  amazonPayChargeId?: string;
  /** Amazon Pay recurring: this order is the parent (定期親受注) or a child (定期子受注) */
  recurringRole?: 'parent' | 'child';
  /** any other provider's id of the payment (its adapter reads it: payments/provider.ts refOf) */
  providerRef?: string;
}

export interface OrderCancelInput {
  shopId: string;
  orderId: string;
  source: CancelSource;
  payment: PaymentRef;
  /** how long the operator has before a reminder mail, and between reminders, in ms (default 1 day) */
  remindAfterMs?: number;
}

export interface OrderCancelState {
  status: CancelStatus;
  orderStatus: OrderStatus;
  providerOutcome: ProviderOutcome | null;
  providerDetail: string | null;
  providerFlagged: boolean;
  reminders: number;
  external: 'not-sent' | 'pending' | 'delivered' | 'failed';
  externalError: string | null;
}

export const orderCancelStateQuery = defineQuery<OrderCancelState>('orderCancelState');

/**
 * The operator's choice after a failed provider cancel (#696, #1334) or when a manual cancel is needed; refused with
 * a reason when none is awaited.
 */
export const decideProviderFailureUpdate = defineUpdate<OrderCancelState, [CancelDecision, ActedBy?]>('decideProviderFailure');

/** Where the cancel's order data OUT row stands; `heldBy` names an earlier failed row of the order that holds it back. */
export interface OutboxProgress {
  status: 'pending' | 'delivered' | 'failed';
  lastError: string | null;
  heldBy: string | null;
}

/**
 * From the order's delivery (order-out/tell-watcher.ts): the row the saga watches was delivered or has failed, so the
 * saga records the outcome now rather than at its next poll.
 */
export const outboxSettledSignal = defineSignal<[OutboxProgress & { outboxId: string }]>('outboxSettled');
