import { Counter } from 'prom-client';
import { createLogger, type Fields } from '../common/logger';
import type { AttentionProcess } from '../db/attention';
import { processRegistry } from './registry';

/**
 * The business events, each logged (with shop, order, workflow and operator where there is one) and counted in one
 * call, so a line and its counter never disagree. Labels are bounded sets (process, status, outcome, provider, action):
 * never an order id, a shop's address or anything a buyer gave.
 */
const log = createLogger('business');

const statusEntered = new Counter({
  name: 'renkei_order_status_entered_total',
  help: 'Orders entering a status, by process: one per status the process records (a retried activity that finds it written counts none where the process can tell)',
  labelNames: ['process', 'status'] as const,
  registers: [processRegistry],
});

const mails = new Counter({
  name: 'renkei_mails_total',
  help: 'Mails through the throttle, by outcome: sent, held-back (the throttle), failed (SMTP), no-address',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

const orderOut = new Counter({
  name: 'renkei_order_out_deliveries_total',
  help: 'Order data OUT delivery attempts, by outcome: delivered, retrying (an attempt failed; Temporal retries), rejected (4xx), failed (retries spent or refused: the row waits for a redelivery)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

const externalFailures = new Counter({
  name: 'renkei_external_call_failures_total',
  help: 'Calls to a provider or market that failed (an error answer or no answer), by provider',
  labelNames: ['provider'] as const,
  registers: [processRegistry],
});

const operatorActions = new Counter({
  name: 'renkei_operator_actions_total',
  help: 'Operator actions (single, bulk steps, settings), by action and outcome: applied, refused, failed',
  labelNames: ['action', 'outcome'] as const,
  registers: [processRegistry],
});

export interface OrderRef {
  shopId: string;
  orderId: string;
}

/** An order entered `status` in `process` (written by the activity that records it). */
export function statusChanged(process: AttentionProcess, ref: OrderRef, status: string, more: Fields = {}): void {
  statusEntered.inc({ process, status });
  log.info('order status changed', { process, shopId: ref.shopId, orderId: ref.orderId, status, ...more });
}

/** A provider's or market's call failed; `error` is its message (never a request or a credential). */
export function externalCallFailed(provider: string, e: Partial<OrderRef> & { operation?: string; error: string; retryable?: boolean }): void {
  externalFailures.inc({ provider });
  log.warn('external call failed', { provider, ...e });
}

export type MailOutcome = 'sent' | 'held-back' | 'failed' | 'no-address';

/** What became of one mail; the subject is logged for the shop's own mails only (a buyer's could name the buyer). */
export function mailDone(outcome: MailOutcome, m: { shopId: string; kind?: string; subject?: string; audience: string; error?: string }): void {
  mails.inc({ outcome });
  const fields = { outcome, shopId: m.shopId, kind: m.kind, audience: m.audience, subject: m.audience === 'admin' ? m.subject : undefined, error: m.error };
  if (outcome === 'sent') log.debug('mail sent', fields);
  else if (outcome === 'held-back') log.info('mail held back by the throttle', fields);
  else log.warn(outcome === 'failed' ? 'mail not sent: SMTP failed' : 'mail not sent: no address for it', fields);
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'rejected' | 'failed';

/** One order data OUT attempt's outcome, or the row failed for good. */
export function orderOutDelivery(outcome: DeliveryOutcome, d: OrderRef & { outboxId: string; event: string; httpStatus?: number | null; error?: string }): void {
  orderOut.inc({ outcome });
  // the row's own status changes count as the order-out process's (one line logged for both)
  if (outcome === 'delivered' || outcome === 'failed') statusEntered.inc({ process: 'order-out', status: outcome });
  const fields = { outcome, ...d };
  if (outcome === 'delivered') log.info('order data OUT delivered', fields);
  else if (outcome === 'failed') log.error('order data OUT delivery failed: the row waits for a redelivery', fields);
  else log.warn('order data OUT attempt failed', fields);
}

/** An operator's action and its outcome (the audit row has the same). */
export function operatorActed(
  outcome: 'applied' | 'refused' | 'failed',
  a: { action: string; operator: string; shopId: string | null; orderId: string | null; process: string | null; workflowId?: string; bulkId?: string | null; reason?: string | null },
): void {
  operatorActions.inc({ action: a.action, outcome });
  const fields = { outcome, ...a, shopId: a.shopId ?? undefined, orderId: a.orderId ?? undefined, process: a.process ?? undefined, bulkId: a.bulkId ?? undefined, reason: a.reason ?? undefined };
  if (outcome === 'failed') log.error('operator action failed', fields);
  else log.info(`operator action ${outcome}`, fields);
}
