import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActedBy } from './acted-by';
import type { LinkStatus, ManualStatus, ResetOptions, ShipmentReport } from './au-pay-link-status';

/** The OMS reported the shipment again (the data may have changed); a repeat is harmless. */
export const shipmentReportedSignal = defineSignal<[ShipmentReport]>('shipmentReported');

/** The OMS reports the order completed: with the shop's completionTiming 'oms-report', what lets the chain push 完了. */
export const completionReportedSignal = defineSignal('completionReported');

export interface LinkState {
  status: LinkStatus;
  lastError: string | null;
  cycle: number;
  /** why the chain holds before its next push (the shop's settings, or the OMS's report awaited); null when it does not */
  waiting?: string | null;
  /** the OMS has reported the order completed */
  completionReported?: boolean;
}
export const linkStateQuery = defineQuery<LinkState>('linkState');

/**
 * An operator sets one of the three manual statuses after an error (seed 004 section 6), or marks an order at 空欄
 * completed before automation (options.completedBeforeAutomation); refused with a reason otherwise.
 */
export const resetLinkStatusUpdate = defineUpdate<{ previous: LinkStatus; status: LinkStatus }, [ManualStatus, ActedBy?, ResetOptions?]>('resetLinkStatus');
