import type { AuPayOrderRow } from '../../db/au-pay-orders';
import type { AuPayShipmentResume } from '../../workflows/au-pay-shipment';
import {
  isErrorStatus, LINK_STATUS, sameShipFields, shippingPrecondition, type ShipmentReport,
} from '../../workflows/au-pay-link-status';

/**
 * What a shipment report does, decided from the order as stored before it:
 * - `signal`: a first report, or the order's chain is running: start it or hand it the data (the chain decides);
 * - `reopen`: the order's chain ended, and this report is something to push: a new run of the same workflow id;
 * - `store`: nothing to push: the report is only stored.
 * `push` and `reason` are the answer the OMS gets.
 */
export type ReportPlan =
  | { kind: 'signal'; push: boolean; reason: string }
  | { kind: 'reopen'; push: true; reason: string; resume: AuPayShipmentResume }
  | { kind: 'store'; push: false; reason: string };

const REPORTED = ['auPayOrderId', 'managementClass', 'shipDate', 'carrier', 'trackingNumber', 'bundledInto', 'splitFrom'] as const;
const sameReport = (row: AuPayOrderRow, r: ShipmentReport) => REPORTED.every((k) => row[k] === (r[k] ?? null));

const reopenAt = (reopened: string, completionReported: boolean): AuPayShipmentResume => ({
  status: LINK_STATUS.blank, lastError: null, cycle: 0, completionReported, reopened,
});

export function reportPlan(before: AuPayOrderRow | undefined, report: ShipmentReport): ReportPlan {
  const pre = shippingPrecondition(report);
  if (!before) {
    return 'skip' in pre
      ? { kind: 'signal', push: false, reason: `${LINK_STATUS.notTarget}: ${pre.skip}` }
      : { kind: 'signal', push: true, reason: 'new order: the chain pushes its shipping info' };
  }
  const status = before.linkStatus;
  const same = sameReport(before, report);
  const shipChanged = !sameShipFields(before, report);

  if (status === LINK_STATUS.notTarget) {
    // seed 004 section 2: 対象外 is a condition of the report, not of the order: one that now meets it is pushed
    if ('skip' in pre) return { kind: 'store', push: false, reason: `${LINK_STATUS.notTarget}: ${pre.skip}` };
    return { kind: 'reopen', push: true, reason: 'the order now meets the condition (管理区分 通常, not a bundled child): it is pushed', resume: reopenAt('対象外解除: 連携対象の条件を満たしました', false) };
  }
  if (status === LINK_STATUS.completed) {
    if (same) return { kind: 'store', push: false, reason: 'this report changes nothing: the order already has this shipment' };
    if (!shipChanged) return { kind: 'store', push: false, reason: 'the order is completed and its shipping data is unchanged: nothing to push' };
    if ('skip' in pre) return { kind: 'store', push: false, reason: `the order is completed; the correction is not pushed: ${pre.skip}` };
    // a correction after completion: push the shipping info again (the market is 完了 already; a 完了 again is a no-op)
    return { kind: 'reopen', push: true, reason: 'correction after completion: the shipping info is pushed again', resume: reopenAt('訂正: 完了後の出荷情報の再反映', true) };
  }
  // the chain is running: it has the data at once
  if (same) return { kind: 'signal', push: false, reason: 'this report changes nothing: the order already has this shipment' };
  if (isErrorStatus(status)) {
    return { kind: 'signal', push: false, reason: `the order is at ${status}: the new data is pushed after an operator's reset (seed 004 section 7)` };
  }
  if (status === LINK_STATUS.shipped) {
    return shipChanged
      ? { kind: 'signal', push: true, reason: 'correction after 出荷情報反映済み: the shipping info is pushed again' }
      : { kind: 'signal', push: false, reason: 'no shipping data changed: nothing to push again' };
  }
  if ('skip' in pre) return { kind: 'signal', push: false, reason: `not pushed yet; this report makes it ${LINK_STATUS.notTarget}: ${pre.skip}` };
  return { kind: 'signal', push: true, reason: 'not pushed yet: the chain pushes this data' };
}
