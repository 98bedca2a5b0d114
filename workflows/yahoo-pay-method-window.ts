import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, proxyLocalActivities, setHandler, sleep,
  TimeoutFailure, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber as msOf } from '@temporalio/common/lib/time';
import type { YahooWindowActivities } from '../activities/yahoo-window-activities';
import { payMethodChangeDeadline } from '../yahoo/pay-method-change';
import { orderSeenSignal, windowDecisionUpdate, windowStateQuery, type DecisionInput, type OrderSighting } from './yahoo-pay-method-window-messages';
import { actedBy, type ActedBy } from './acted-by';
import { patchGate } from './patch-gate';
import { orderAttributes } from './order-status-attributes';
import {
  DEADLINE_DECISIONS, decisionRefusal, LINK_ERROR_DECISIONS, releaseAfterChange, WINDOW_STATUS, windowOutcome,
  type PendingDecision, type WindowDecision, type WindowOrderView, type WindowStatus,
} from './yahoo-window-status';
import { localIo, localStep, marketplaceApi } from './retry-policies';
import { ORDER_ID, PAY_METHOD_CHANGE_DEADLINE, SHOP_ID, YAHOO_WINDOW_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const market = proxyActivities<YahooWindowActivities>(marketplaceApi);
const local = proxyActivities<YahooWindowActivities>(localIo);
const here = proxyLocalActivities<YahooWindowActivities>(localStep);

export interface WindowInput {
  shopId: string;
  orderId: string;
  /** PayMethodChangeDeadline from orderList, as an instant; orderInfo's value, read at start, wins */
  deadline?: string | null;
  /** when the authorization failed, if the caller knows: the local fallback's basis (else the workflow's start) */
  authErrorAt?: string;
  /** what the sweep saw when it started this workflow */
  sighting?: OrderSighting;
}

export interface WindowOptions {
  /** how often the workflow reads the order itself, in case a sweep is lost */
  checkEvery?: Duration;
}

export interface WindowResult {
  status: WindowStatus;
  deadline: string;
  deadlineSource: 'api' | 'local';
  /** when the deadline timer fired (workflow time), if the window ran out */
  deadlineReachedAt: string | null;
  decision: WindowDecision | null;
}

/**
 * Yahoo!ショッピング オーソリエラー注文の再決済 (seed 002), one per order: the buyer has until PayMethodChangeDeadline
 * (「翌日から7日後の23:59」; the API's value, local computation only as a fallback) to change the payment method.
 * The workflow waits for the deadline while watching the order (sweep signals and its own orderInfo checks):
 * a change releases the order for shipping and writes an order data OUT event; a cancel ends it; at the deadline the
 * shop's setting cancels the order at Yahoo or hands it to an operator, who decides through an update.
 */
export async function yahooPayMethodWindowWorkflow(input: WindowInput, options: WindowOptions = {}): Promise<WindowResult> {
  const { workflowId, startTime } = workflowInfo();
  const order = { shopId: input.shopId, orderId: input.orderId };
  const checkEveryMs = msOf(options.checkEvery ?? '6 hours');
  const step = (name: string) => stepKey(workflowId, name, 0);

  let status: WindowStatus = WINDOW_STATUS.waiting;
  let view: WindowOrderView | undefined;
  let deadline: string;
  let deadlineSource: 'api' | 'local';
  let deadlineReachedAt: string | null = null;
  let lastError: string | null = null;
  let pending: PendingDecision | undefined;
  let decided: DecisionInput | undefined;
  let finalDecision: WindowDecision | null = null;
  let wake = false;
  let checks = 0;
  let sightings = 0;
  // The current patch (patch-gate.ts): the window's records and settings read run as local activities (in the workflow
  // task: no round trip through the server each), and the Web UI's attributes are sent only when they changed (the
  // sweep's start already set them, and a read's deadline is mostly the sighting's instant).
  const { current: lean, since } = patchGate('yahoo-window-lean');
  const showChanged = orderAttributes(() => true, order);
  const db = lean ? here : local;

  setHandler(orderSeenSignal, (s) => {
    sightings += 1;
    if (s.deadline && deadlineSource === 'local' && adoptDeadline(s.deadline)) wake = true; // the timer is recomputed
    // an order still in its window is no news; SettleStatus 3 or the flag gone off is: read it
    if (!(s.settleStatus === '10' && s.changePossible)) wake = true;
  });
  setHandler(windowStateQuery, () => ({ status, deadline, deadlineSource, pending: pending ?? null, lastError, checks, sightings }));
  setHandler(
    windowDecisionUpdate,
    (d, by?: ActedBy) => {
      actedBy(`decision ${d.decision}`, by);
      decided = d;
      pending = undefined;
      return { previous: status, decision: d.decision };
    },
    {
      validator: (d, _by?: ActedBy) => {
        const why = decided ? `a decision (${decided.decision}) is already being applied` : decisionRefusal(pending, status, d.decision);
        if (why) throw new Error(why);
      },
    },
  );

  /**
   * A sighting that arrives while an activity runs (the opening write, a read) wakes the next wait: it is cleared when
   * a wait ends, not when one begins. Runs started before kept the old order, where such a sighting waited for the
   * next check.
   */
  function keepsWake(): boolean {
    return since('yahoo-window-wake-kept');
  }

  /** Whether the deadline changed. A read's adoption needs no wake: every wait recomputes its timer from `deadline`. */
  function adoptDeadline(apiValue: string): boolean {
    if (apiValue === deadline && deadlineSource === 'api') return false;
    deadline = apiValue;
    deadlineSource = 'api';
    show();
    return true;
  }

  /**
   * The Web UI lists windows by status and deadline. Since yahoo-window-lean only what changed is sent (orderAttributes
   * compares with what the workflow has); windows opened before send every time, as they did.
   */
  function show() {
    const pairs = [{ key: YAHOO_WINDOW_STATUS, value: status }, { key: PAY_METHOD_CHANGE_DEADLINE, value: new Date(deadline) }];
    if (lean) showChanged(pairs);
    else upsertSearchAttributes([{ key: SHOP_ID, value: order.shopId }, { key: ORDER_ID, value: order.orderId }, ...pairs]);
  }

  /** Persists a status with the order's values (and the order data OUT row when asked), then shows it. */
  async function enter(next: WindowStatus, e: { dedupeKey: string; shipStatus?: string; lastError?: string | null; outboxEvent?: string; decidedBy?: string }) {
    await db.recordYahooWindow({
      ...order, windowStatus: next, deadline, deadlineSource, orderStatus: view?.orderStatus ?? null, settleStatus: view?.settleStatus ?? input.sighting?.settleStatus ?? null,
      payMethod: view?.payMethod ?? null, shipStatus: e.shipStatus ?? view?.shipStatus ?? null, payMethodChangeDoneAt: view?.doneAt ?? null,
      decision: finalDecision, decidedBy: e.decidedBy ?? null, lastError: e.lastError ?? null, outboxEvent: e.outboxEvent, dedupeKey: e.dedupeKey,
    });
    status = next;
    lastError = e.lastError ?? null;
    show();
  }

  /** Waits for the operator's decision, still reading the order: a cancel elsewhere ends the wait. */
  async function ask(p: PendingDecision): Promise<DecisionInput | 'canceled'> {
    if (!decided) pending = p;
    while (!decided) {
      if (!keepsWake()) wake = false;
      // daily at most: an operator may take weeks, and each check adds to the history
      await condition(() => decided !== undefined || wake, Math.max(checkEveryMs, 86_400_000));
      wake = false;
      if (decided) break;
      view = (await readQuietly()) ?? view;
      if (view && windowOutcome(view) === 'canceled') {
        pending = undefined;
        return 'canceled';
      }
    }
    const d = decided!;
    decided = undefined;
    finalDecision = d.decision;
    return d;
  }

  /** A Yahoo update; when it fails for good: 連携エラー, a mail, and the operator retries or keeps the order. */
  async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | 'kept' | 'canceled'> {
    for (let cycle = 0; ; cycle++) {
      try {
        return await run();
      } catch (err) {
        const message = failureMessage(err);
        const before = status;
        const asked: PendingDecision = { kind: 'linkError', options: LINK_ERROR_DECISIONS };
        pending = asked; // open to a decision as soon as the status shows
        await enter(WINDOW_STATUS.linkError, { lastError: message, dedupeKey: step(`${name}-error-${cycle}`) });
        await local.sendYahooLinkErrorMail({ ...order, step: name, message });
        const d = await ask(asked);
        if (d === 'canceled') return 'canceled';
        if (d.decision === 'keep') {
          await enter(WINDOW_STATUS.operatorKept, { decidedBy: d.operator, outboxEvent: 'yahoo.window-closed', dedupeKey: step('kept') });
          return 'kept';
        }
        await enter(before, { decidedBy: d.operator, dedupeKey: step(`${name}-retry-${cycle}`) });
      }
    }
  }

  async function readQuietly(): Promise<WindowOrderView | undefined> {
    try {
      checks += 1;
      const v = await market.yahooReadOrder(order);
      lastError = null;
      if (v.deadline) adoptDeadline(v.deadline);
      return v;
    } catch (err) {
      lastError = failureMessage(err); // the next check tries again; the deadline read does not give up quietly
      return undefined;
    }
  }

  async function changed() {
    const v = view!;
    if (releaseAfterChange(v) === 'awaitPayment') {
      await enter(WINDOW_STATUS.changedAwaitingPayment, { outboxEvent: 'yahoo.pay-method-changed', dedupeKey: step('changed') });
      return;
    }
    // 出荷不可 → 出荷可; an order already 出荷可 or further along is left as it is
    if (v.shipStatus === '0' || v.shipStatus === null) {
      const r = await attempt('orderShipStatusChange', () => market.yahooReleaseForShipping(order));
      if (r === 'kept') return;
      if (r === 'canceled') return canceled();
    }
    await enter(WINDOW_STATUS.changedReleased, { shipStatus: v.shipStatus === '0' || v.shipStatus === null ? '1' : v.shipStatus, outboxEvent: 'yahoo.pay-method-changed', dedupeKey: step('changed') });
  }

  async function canceled() {
    await enter(WINDOW_STATUS.canceled, { outboxEvent: 'yahoo.order-canceled', dedupeKey: step('canceled') });
  }

  async function cancelAtYahoo(decidedBy?: string) {
    const r = await attempt('orderStatusChange', () => market.yahooCancelOrder(order));
    if (r === 'kept') return;
    if (r !== 'canceled' && r.accepted === 'async') {
      // od91704: accepted asynchronously, read until it shows (spec D)
      for (let i = 0; i < 10 && view?.orderStatus !== '4'; i++) {
        await sleep('1 minute');
        view = (await readQuietly()) ?? view;
      }
    }
    if (view) view = { ...view, orderStatus: '4', changePossible: false };
    await enter(WINDOW_STATUS.expiredCanceled, { decidedBy, outboxEvent: 'yahoo.order-canceled', dedupeKey: step('expired-canceled') });
  }

  // ---- the window ----
  // A sweep's sighting of an open window is as good as a read; a start without one (or without a deadline) reads.
  const seenOpen = input.sighting?.recipe === 1 && input.sighting.settleStatus === '10' && input.sighting.changePossible && !!input.sighting.deadline;
  if (!seenOpen) view = await readQuietly();
  const apiDeadline = view?.deadline ?? input.deadline ?? input.sighting?.deadline ?? null;
  if (apiDeadline) {
    deadline = apiDeadline;
    deadlineSource = 'api';
  } else {
    deadline = payMethodChangeDeadline(new Date(input.authErrorAt ?? startTime)).toISOString();
    deadlineSource = 'local';
  }
  await enter(WINDOW_STATUS.waiting, { dedupeKey: step('opened') });

  // 23:59:59 is still inside the window: the timer fires at the next second
  const closesAt = () => Date.parse(deadline) + 1000;
  // Windows opened by one sweep must not check all at once (Yahoo's 10 calls/s): the first check comes at a
  // point of the interval fixed by the order's id, then every interval.
  let nextCheck = Date.now() + Math.max(1000, Math.floor(checkEveryMs * phaseOf(workflowId)));
  while (!view || windowOutcome(view) === 'open') {
    const left = closesAt() - Date.now();
    if (left <= 0) break;
    if (!keepsWake()) wake = false;
    await condition(() => wake, Math.max(1, Math.min(nextCheck - Date.now(), left)));
    wake = false;
    if (Date.now() >= nextCheck) nextCheck = Date.now() + checkEveryMs;
    view = (await readQuietly()) ?? view;
  }

  if (!view || windowOutcome(view) === 'open') {
    deadlineReachedAt = new Date(Date.now()).toISOString();
    // the last word on the order: read it now (a change at 23:59:58 counts), failing loudly
    const read = await attempt('orderInfo', () => market.yahooReadOrder(order));
    if (read === 'kept') return finish();
    if (read !== 'canceled') view = read;
  }

  switch (view && windowOutcome(view)) {
    case 'changed':
      await changed();
      break;
    case 'canceled':
      await canceled();
      break;
    default: {
      const settings = await db.yahooWindowSettings(order);
      if (settings.deadlineAction === 'cancel') {
        await cancelAtYahoo();
        break;
      }
      const asked: PendingDecision = { kind: 'deadline', options: DEADLINE_DECISIONS };
      pending = asked; // open to a decision as soon as the status shows
      await enter(WINDOW_STATUS.expiredAwaitingOperator, { dedupeKey: step('expired') });
      await local.sendYahooDeadlineMail({ ...order, deadline, payMethod: view?.payMethod ?? null });
      const d = await ask(asked);
      if (d === 'canceled') await canceled();
      else if (d.decision === 'cancel') await cancelAtYahoo(d.operator);
      else await enter(WINDOW_STATUS.operatorKept, { decidedBy: d.operator, outboxEvent: 'yahoo.window-closed', dedupeKey: step('kept') });
    }
  }
  return finish();

  async function finish(): Promise<WindowResult> {
    await condition(allHandlersFinished);
    return { status, deadline, deadlineSource, deadlineReachedAt, decision: finalDecision };
  }
}

/** A fraction in [0, 1) fixed by the text (FNV-1a): deterministic, spread evenly over order ids. */
function phaseOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

/** The reason shown to the operator: Yahoo's own words, or that Yahoo did not answer in time. */
function failureMessage(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return 'Yahoo!ショッピングから応答がありませんでした (timeout)';
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause?.message ?? err.message;
}
