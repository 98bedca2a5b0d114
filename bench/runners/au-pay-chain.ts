/** The au PAY ship-then-complete chain as a bench process: shared by bench/au-pay-chain.ts and `npm run bench`. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { upsertShipmentReport } from '../../db/au-pay-orders';
import { auPayShipmentWorkflow } from '../../workflows';
import { LINK_STATUS, type ShipmentReport } from '../../workflows/au-pay-link-status';
import type { AuPayShipmentResult } from '../../workflows/au-pay-shipment';
import { auPayShipmentWorkflowId } from '../../workflows/workflow-ids';
import { AU_PAY_LINK_STATUS, ORDER_ID, SHOP_ID as SHOP_ID_ATTRIBUTE } from '../../workflows/search-attributes';
import { SHOP_ID } from '../../tests/support/au-pay-fixtures';
import type { TestDatabase } from '../../tests/support/database';
import { AU_SHOP_ID, type TestSandbox } from '../../tests/support/sandbox';
import { runPhase } from '../run-phase';
import type { BenchContext, ProcessRunner } from '../process-runner';

/** Trades at the market and stored shipment reports for `n` orders, and the function that runs one chain. */
export function chainRunner(env: TestWorkflowEnvironment, db: TestDatabase, sandbox: TestSandbox, taskQueue: string) {
  return {
    async prepare(tag: string, n: number): Promise<ShipmentReport[]> {
      const reports = Array.from({ length: n }, (_, i): ShipmentReport => {
        // Straight into the emulator rather than over its control API: setup is not what is measured.
        const { orderId: auPayOrderId } = sandbox.auPay.market.createTrade({ shopId: AU_SHOP_ID });
        return {
          shopId: SHOP_ID, orderId: `BENCH-${tag}-${i}`, auPayOrderId, managementClass: '通常',
          shipDate: '2026-11-20', carrier: '1', trackingNumber: `T-${auPayOrderId}`,
        };
      });
      await runPhase(n, 10, (i) => upsertShipmentReport(db.pool, reports[i]!)); // the pool's size
      return reports;
    },
    run: (reports: ShipmentReport[]) => (i: number) => runChain(env, taskQueue, reports[i]!),
  };
}

async function runChain(env: TestWorkflowEnvironment, taskQueue: string, report: ShipmentReport) {
  const handle = await env.client.workflow.start(auPayShipmentWorkflow, {
    workflowId: auPayShipmentWorkflowId(report.shopId, report.orderId), taskQueue, args: [report],
    // as the API starts it (api/au-pay/report-shipment.ts): the first status is shown from the start, free
    typedSearchAttributes: [{ key: SHOP_ID_ATTRIBUTE, value: report.shopId }, { key: ORDER_ID, value: report.orderId }, { key: AU_PAY_LINK_STATUS, value: LINK_STATUS.blank }],
  });
  return { handle, result: await handle.result() };
}

/** Every chain completed, and the market and the database saw each order's two changes exactly once. */
export async function verifyChain(
  results: Array<{ status: string; lastError: string | null }>, reports: ShipmentReport[], db: TestDatabase, sandbox: TestSandbox,
): Promise<string[]> {
  const problems: string[] = [];
  const n = reports.length;
  const notDone = results.map((r, i) => ({ r, i })).filter(({ r }) => r.status !== LINK_STATUS.completed);
  if (notDone.length) {
    problems.push(`${notDone.length}/${n} workflows ended at another status, e.g. ${reports[notDone[0]!.i]!.orderId}: ${JSON.stringify(notDone[0]!.r)}`);
  }
  const ids = new Set(reports.map((r) => r.auPayOrderId));
  const ledger = sandbox.auPay.kit.ledger.list().filter((e) => ids.has(e.orderId));
  for (const operation of ['updateTradeInfoProc', 'updateTradeStsProc']) {
    const applied = ledger.filter((e) => e.operation === operation && e.applied);
    const orders = new Set(applied.map((e) => e.orderId));
    if (applied.length !== n || orders.size !== n) {
      problems.push(`ledger: ${applied.length} applied ${operation} on ${orders.size} orders, expected exactly ${n} on the ${n} bench orders`);
    }
  }
  if (ledger.length !== 2 * n) problems.push(`ledger: ${ledger.length} entries for these orders, expected ${2 * n}`);
  const { rows } = await db.pool.query<{ count: string }>(
    `SELECT count(*) FROM au_pay_orders WHERE shop_id = $1 AND order_id = ANY($2) AND link_status = $3`,
    [SHOP_ID, reports.map((r) => r.orderId), LINK_STATUS.completed],
  );
  if (Number(rows[0]!.count) !== n) problems.push(`database: ${rows[0]!.count}/${n} orders stored as ${LINK_STATUS.completed}`);
  return problems;
}

/** The chain for `npm run bench`. */
export function auPayChainProcess(c: BenchContext): ProcessRunner<ShipmentReport, AuPayShipmentResult> {
  const chain = chainRunner(c.env, c.db, c.sandbox, c.taskQueue);
  return {
    name: 'au PAY chain',
    twinSteps: 5, // checkTradeStatus, auPayShopSettings, pushShippingInfo, auPayShopSettings, pushCompletion
    prepare: (tag, n) => chain.prepare(`AU-${tag}`, n),
    run: async (report) => {
      const { handle, result } = await runChain(c.env, c.taskQueue, report);
      return { handles: [handle], result };
    },
    verify: (reports, runs) => verifyChain(runs.map((r) => r.result), reports, c.db, c.sandbox),
    why: 'its 5 activities are the twin\'s: checkTradeStatus (自動注文情報ステータス取得: a trade canceled at the market stops before the push) '
      + 'and the 2 pushes through the server, and auPayShopSettings before each push (seed 004 §4: the shop\'s 開始/停止 applies to the very next '
      + 'push; one read for both would miss a change between them) as local activities since au-pay-local-settings (in the workflow task, '
      + '1 action each as they fall in separate tasks); 2 AuPayLinkStatus upserts (出荷情報反映済み, 完了: the Web UI lists orders by it; 空欄 is '
      + 'set free at start); 1 TemporalChangeVersion upsert the SDK adds for the run\'s one patch marker (workflows/patch-gate.ts: the current '
      + 'patch stands for the chain\'s 5 earlier ones, which cost 3 markers and 3 upserts per chain until this run)',
  };
}
