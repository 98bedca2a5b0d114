/**
 * Amazon Pay authorization as bench processes: sync (the charge is authorized at once) and async (Amazon's review is
 * pending; its IPN wakes the workflow, which reads the charge). The bench stands in for the API's IPN route: it
 * resolves the charge at the sandbox and sends the chargeNotified signal the route would send.
 */
import { insertAuthorizationOrder } from '../../db/amazon-pay-orders';
import { amazonPayAuthorizationWorkflow, type AuthorizationResult } from '../../workflows/amazon-pay-authorization';
import { chargeNotifiedSignal } from '../../workflows/amazon-pay-authorization-messages';
import { PAYMENT_STATUS, type AuthorizationRequest } from '../../workflows/amazon-pay-review';
import { amazonPayAuthorizationWorkflowId } from '../../workflows/workflow-ids';
import { AMAZON_PAY_REVIEW_STATUS, ORDER_ID, SHOP_ID as SHOP_ID_ATTRIBUTE } from '../../workflows/search-attributes';
import { NOTIFY_EMAIL, SHOP_ID } from '../../tests/support/au-pay-fixtures';
import { amazonPayTestClient, mintChargePermission } from '../../tests/support/amazon-pay-fixtures';
import type { ActivityDeps } from '../../activities';
import { runPhase } from '../run-phase';
import type { BenchContext, ProcessRunner } from '../process-runner';

/** Gives the deps the Amazon Pay client of the bench shop (the sandbox's, with the test key). */
export function withAmazonPay(c: BenchContext, deps: ActivityDeps): void {
  const client = amazonPayTestClient(c.sandbox);
  deps.amazonPayShop = (s) => (s === SHOP_ID ? { client, notifyEmail: NOTIFY_EMAIL } : undefined);
}

export function amazonPayAuthorizationProcess(c: BenchContext, mode: 'sync' | 'async'): ProcessRunner<AuthorizationRequest, AuthorizationResult> {
  // The charge each permission's authorization created, as the sandbox reports it (the IPN's chargeId).
  const created = new Map<string, (chargeId: string) => void>();
  c.sandbox.amazonPay.onStateChange((ch) => {
    if (ch.objectType === 'CHARGE') created.get(ch.chargePermissionId)?.(ch.objectId);
  });
  return {
    name: `Amazon Pay authorization (${mode})`,
    // sync: requestAuthorization, recordPayment (requested), recordPayment (authorized); async: and readCharge
    twinSteps: mode === 'sync' ? 3 : 4,
    async prepare(tag, n) {
      const reqs = new Array<AuthorizationRequest>(n);
      await runPhase(n, 10, async (i) => {
        const chargePermissionId = await mintChargePermission(c.sandbox, { chargePermissionType: 'OneTime', amount: 30000 });
        if (mode === 'async') {
          await c.sandbox.control('POST', '/amazon-pay/_sandbox/outcomes', { kind: 'pending', operation: 'createCharge', chargePermissionId, delayMs: 86_400_000 });
        }
        reqs[i] = {
          shopId: SHOP_ID, orderId: `BENCH-AP${mode}-${tag}-${i}`, chargePermissionId, amountJpy: 9800, captureOnAuthorization: false, cancelOnDecline: false,
        };
        await insertAuthorizationOrder(c.db.pool, reqs[i]!); // as the API stores it before the start
      });
      return reqs;
    },
    async run(req) {
      const charge = mode === 'async' ? new Promise<string>((resolve) => created.set(req.chargePermissionId, resolve)) : undefined;
      const handle = await c.env.client.workflow.start(amazonPayAuthorizationWorkflow, {
        workflowId: amazonPayAuthorizationWorkflowId(req.shopId, req.orderId), taskQueue: c.taskQueue, args: [req, { checkEvery: '1 hour', giveUpAfter: '25 hours' }],
        // as the API starts it (api/amazon-pay/routes.ts)
        typedSearchAttributes: [{ key: SHOP_ID_ATTRIBUTE, value: req.shopId }, { key: ORDER_ID, value: req.orderId }, { key: AMAZON_PAY_REVIEW_STATUS, value: PAYMENT_STATUS.reviewing }],
      });
      if (charge) {
        const chargeId = await charge;
        created.delete(req.chargePermissionId);
        await c.sandbox.control('POST', `/amazon-pay/_sandbox/charges/${chargeId}/resolve`, { state: 'Authorized' });
        await handle.signal(chargeNotifiedSignal, { chargeId });
      }
      return { handles: [handle], result: await handle.result() };
    },
    async verify(reqs, runs) {
      const problems: string[] = [];
      const n = reqs.length;
      const wrong = runs.filter((r) => r.result.paymentStatus !== PAYMENT_STATUS.reviewed || r.result.chargeState !== 'Authorized');
      if (wrong.length) problems.push(`${wrong.length}/${n} authorizations ended otherwise, e.g. ${JSON.stringify(wrong[0]!.result)}`);
      const ids = reqs.map((r) => r.orderId);
      const { rows } = await c.db.pool.query<{ stored: string; outbox: string }>(
        `SELECT (SELECT count(*) FROM amazon_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND payment_status = $3 AND charge_id IS NOT NULL) AS stored,
                (SELECT count(*) FROM order_outbox WHERE shop_id = $1 AND order_id = ANY($2) AND event = 'amazon-pay.authorized') AS outbox`,
        [SHOP_ID, ids, PAYMENT_STATUS.reviewed],
      );
      if (Number(rows[0]!.stored) !== n) problems.push(`database: ${rows[0]!.stored}/${n} orders stored ${PAYMENT_STATUS.reviewed} with their charge`);
      if (Number(rows[0]!.outbox) !== n) problems.push(`outbox: ${rows[0]!.outbox} amazon-pay.authorized rows, expected ${n}`);
      return problems;
    },
    why: mode === 'sync'
      ? 'its 3 activities are the twin\'s (the charge; 審査中 with the chargeId, so an IPN finds the order and a crash keeps the charge; the result '
        + 'with its order data OUT row); 1 AmazonPayReviewStatus upsert (審査完了 for the Web UI; 審査中 is set free at start); the rest are the '
        + 'SDK\'s TemporalChangeVersion upserts, one per patched() id met (amazon-pay-review-search-attributes, and '
        + 'amazon-pay-authorization-local-look where that change is in): see au PAY. Folding the two recordPayment calls of an at-once '
        + 'authorization would need a new patched(), whose own upsert costs the action it saves: left as is'
      : 'as sync, plus the IPN\'s signal and the readCharge it triggers (the IPN carries no state, §7.2; both in the twin\'s count: 4 activities); '
        + 'a timer when the wait (condition with the hourly re-read) begins before the IPN arrives: here the IPN mostly came first, '
        + 'in production it comes later, so count 1 timer per order',
  };
}
