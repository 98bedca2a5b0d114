import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { getAuPayOrder, upsertShipmentReport } from '../../db/au-pay-orders';
import { auPayShipmentWorkflow } from '../../workflows/au-pay-shipment';
import { shipmentReportedSignal } from '../../workflows/au-pay-shipment-messages';
import { LINK_STATUS, type ShipmentReport } from '../../workflows/au-pay-link-status';
import { AU_PAY_LINK_STATUS, ORDER_ID, SHOP_ID } from '../../workflows/search-attributes';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { attributes, writeThenStart } from '../pending-starts';
import { reportPlan } from './report-plan';

/** What the reporter hears: whether a push will happen and why; `note` where nothing will happen. */
export interface AuPayReportAnswer {
  /** 202: the chain acts on the report; 200: it is only stored (or changes nothing) */
  status: 200 | 202;
  body: { workflowId: string; linkStatus: string; push: boolean; reason: string; note?: string };
}

/**
 * The one way an au PAY shipment is reported (the OMS's POST /au-pay/shipments, a shipment import's row). The stored
 * order decides (reportPlan): a first report or a running chain: store it and owe the chain's start in one step, then
 * start the chain or hand the data to the running one; an order whose chain ended (対象外 that now meets the
 * condition, a correction after completion): a new run of the same id; else only stored. The same report again
 * changes nothing.
 */
export async function reportAuPayShipment(deps: { db: Pool; temporal: Client; taskQueue: string }, report: ShipmentReport): Promise<AuPayReportAnswer> {
  const { shopId } = report;
  const workflowId = auPayShipmentWorkflowId(shopId, report.orderId);
  const before = await getAuPayOrder(deps.db, shopId, report.orderId);
  let plan = reportPlan(before, report);
  for (let tries = 0; ; tries += 1) {
    if (plan.kind === 'store') {
      const row = await upsertShipmentReport(deps.db, report);
      return { status: 200, body: { workflowId, linkStatus: row.linkStatus, push: false, reason: plan.reason, note: plan.reason } };
    }
    const reopen = plan.kind === 'reopen';
    const { row, outcome } = await writeThenStart(deps, {
      workflowId, shopId, workflowType: auPayShipmentWorkflow.name, taskQueue: deps.taskQueue,
      args: plan.kind === 'reopen' ? [report, plan.resume] : [report], signal: { name: shipmentReportedSignal.name, args: [report] },
      // a chain runs once per order, except the new run a reopened order gets once its run has ended
      reusePolicy: reopen ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      searchAttributes: attributes([[SHOP_ID, shopId], [ORDER_ID, report.orderId], [AU_PAY_LINK_STATUS, LINK_STATUS.blank]]),
      row: { table: 'au-pay', orderId: report.orderId },
    }, { write: () => upsertShipmentReport(deps.db, report), replace: true }); // the latest report wins, in the row and the start
    if (outcome === 'finished-before' && tries === 0) {
      // the chain ended between the read and the start: decide again with the status it left
      const after = await getAuPayOrder(deps.db, shopId, report.orderId);
      plan = reportPlan(after && { ...(before ?? after), linkStatus: after.linkStatus }, report);
      continue;
    }
    const finished = 'the chain for this order has already finished';
    if (outcome === 'finished-before') return { status: 200, body: { workflowId, linkStatus: row.linkStatus, push: false, reason: finished, note: finished } };
    const acts = plan.push || plan.kind !== 'signal' || !before; // a new chain acts even on an order it marks 対象外
    return {
      status: acts ? 202 : 200,
      body: { workflowId, linkStatus: row.linkStatus, push: plan.push, reason: plan.reason, ...(acts ? {} : { note: plan.reason }) },
    };
  }
}
