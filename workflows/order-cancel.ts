import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, proxyLocalActivities, setHandler, sleep,
  TimeoutFailure, workflowInfo,
} from '@temporalio/workflow';
import type { OrderCancelActivities, ProviderPlan, ProviderResult } from '../activities/order-cancel-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import {
  AWAITING_DECISION, CANCEL_DECISIONS, decideProviderFailureUpdate, orderCancelStateQuery, outboxSettledSignal, type CancelDecision,
  type CancelStatus, type OrderCancelInput, type OrderCancelState, type OutboxProgress,
} from './order-cancel-messages';
import { actedBy, type ActedBy } from './acted-by';
import { patchGate } from './patch-gate';
import { orderAttributes } from './order-status-attributes';
import { localIo, localStep, paymentApi } from './retry-policies';
import { ORDER_CANCEL_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const provider = proxyActivities<OrderCancelActivities>(paymentApi);
const payments = proxyActivities<PaymentActivities>(paymentApi);
const local = proxyActivities<OrderCancelActivities>(localIo);
/** The saga's own database steps, in the workflow task itself: no round trip through the server for each. */
const here = proxyLocalActivities<OrderCancelActivities>(localStep);

/** How long the saga watches its order data OUT row before it leaves the outcome to the order OUT screens. */
const DAY_MS = 24 * 60 * 60 * 1000;
const WATCH_DELIVERY_MS = DAY_MS;
/** How long a refund is followed before the operator is asked (Amazon Pay refunds usually settle within hours). */
const FOLLOW_REFUND_MS = 3 * DAY_MS;

/**
 * One cancel request of one order (#966, #696, #1334): the order is キャンセル中; the payment provider is canceled
 * first, when the payment method's 取消API連携フラグ says so; if that fails the order stays (受注) and the operator
 * decides — cancel locally only, or leave it — reminded while undecided; then the order is キャンセル and the shop's
 * external system is told through order data OUT, whose outcome is shown on the order (#966 b).
 */
export async function orderCancelWorkflow(input: OrderCancelInput): Promise<OrderCancelState> {
  const { workflowId, runId } = workflowInfo();
  const { since } = patchGate('order-cancel-patches-folded');
  const order = { shopId: input.shopId, orderId: input.orderId };
  const state: OrderCancelState = {
    status: 'canceling', orderStatus: 'キャンセル中', providerOutcome: null, providerDetail: null, providerFlagged: false,
    reminders: 0, external: 'not-sent', externalError: null,
  };
  let decision: CancelDecision | undefined;
  const showAttributes = orderAttributes(() => since('order-cancel-search-attributes'), order);
  /** The Web UI's OrderCancelStatus, once stored (canceling is set at start): one upsert per status change. */
  const show = (status: CancelStatus) => showAttributes([{ key: ORDER_CANCEL_STATUS, value: status }]);

  setHandler(orderCancelStateQuery, () => ({ ...state }));
  const told = new Map<string, OutboxProgress>(); // order data OUT rows' outcomes, as their delivery told them
  setHandler(outboxSettledSignal, ({ outboxId, ...progress }) => void told.set(outboxId, progress));
  setHandler(
    decideProviderFailureUpdate,
    async (choice, by?: ActedBy) => {
      actedBy(`decision ${choice}`, by);
      decision = choice;
      await condition(() => !AWAITING_DECISION.includes(state.status)); // answered once the choice is stored
      return { ...state };
    },
    {
      validator: (choice, _by?: ActedBy) => {
        if (!CANCEL_DECISIONS.includes(choice)) throw new Error(`choice must be one of ${CANCEL_DECISIONS.join(', ')}`);
        if (!AWAITING_DECISION.includes(state.status)) throw new Error(`no decision is awaited: the cancel is ${state.status}`);
        if (decision !== undefined) throw new Error(`"${decision}" has already been chosen`);
      },
    },
  );

  // the database steps (begin, record the provider's answer, complete, record the delivery) run as local activities;
  // runs started before ran them as activities
  const db = since('cancel-local-steps') ? here : local;

  // 1. キャンセル中, and what the provider step must do (from the payment method's settings)
  const begun = await db.cancelBeginOrder({ ...order, source: input.source, payment: input.payment, runId });
  if (begun.alreadyCanceled) { // a repeated request: nothing happens again
    show(begun.current.status);
    return begun.current;
  }

  // 2. the payment provider first (a captured charge is refunded in full)
  let result: ProviderResult | undefined;
  let failure = '';
  let awaiting: 'provider-failed' | 'manual-cancel-needed' = 'provider-failed';
  const { plan } = begun;
  if (plan.kind === 'none') result = plan.result;
  else if (plan.kind === 'manual-cancel-needed') {
    awaiting = 'manual-cancel-needed';
    failure = plan.detail;
  } else if (since('payment-provider-interface')) {
    const done = await cancelAtProvider(input.shopId, plan, stepKey(workflowId, 'refund', begun.cycle), state);
    if ('failure' in done) failure = done.failure;
    else result = done.result;
  } else {
    try {
      result = plan.kind === 'gmo-pg'
        ? await provider.cancelGmoPgTrade({ shopId: input.shopId, gmoPgOrderId: plan.gmoPgOrderId })
        : plan.kind === 'amazon-pay' ? await provider.cancelAmazonPayCharge({ shopId: input.shopId, chargeId: plan.chargeId }) : undefined;
    } catch (err) {
      failure = failureMessage(err);
    }
  }

  if (result) {
    await db.cancelRecordProvider({ ...order, failed: false, result });
    Object.assign(state, { providerOutcome: result.outcome, providerDetail: result.detail, providerFlagged: result.flagged });
  } else {
    // 3. failed, or no settings to cancel with: nothing else happens; the order is 受注 again and the operator decides
    const manual = awaiting === 'manual-cancel-needed';
    const outcome = manual ? 'manual-cancel-needed' : 'failed';
    await db.cancelRecordProvider({ ...order, failed: true, ...(manual ? { awaiting } : {}), result: { outcome, detail: failure, flagged: manual } });
    Object.assign(state, { status: awaiting, orderStatus: '受注', providerOutcome: outcome, providerDetail: failure, providerFlagged: manual });
    show(state.status);
    const mail = { ...order, paymentMethod: input.payment.method, reason: failure };
    await local.cancelMailOperator({ ...mail, reminder: 0, ...(manual ? { manual } : {}) });
    while (!(await condition(() => decision !== undefined, input.remindAfterMs ?? DAY_MS))) {
      state.reminders += 1;
      await local.cancelMailOperator({ ...mail, reminder: state.reminders });
    }
    if (decision === 'leave') {
      await local.cancelLeaveOrder(order);
      Object.assign(state, { status: 'left', orderStatus: '受注' });
      show(state.status);
      await condition(allHandlersFinished);
      return { ...state };
    }
    Object.assign(state, decision === 'canceled-by-hand'
      ? { providerOutcome: 'canceled-by-hand', providerFlagged: false }
      : { providerOutcome: 'left-at-provider', providerFlagged: true });
  }

  // 4. キャンセル, with its order data OUT row in the same statement; then watch the delivery
  const { outboxId } = await db.cancelCompleteOrder({
    ...order, decision: decision ?? null, dedupeKey: stepKey(workflowId, 'order-out', begun.cycle), watchedBy: workflowId,
  });
  Object.assign(state, { status: 'canceled', orderStatus: 'キャンセル', external: 'pending' });
  show(state.status);
  await watchDelivery(outboxId, state, order, () => told.get(outboxId), db, since('cancel-delivery-told'));
  await condition(allHandlersFinished);
  return { ...state };
}

/**
 * Watches the cancel's order data OUT row until it is delivered or failed, and records the outcome on the cancel; a
 * row held behind an earlier failed one is shown as such meanwhile. The delivery tells the outcome (a signal), so the
 * cancel ends as soon as the row does; the polls (a local activity, a durable timer between them) are for the rest:
 * the held display, and a cancel whose delivery ran where it could not tell (before watched rows existed).
 */
async function watchDelivery(
  outboxId: string, state: OrderCancelState, order: { shopId: string; orderId: string }, told: () => OutboxProgress | undefined,
  db: typeof local, listens: boolean, // before 'cancel-delivery-told', the watch only polled, every 30 s
): Promise<void> {
  const started = Date.now();
  let shown: string | null = null;
  for (;;) {
    const p = (listens ? told() : undefined) ?? await here.cancelOutboxProgress({ outboxId });
    if (p.status !== 'pending') {
      Object.assign(state, { external: p.status, externalError: p.status === 'failed' ? `外部連携エラー: ${p.lastError ?? 'unknown'}` : null });
      break;
    }
    const held = p.heldBy ? `外部連携待ち: an earlier order OUT row (${p.heldBy}) of this order failed and holds it back` : null;
    if (held !== shown) {
      shown = held;
      state.externalError = held;
      await db.cancelRecordExternal({ ...order, status: 'pending', error: held });
    }
    const elapsed = Date.now() - started;
    if (elapsed >= WATCH_DELIVERY_MS) return; // still pending: the order OUT screens show it from here
    const poll = elapsed < 30 * 60 * 1000 ? '30 seconds' : '5 minutes';
    if (listens) await condition(() => told() !== undefined, poll);
    else await sleep(poll);
  }
  await db.cancelRecordExternal({ ...order, status: state.external as 'delivered' | 'failed', error: state.externalError });
}

/**
 * The cancel through the payment provider interface. A captured charge cannot be canceled: it is refunded in full
 * (one idempotency key per cycle) and the refund followed with durable timers until the provider says it is done,
 * at most FOLLOW_REFUND_MS; a declined or unfinished refund is a failure the operator decides on.
 */
async function cancelAtProvider(
  shopId: string, plan: Exclude<ProviderPlan, { kind: 'none' | 'manual-cancel-needed' }>, refundKey: string, state: OrderCancelState,
): Promise<{ result: ProviderResult } | { failure: string }> {
  // plans recorded before the payment interface name the provider by their kind
  const target = plan.kind === 'provider' ? plan : plan.kind === 'gmo-pg' ? { provider: 'gmo-pg', ref: plan.gmoPgOrderId } : { provider: 'amazon-pay', ref: plan.chargeId };
  const at = { shopId, provider: target.provider };
  try {
    const canceled = await payments.paymentCancel({ ...at, ref: target.ref });
    if (canceled.outcome !== 'captured') return { result: { outcome: canceled.outcome, detail: canceled.detail, flagged: false } };
    let refund = await payments.paymentRefund({ ...at, ref: target.ref, idempotencyKey: refundKey });
    const started = Date.now();
    for (let polls = 0; refund.phase === 'pending'; polls += 1) {
      state.providerDetail = `${refund.state} ¥${refund.amountJpy ?? '?'} (${refund.id})`;
      if (Date.now() - started >= FOLLOW_REFUND_MS) return { failure: `the refund ${refund.id} is still ${refund.state} after 3 days: check it at the provider` };
      await sleep(polls < 6 ? '10 minutes' : '1 hour');
      refund = await payments.paymentReadStatus({ ...at, kind: 'refund', id: refund.id });
    }
    if (refund.phase === 'failed') return { failure: `the refund ${refund.id} of the captured charge was ${refund.state}${refund.reasonCode ? ` (${refund.reasonCode})` : ''}` };
    return { result: { outcome: 'refunded', detail: `${refund.state} ¥${refund.amountJpy ?? '?'} (${refund.id})`, flagged: false } };
  } catch (err) {
    return { failure: failureMessage(err) };
  }
}

/** The reason the operator reads for a failed provider cancel. */
function failureMessage(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return 'the payment provider did not answer in time';
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause?.message ?? err.message;
}
