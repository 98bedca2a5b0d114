import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AmazonPayRecurringActivities } from '../activities/amazon-pay-recurring-activities';
import {
  expiryAfter, expiryWarningAt, jstMonthKey, nextChargeAt, planRefusal, wouldExceedCap, type Plan,
} from './amazon-pay-recurring-plan';
import { actedBy, type ActedBy } from './acted-by';
import { patchGate } from './patch-gate';
import {
  cancelChildUpdate, changePlanUpdate, chargePermissionNotifiedSignal, childShippedUpdate, closeParentUpdate, recurringStateQuery,
  skipNextChildUpdate, type RecurringStatus, type RecurringView,
} from './amazon-pay-recurring-messages';
import { orderAttributes } from './order-status-attributes';
import { localIo, localStep, paymentApi } from './retry-policies';
import { RECURRING_EXPIRES_AT, RECURRING_NEXT_CHARGE_AT, RECURRING_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const amazon = proxyActivities<AmazonPayRecurringActivities>(paymentApi);
const local = proxyActivities<AmazonPayRecurringActivities>(localIo);
const here = proxyLocalActivities<AmazonPayRecurringActivities>(localStep);

export interface RecurringParentInput {
  shopId: string;
  parentOrderId: string;
  chargePermissionId: string;
  plan: Plan;
  /** capture with the charge (true), or authorize now and capture on shipment (false) */
  captureNow: boolean;
  /** mail the shop this many days before the permission expires */
  expiryWarningDays: number;
  /** children per run before continue-as-new keeps the history bounded */
  cyclesPerRun?: number;
  /** carried over by continue-as-new */
  state?: RecurringState;
}

/** Everything the parent knows, in one object so continue-as-new carries it whole. */
export interface RecurringState {
  plan: Plan;
  anchorAt: string;
  nextChargeAt: string;
  cycle: number;
  chargedByMonth: Record<string, number>;
  expiresAt: string;
  warnedFor: string | null;
  status: RecurringStatus;
  skipNext: boolean;
  recentCharges: Array<{ cycle: number; chargeId: string; amountJpy: number; scheduledAt: string }>;
}

const ended = (s: RecurringStatus) => s === 'closed' || s === 'expired' || s === 'buyer-closed';

/**
 * Amazon Pay 定期親受注 (seed 000 #1139): one per Recurring ChargePermission, for years. Children are charged on the
 * plan's schedule within ¥100,000 per JST calendar month; each successful charge pushes the 13-month expiry out;
 * the shop is warned before it passes. BuyerClosed ends the parent; PaymentMethodInvalid pauses it until the
 * permission is Chargeable again.
 */
export async function amazonPayRecurringWorkflow(input: RecurringParentInput): Promise<RecurringView> {
  const { workflowId } = workflowInfo();
  const { since } = patchGate('recurring-patches-folded');
  const nowIso = () => new Date(Date.now()).toISOString();
  const refusal = input.state ? undefined : planRefusal(input.plan);
  if (refusal) throw ApplicationFailure.nonRetryable(`plan refused: ${refusal}`, 'PlanRefused'); // fails the parent at creation

  const s: RecurringState = input.state ?? {
    plan: input.plan, anchorAt: input.plan.firstChargeAt, nextChargeAt: input.plan.firstChargeAt, cycle: 1, chargedByMonth: {},
    expiresAt: expiryAfter(nowIso()), warnedFor: null, status: 'active', skipNext: false, recentCharges: [],
  };
  const runStartCycle = s.cycle;
  // the parent's and its children's rows are saved by local activities (in the workflow task: no round trip through the
  // server each); runs started before saved them with activities
  const db = since('recurring-local-save') ? here : local;
  const ref = { shopId: input.shopId, parentOrderId: input.parentOrderId, chargePermissionId: input.chargePermissionId };
  let pokes = 0;
  let permissionChanged = false;
  let closeReason: string | null = null;

  const view = (): RecurringView => ({
    status: s.status, cycle: s.cycle, nextChargeAt: s.nextChargeAt, chargedThisMonthJpy: s.chargedByMonth[jstMonthKey(nowIso())] ?? 0,
    expiresAt: s.expiresAt, amountJpy: s.plan.amountJpy, interval: s.plan.interval,
  });
  const refuseIfEnded = () => { if (ended(s.status)) throw new Error(`the parent has ended (${s.status})`); };
  const showAttributes = orderAttributes(() => since('amazon-pay-recurring-search-attributes'), { shopId: input.shopId, orderId: input.parentOrderId });
  /** The Web UI's RecurringStatus, RecurringExpiresAt and RecurringNextChargeAt, once stored: one upsert when any changed. */
  const show = () => showAttributes([
    { key: RECURRING_STATUS, value: s.status }, { key: RECURRING_EXPIRES_AT, value: new Date(s.expiresAt) },
    { key: RECURRING_NEXT_CHARGE_AT, value: new Date(s.nextChargeAt) },
  ]);

  setHandler(recurringStateQuery, view);
  setHandler(chargePermissionNotifiedSignal, () => { permissionChanged = true; pokes += 1; });
  setHandler(skipNextChildUpdate, (by?: ActedBy) => { actedBy('skip next child', by); s.skipNext = true; return { skipped: s.nextChargeAt }; }, { validator: (_by?: ActedBy) => refuseIfEnded() });
  setHandler(changePlanUpdate, (change, by?: ActedBy) => {
    actedBy('plan change', by);
    // The new plan starts from the next child, which becomes the schedule's anchor.
    s.plan = { amountJpy: change.amountJpy ?? s.plan.amountJpy, interval: change.interval ?? s.plan.interval, firstChargeAt: s.nextChargeAt };
    s.anchorAt = s.nextChargeAt;
    return view();
  }, {
    validator: (change, _by?: ActedBy) => {
      refuseIfEnded();
      const why = planRefusal({ amountJpy: change.amountJpy ?? s.plan.amountJpy, interval: change.interval ?? s.plan.interval, firstChargeAt: s.nextChargeAt });
      if (why) throw new Error(why);
    },
  });
  setHandler(cancelChildUpdate, async (cycle, by?: ActedBy) => {
    actedBy(`cancel child ${cycle}`, by);
    const child = s.recentCharges.find((c) => c.cycle === cycle)!;
    const chargeState = await amazon.cancelChildCharge({ shopId: input.shopId, chargeId: child.chargeId, reason: `canceled by the shop (child ${cycle})` });
    await db.recordRecurringChild({
      shopId: input.shopId, parentOrderId: input.parentOrderId,
      child: { cycle, scheduledAt: nowIso(), outcome: 'canceled', amountJpy: s.plan.amountJpy, chargeId: child.chargeId, chargeState, reason: 'MerchantCanceled' },
    });
    return { cycle, chargeState };
  }, {
    validator: (cycle, _by?: ActedBy) => {
      if (!s.recentCharges.some((c) => c.cycle === cycle)) throw new Error(`no recent charged child ${cycle}`);
    },
  });
  setHandler(childShippedUpdate, async (cycle, by?: ActedBy) => {
    actedBy(`child ${cycle} shipped`, by);
    const child = s.recentCharges.find((c) => c.cycle === cycle)!;
    const chargeState = await amazon.captureRecurringChild({
      ...ref, cycle, scheduledAt: child.scheduledAt, chargeId: child.chargeId, amountJpy: child.amountJpy, idempotencyKey: stepKey(workflowId, 'capture', cycle),
    });
    return { cycle, chargeState };
  }, {
    validator: (cycle, _by?: ActedBy) => {
      if (input.captureNow) throw new Error('this parent captures with each charge');
      if (!s.recentCharges.some((c) => c.cycle === cycle)) throw new Error(`no recent charged child ${cycle}`);
    },
  });
  setHandler(closeParentUpdate, async (reason, by?: ActedBy) => {
    actedBy('close', by);
    closeReason = reason;
    pokes += 1;
    await condition(() => ended(s.status));
    return view();
  }, { validator: (_reason: string, _by?: ActedBy) => refuseIfEnded() });

  // A close or a permission IPN that arrives while a pass runs (a charge's activities) wakes the next wait, and a run
  // does not continue as new with one unheard (the close's update would wait on a run that has gone). Runs started
  // before took the poke count at the wait, so such a poke waited for the next timer: a month.
  const keepsPokes = since('recurring-pokes-kept');
  let heard = 0;
  while (!ended(s.status)) {
    show(); // the last pass's changes (a child charged, the permission followed) are stored by now
    const unheard = keepsPokes && pokes > heard;
    if (!unheard && (s.cycle - runStartCycle >= (input.cyclesPerRun ?? 12) || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof amazonPayRecurringWorkflow>({ ...input, state: s });
    }
    const warnAt = s.warnedFor === s.expiresAt ? Infinity : Date.parse(expiryWarningAt(s.expiresAt, input.expiryWarningDays));
    const wakeAt = Math.min(Date.parse(s.nextChargeAt), Date.parse(s.expiresAt), warnAt);
    const seen = keepsPokes ? heard : pokes;
    if (wakeAt > Date.now()) await condition(() => pokes > seen, wakeAt - Date.now());
    heard = pokes;

    if (closeReason !== null) {
      await amazon.closeChargePermission({ shopId: input.shopId, chargePermissionId: input.chargePermissionId, reason: closeReason });
      s.status = 'closed';
      break;
    }
    if (permissionChanged) {
      permissionChanged = false;
      await followPermission();
      if (ended(s.status)) break;
    }
    if (Date.now() >= Date.parse(s.expiresAt)) {
      s.status = 'expired';
      await local.sendRecurringMail({ ...ref, kind: 'expired', detail: `有効期限 ${s.expiresAt} を過ぎました。` });
      break;
    }
    if (warnAt !== Infinity && Date.now() >= warnAt) {
      s.warnedFor = s.expiresAt;
      await local.sendRecurringMail({ ...ref, kind: 'expiry-warning', detail: `有効期限: ${s.expiresAt}。期限までに子受注の売上請求がなければ失効します。` });
    }
    if (Date.now() >= Date.parse(s.nextChargeAt)) await chargeDueChild();
  }
  await db.saveRecurringParent(parentRow());
  show();
  await condition(allHandlersFinished);
  return view();

  /** The permission's state decides: Closed ends the parent, NonChargeable pauses it, Chargeable resumes it. */
  async function followPermission(): Promise<void> {
    const cp = await amazon.readChargePermission({ shopId: input.shopId, chargePermissionId: input.chargePermissionId });
    if (cp.state === 'Closed') {
      s.status = cp.reasonCodes.some((r) => r === 'BuyerClosed' || r === 'BuyerCanceled') ? 'buyer-closed' : cp.reasonCodes.includes('Expired') ? 'expired' : 'closed';
      if (s.status === 'buyer-closed') await local.sendRecurringMail({ ...ref, kind: 'buyer-closed', detail: 'お客様がAmazon Payで継続支払いを解除しました。' });
    } else if (cp.state === 'NonChargeable') {
      s.status = 'paused';
    } else if (cp.state === 'Chargeable' && s.status === 'paused') {
      s.status = 'active';
    }
    await db.saveRecurringParent(parentRow());
  }

  /** One child: skipped, held while paused, refused by the monthly cap, or charged. Then the schedule moves on. */
  async function chargeDueChild(): Promise<void> {
    const scheduledAt = s.nextChargeAt;
    const cycle = s.cycle;
    const month = jstMonthKey(nowIso()); // the cap counts the charge's own JST month
    const amountJpy = s.plan.amountJpy;
    const record = (outcome: string, reason: string | null) =>
      db.recordRecurringChild({ shopId: input.shopId, parentOrderId: input.parentOrderId, child: { cycle, scheduledAt, outcome, amountJpy, chargeId: null, chargeState: null, reason } });

    if (s.skipNext) {
      s.skipNext = false;
      await record('skipped', 'skipped by the shop');
    } else if (s.status === 'paused') {
      await record('paused', 'the payment method is invalid (PaymentMethodInvalid)');
    } else if (wouldExceedCap(s.chargedByMonth[month] ?? 0, amountJpy)) {
      await record('cap-exceeded', `¥${s.chargedByMonth[month] ?? 0} already charged in ${month}`);
      await local.sendRecurringMail({ ...ref, kind: 'cap-exceeded', detail: `子受注 ${cycle} (¥${amountJpy}) は ${month} の月額上限 ¥100,000 を超えるため決済しませんでした。` });
    } else {
      const r = await amazon.chargeRecurringChild({
        ...ref, cycle, scheduledAt, amountJpy, captureNow: input.captureNow, idempotencyKey: stepKey(workflowId, 'child', cycle),
      });
      if (r.outcome === 'charged') {
        s.chargedByMonth = { [month]: (s.chargedByMonth[month] ?? 0) + amountJpy }; // only this month matters for the cap
        s.expiresAt = expiryAfter(nowIso());
        s.recentCharges = [...s.recentCharges, { cycle, chargeId: r.chargeId!, amountJpy, scheduledAt }].slice(-12);
      } else {
        const kind = r.outcome === 'cap-exceeded' ? 'cap-exceeded' : 'declined';
        await local.sendRecurringMail({ ...ref, kind, detail: `子受注 ${cycle}: ${r.reasonCode}` });
        if (r.reasonCode === 'HardDeclined' || r.outcome === 'not-chargeable') await followPermission();
      }
    }
    s.cycle += 1;
    s.nextChargeAt = nextChargeAt(scheduledAt, s.plan.interval, s.anchorAt);
    await db.saveRecurringParent(parentRow());
  }

  function parentRow() {
    return {
      shopId: input.shopId, parentOrderId: input.parentOrderId, status: s.status, expiresAt: s.expiresAt,
      amountJpy: s.plan.amountJpy, intervalUnit: s.plan.interval.unit, intervalValue: s.plan.interval.value,
    };
  }
}
