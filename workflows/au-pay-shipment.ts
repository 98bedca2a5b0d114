import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities,
  proxyLocalActivities, setHandler, TimeoutFailure, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { AuPayActivities } from '../activities/au-pay-activities';
import {
  holdReason, isErrorStatus, LINK_STATUS, resetRefusal, sameShipFields, shipFields, shippingPrecondition, TIMEOUT_MESSAGE,
  type LinkStatus, type ManualStatus, type ResetOptions, type ShipFields, type ShipmentReport,
} from './au-pay-link-status';
import { actedBy, type ActedBy } from './acted-by';
import { patchGate } from './patch-gate';
import { completionReportedSignal, linkStateQuery, resetLinkStatusUpdate, shipmentReportedSignal } from './au-pay-shipment-messages';
import { localIo, localStep, marketplaceApi } from './retry-policies';
import { AU_PAY_LINK_STATUS } from './search-attributes';
import { stepKey } from './workflow-ids';

const market = proxyActivities<AuPayActivities>(marketplaceApi);
const local = proxyActivities<AuPayActivities>(localIo);
const here = proxyLocalActivities<AuPayActivities>(localStep);

export interface AuPayShipmentResult {
  status: LinkStatus;
  lastError: string | null;
}

/** Every command the shop's settings brought (their read, the hold's timer, continue-as-new) is behind this patch, so
 * a chain whose history was made before it replays the way it ran. */
const SHOP_SETTINGS_PATCH = 'au-pay-shop-settings';
/**
 * How often a held order reads the settings again: the seed's own cadence (section 2 「15分毎に自動連携」, section 4
 * 「前回処理日時から15分経過することで処理が開始されます」), so a push turned back to 開始 reaches held orders within
 * 15 minutes, as in CROSS MALL. A durable timer rather than a signal from the settings API: no open chains to list, no
 * wake-up lost when the API dies between storing a change and signalling, and a change made any other way is seen.
 * A new shipment report, the OMS's completion report and an operator's reset wake it at once.
 */
const RECHECK_EVERY = '15 minutes';
/** A hold may last for weeks: after this many re-checks (about two days) the chain continues as new, history short. */
const RECHECKS_PER_RUN = 200;
/** A re-report that changes the shipping data after it was pushed pushes it again (seed 004: the reset to 空欄 does the same). */
const CORRECTIONS_PATCH = 'au-pay-corrections';
/** 自動注文情報ステータス取得 before the ship-info push and once a day in a held chain (seed 004 section 1 補足, section 6). */
const STATUS_CHECK_PATCH = 'au-pay-status-check';
/** Operator status changes stored with their change key and marked manual; automatic ones with their change key. */
const LINK_OUT_PATCH = 'au-pay-link-out';
/** The wake-up flag is cleared before the settings read, not after it, so a report during the read is not missed. */
const WAKE_DURING_READ_PATCH = 'au-pay-wake-during-read';
/** The current patch (patch-gate.ts): the settings read runs as a local activity (in the workflow task: no round trip). */
const CURRENT_PATCH = 'au-pay-local-settings';
/** How often a held chain reads the trade's status at the market. */
const STATUS_CHECK_EVERY_MS = 24 * 60 * 60 * 1000;

/** Where a chain that continued as new stands. */
export interface AuPayShipmentResume {
  status: LinkStatus;
  lastError: string | null;
  cycle: number;
  completionReported: boolean;
  /** the shipping data last pushed (a later report that differs is a correction) */
  pushed?: ShipFields | null;
  /** when the trade's status was last read at the market (workflow time, ms) */
  checkedAt?: number;
  /**
   * A new run for an order whose earlier run ended (対象外 that now meets the condition, or a correction after
   * completion): the API starts it with the reason; the run enters 空欄 first. Its steps' keys carry its own base.
   */
  reopened?: string;
  /** the base of step keys of a reopened run, kept across continue-as-new */
  keyBase?: string;
}

/**
 * au PAY ship-then-complete (seed 004), one per shipped order: push 発送日・配送会社・配送お問い合せ番号, then
 * the 完了 status. Before each push it reads the shop's settings (seed 004 section 4): a push at 停止 holds the order at
 * its status until 開始. A failure stops the chain at an error status, mails the shop, and waits for an operator to reset.
 * Before the ship-info push (and once a day while held) it reads the trade: canceled or missing stops it at
 * 注文情報ステータス取得エラー. A report that changes the pushed shipping data pushes it again. Every status it enters
 * is stored with its order data OUT row. A 対象外 order or a completed one is reopened by a new run (`resume.reopened`).
 */
export async function auPayShipmentWorkflow(report: ShipmentReport, resume?: AuPayShipmentResume): Promise<AuPayShipmentResult> {
  const { workflowId } = workflowInfo();
  const { current, since } = patchGate(CURRENT_PATCH);
  let shipment = report;
  let status: LinkStatus = resume?.status ?? LINK_STATUS.blank;
  let lastError: string | null = resume?.lastError ?? null;
  let cycle = resume?.cycle ?? 0;
  let completionReported = resume?.completionReported ?? false;
  let pushed: ShipFields | null = resume?.pushed ?? null;
  let checkedAt = resume?.checkedAt ?? Date.now();
  // a reopened run (a new run with the same id) keys its steps apart from the runs before it
  const keyBase = resume?.keyBase ?? (resume?.reopened ? `${workflowId}#${workflowInfo().firstExecutionRunId.slice(0, 8)}` : workflowId);
  let requested: ManualStatus | undefined; // an operator's reset, applied by the main loop
  let requestedOptions: ResetOptions = {};
  let waiting: string | null = null; // why the settings hold the next push, while the chain waits
  let woken = false; // something a held push waits on may have changed
  let rechecks = 0;

  setHandler(shipmentReportedSignal, (latest) => {
    shipment = latest;
    woken = true;
  });
  setHandler(completionReportedSignal, () => {
    completionReported = true;
    woken = true;
  });
  setHandler(linkStateQuery, () => ({ status, lastError, cycle, waiting, completionReported }));
  setHandler(
    resetLinkStatusUpdate,
    (target, by?: ActedBy, options?: ResetOptions) => {
      actedBy(`link status reset to ${target}${options?.completedBeforeAutomation ? ' (completed before automation)' : ''}`, by);
      requested = target;
      requestedOptions = options ?? {};
      return { previous: status, status: target };
    },
    {
      validator: (target, _by?: ActedBy, options?: ResetOptions) => {
        const why = requested !== undefined ? `a reset to ${requested} is already being applied` : resetRefusal(status, target, waiting !== null, options);
        if (why) throw new Error(why);
      },
    },
  );

  const order = () => ({ shopId: shipment.shopId, orderId: shipment.orderId, auPayOrderId: shipment.auPayOrderId });

  /**
   * Persists a status (and its order data OUT row), then shows it (query, search attribute): what an operator sees is
   * already stored. The change key names this change (run, cycle, status), so a retried save writes one OUT row.
   */
  async function enter(next: LinkStatus, error: string | null, precheck?: { operation: string }, extra?: { manual?: boolean; note?: string }) {
    const keyed = since(LINK_OUT_PATCH) ? { changeKey: stepKey(keyBase, `status-${next}`, cycle), ...extra } : {};
    await local.saveLinkStatus({ ...order(), status: next, error, precheck, ...keyed });
    status = next;
    lastError = error;
    upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: next }]);
  }

  async function fail(phase: 'shipping' | 'completion', message: string, precheck?: { operation: string }) {
    await enter(phase === 'shipping' ? LINK_STATUS.shipError : LINK_STATUS.completeError, message, precheck);
    await local.sendLinkErrorMail({ ...order(), phase, message });
  }

  /**
   * 自動注文情報ステータス取得: reads the trade at the market; canceled there or missing, the order stops at
   * 注文情報ステータス取得エラー until an operator resets it to 空欄. True when it stopped.
   */
  async function tradeUnusable(): Promise<boolean> {
    if (!since(STATUS_CHECK_PATCH)) return false; // a chain from before the check runs as it did
    checkedAt = Date.now();
    let check;
    try {
      check = await market.checkTradeStatus({ ...order(), idempotencyKey: stepKey(keyBase, 'status-check', cycle) });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      // the read itself failed (an expired key, the market down past the retries): not the trade's state; the push
      // that follows meets the same failure and reports it as 出荷情報反映エラー, as before the check existed
      return false;
    }
    if (check.ok) return false;
    const { message } = check;
    await enter(LINK_STATUS.statusError, message);
    // the shop hears as of a failed ship-info push (its mail says: reset to 空欄 to reprocess)
    await local.sendLinkErrorMail({ ...order(), phase: 'shipping', message });
    return true;
  }

  /** A report changed the shipping data after it was pushed: push it again (the seed's reset to 空欄 does the same). */
  const correctionDue = () => pushed !== null && !sameShipFields(pushed, shipment) && since(CORRECTIONS_PATCH);

  /**
   * Seed 004 section 4: a push runs only while the shop has it at 開始 (and 完了 with 'oms-report' only once the OMS
   * reported it). Reads the settings now, so a change applies to this decision; while they hold the push, waits for a
   * wake-up or the re-check. True when it waited: the caller decides again from the start.
   */
  async function held(step: 'shipping' | 'completion'): Promise<boolean> {
    if (!since(SHOP_SETTINGS_PATCH)) return false; // a chain from before the settings runs as it did
    // a report arriving during the read below wakes the wait after it (a correction is not left for the re-check)
    const wakeDuringRead = since(WAKE_DURING_READ_PATCH);
    if (wakeDuringRead) woken = false;
    const settings = await (current ? here : local).auPayShopSettings({ shopId: shipment.shopId });
    if (requested !== undefined) return true; // an operator's reset accepted during the read comes before any push
    // still held while it re-reads, so an operator's reset is accepted then too (and applied before a push)
    waiting = holdReason(step, settings, completionReported) ?? null;
    if (waiting === null) return false;
    if (!wakeDuringRead) woken = false;
    await condition(() => woken || requested !== undefined, RECHECK_EVERY);
    rechecks += 1;
    // a held order's trade is read once a day: one canceled at the market stops here, not at the push
    if (requested === undefined && Date.now() - checkedAt >= STATUS_CHECK_EVERY_MS && (await tradeUnusable())) return true;
    if (requested === undefined && (rechecks >= RECHECKS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof auPayShipmentWorkflow>(shipment, { status, lastError, cycle, completionReported, pushed, checkedAt, keyBase });
    }
    return true;
  }

  if (resume?.reopened) {
    // a new run for an order whose earlier run ended: back to 空欄, the reason in the API連携履歴
    await enter(LINK_STATUS.blank, null, undefined, { note: resume.reopened });
  }

  while (status !== LINK_STATUS.completed || correctionDue()) {
    if (requested !== undefined) {
      // an operator's reset (seed 004 section 6): after an error, or 受注完了ステータス反映済み on a held order
      cycle += 1;
      const note = requestedOptions.completedBeforeAutomation ? '手動: 自動連携前に完了済み' : undefined;
      await enter(requested, null, undefined, { manual: true, note });
      // cleared only once the reset is stored: until then a second reset is refused, never accepted and then lost
      requested = undefined;
      requestedOptions = {};
      waiting = null;
      continue;
    }
    if (isErrorStatus(status)) {
      await condition(() => requested !== undefined);
      continue;
    }
    if ((status === LINK_STATUS.shipped || status === LINK_STATUS.completed) && correctionDue()) {
      // the OMS corrected 発送日, 配送会社 or 配送お問い合せ番号 after the push: push again, as a reset to 空欄 would
      cycle += 1;
      await enter(LINK_STATUS.blank, null, undefined, { note: '訂正: 出荷情報の再反映' });
      continue;
    }
    if (status === LINK_STATUS.blank) {
      const pre = shippingPrecondition(shipment);
      if ('skip' in pre) {
        await enter(LINK_STATUS.notTarget, pre.skip);
        break;
      }
      if (await held('shipping')) continue; // 自動出荷情報反映 停止: no push and no error, the order stays 空欄
      if ('error' in pre) {
        await fail('shipping', pre.error, { operation: 'updateTradeInfoProc' });
        continue;
      }
      if (await tradeUnusable()) continue; // 注文情報ステータス取得エラー: no push until an operator resets to 空欄
      const sending = { ...shipFields(shipment), shipDate: pre.shipDate };
      try {
        await market.pushShippingInfo({ ...order(), ...sending, idempotencyKey: stepKey(keyBase, 'shipping', cycle) });
        pushed = sending;
        status = LINK_STATUS.shipped;
        upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: status }]);
      } catch (err) {
        await fail('shipping', failureMessage(err));
      }
    } else if (status === LINK_STATUS.shipped) {
      if (await held('completion')) continue; // the order stays 出荷情報反映済み
      try {
        await market.pushCompletion({ ...order(), idempotencyKey: stepKey(keyBase, 'completion', cycle) });
        status = LINK_STATUS.completed;
        upsertSearchAttributes([{ key: AU_PAY_LINK_STATUS, value: status }]);
      } catch (err) {
        await fail('completion', failureMessage(err));
      }
    }
  }
  await condition(allHandlersFinished);
  return { status, lastError };
}

/** The message shown to the shop for a failed call: the market's own words, or the seed's timeout text. */
function failureMessage(err: unknown): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return TIMEOUT_MESSAGE;
  if (cause instanceof ApplicationFailure) return cause.type === 'AuPayTimeout' ? TIMEOUT_MESSAGE : cause.message;
  return cause?.message ?? err.message;
}
