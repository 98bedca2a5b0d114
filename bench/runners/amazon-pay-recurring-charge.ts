/**
 * One Amazon Pay recurring charge as a bench process. Only the parent workflow exists (no child workflow, and the
 * charge is a step of the parent's loop), so each order is a parent whose first charge is due now: started, its first
 * child charged and recorded (seen through its query), then closed by the merchant's closeParent update, as it ends
 * in production. Latency is start → charged → waiting for the next child → closed.
 */
import { insertRecurringParent, listRecurringChildren } from '../../db/amazon-pay-recurring';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../../workflows/amazon-pay-recurring';
import { closeParentUpdate, type RecurringView } from '../../workflows/amazon-pay-recurring-messages';
import { amazonPayRecurringWorkflowId } from '../../workflows/workflow-ids';
import { SHOP_ID } from '../../tests/support/au-pay-fixtures';
import { mintChargePermission } from '../../tests/support/amazon-pay-fixtures';
import { runPhase } from '../run-phase';
import type { BenchContext, ProcessRunner } from '../process-runner';

const AMOUNT_JPY = 3000;
const CHARGE_TIMEOUT_MS = 60_000;

export function amazonPayRecurringChargeProcess(c: BenchContext): ProcessRunner<RecurringParentInput, RecurringView> {
  // Charged: the parent's child charge activity returned, heard in this process (bench/activity-observers.ts). Until
  // session 27 the bench looked at the sandbox's ledger every 10 ms for each parent in flight.
  const childCharged = c.activities.waiter<{ chargePermissionId: string }>('chargeRecurringChild', (i) => i.chargePermissionId, CHARGE_TIMEOUT_MS);
  return {
    name: 'Amazon Pay recurring charge',
    // chargeRecurringChild, saveRecurringParent; on close: closeChargePermission, saveRecurringParent (the saves local)
    twinSteps: 4,
    async prepare(tag, n) {
      const inputs = new Array<RecurringParentInput>(n);
      await runPhase(n, 10, async (i) => {
        const chargePermissionId = await mintChargePermission(c.sandbox, {
          chargePermissionType: 'Recurring', frequency: { unit: 'Month', value: '1' }, amount: AMOUNT_JPY,
        });
        const input: RecurringParentInput = {
          shopId: SHOP_ID, parentOrderId: `BENCH-SUB-${tag}-${i}`, chargePermissionId, captureNow: true, expiryWarningDays: 30,
          plan: { amountJpy: AMOUNT_JPY, interval: { unit: 'Month', value: 1 }, firstChargeAt: new Date().toISOString() },
        };
        // as the API stores it before the start
        await insertRecurringParent(c.db.pool, { shopId: SHOP_ID, parentOrderId: input.parentOrderId, chargePermissionId, amountJpy: AMOUNT_JPY, intervalUnit: 'Month', intervalValue: 1 });
        inputs[i] = input;
      });
      return inputs;
    },
    async run(input) {
      const charged = childCharged(input.chargePermissionId); // listening before the start
      const handle = await c.env.client.workflow.start(amazonPayRecurringWorkflow, {
        workflowId: amazonPayRecurringWorkflowId(SHOP_ID, input.parentOrderId), taskQueue: c.taskQueue, args: [input],
      });
      // closed once Amazon Pay took the first charge: the close may arrive while the parent's save of it still runs, and
      // is heard after it (recurring-pokes-kept), as a merchant's close would be
      await charged;
      await handle.executeUpdate(closeParentUpdate, { args: ['bench over'] });
      return { handles: [handle], result: await handle.result() };
    },
    async verify(inputs, runs) {
      const problems: string[] = [];
      const n = inputs.length;
      const wrong = runs.filter((r) => r.result.status !== 'closed' || r.result.cycle !== 2);
      if (wrong.length) problems.push(`${wrong.length}/${n} parents ended otherwise than closed after one child, e.g. ${JSON.stringify(wrong[0]!.result)}`);
      let badChildren = 0;
      await runPhase(n, 10, async (i) => {
        const kids = await listRecurringChildren(c.db.pool, SHOP_ID, inputs[i]!.parentOrderId);
        if (kids.length !== 1 || kids[0]!.outcome !== 'charged' || !kids[0]!.chargeId) badChildren += 1;
      });
      if (badChildren) problems.push(`database: ${badChildren}/${n} parents without exactly one charged child`);
      const mine = new Set(inputs.map((x) => x.chargePermissionId));
      const ledger = c.sandbox.amazonPay.kit.ledger.list();
      const charged = ledger.filter((e) => e.operation === 'createCharge' && e.applied && [...mine].some((cp) => e.orderId.startsWith(cp)));
      if (charged.length !== n) problems.push(`sandbox: ${charged.length} charges applied, expected ${n}`);
      return problems;
    },
    why: 'its 4 activities are the twin\'s, the two saves of the parent\'s row local activities (recurring-local-save: in the workflow '
      + 'task, no round trip through the server); the closeParent update (the merchant\'s close: the parent lives for years in production, so the bench ends it, as soon as Amazon '
      + 'Pay took the charge); up to 1 timer: the wait for the next child (a month), which the close ends; none when the close came while the '
      + 'charge\'s activities ran (the first charge is due at start, so no timer before it); upserts: RecurringStatus/ExpiresAt/NextChargeAt '
      + 'at each pass of the loop where they changed (first pass, after the charge, closed) and 1 TemporalChangeVersion for the run\'s one '
      + 'patch marker (workflows/patch-gate.ts: recurring-patches-folded stands for the 3 earlier patches, 3 markers and 3 upserts until this '
      + 'run). Until session 24 the bench polled the parent\'s query and history every 20 ms to close it only once it waited: that load on '
      + 'the server was in its figures (0.55)',
  };
}
