/**
 * Measurement 2: what a monthly recurring parent (定期親受注) leaves in Temporal's history per simulated year, on the
 * time-skipping server with the real activities against the sandbox and the database. Its continue-as-new chain is
 * followed run by run from the first; counts and sizes do not depend on the machine.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { registerSearchAttributes } from '../workers/register-search-attributes';
import { temporalTestServerPath } from '../common/temporal-binaries';
import { insertRecurringParent, listRecurringChildren } from '../db/amazon-pay-recurring';
import { createRenkeiWorker } from '../workers/create-worker';
import { amazonPayRecurringWorkflow, type RecurringParentInput } from '../workflows/amazon-pay-recurring';
import { closeParentUpdate, recurringStateQuery } from '../workflows/amazon-pay-recurring-messages';
import { amazonPayRecurringWorkflowId } from '../workflows/workflow-ids';
import { activityDeps, NOTIFY_EMAIL, SHOP_ID } from '../tests/support/au-pay-fixtures';
import { amazonPayTestClient, followServerClock, mintChargePermission } from '../tests/support/amazon-pay-fixtures';
import { startTestDatabase } from '../tests/support/database';
import { startTestSandbox } from '../tests/support/sandbox';
import { historyBytes } from './history-stats';

export interface RecurringHistoryOptions {
  years: number;
  workflowBundle: { code: string };
}

const TASK_QUEUE = 'bench-amazon-pay-recurring';
const AMOUNT_JPY = 9800;
/** Temporal's default per-run limits (history count / size: the run is terminated past these); warnings from a fifth. */
const LIMIT_EVENTS = 51_200;
const LIMIT_BYTES = 50 * 2 ** 20;
const EventType = temporal.api.enums.v1.EventType;

interface Run {
  runId: string;
  events: number;
  bytes: number;
  /** children charged in this run (chargeRecurringChild scheduled) */
  cycles: number;
  closedBy: string;
}

export async function recurringHistoryBench(o: RecurringHistoryOptions): Promise<string[]> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
    cleanups.push(() => env.teardown());
    await registerSearchAttributes(env.connection, 'default');
    const [db, sandbox] = await Promise.all([startTestDatabase(), startTestSandbox()]);
    cleanups.push(() => db.stop(), () => sandbox.stop());
    const amazonPay = amazonPayTestClient(sandbox);
    const worker = await createRenkeiWorker({
      connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, workflowBundle: o.workflowBundle,
      deps: { ...activityDeps(db.pool, sandbox), amazonPayShop: (s) => (s === SHOP_ID ? { client: amazonPay, notifyEmail: NOTIFY_EMAIL } : undefined) },
      interceptors: followServerClock(sandbox.amazonPay.kit.clock), // the sandbox's months are the server's
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });

    // As tests/workflows/amazon-pay-recurring.test.ts: a Recurring permission minted at the server's now, the first child an hour later.
    const now = await env.currentTimeMs();
    sandbox.amazonPay.kit.clock.set(new Date(now));
    const interval = { unit: 'Month', value: 1 } as const;
    const chargePermissionId = await mintChargePermission(sandbox, {
      chargePermissionType: 'Recurring', frequency: { unit: interval.unit, value: String(interval.value) }, amount: AMOUNT_JPY,
    });
    const input: RecurringParentInput = {
      shopId: SHOP_ID, parentOrderId: 'BENCH-SUB-1', chargePermissionId, captureNow: true, expiryWarningDays: 30,
      plan: { amountJpy: AMOUNT_JPY, interval, firstChargeAt: new Date(now + 60 * 60 * 1000).toISOString() },
    };
    await insertRecurringParent(db.pool, {
      shopId: SHOP_ID, parentOrderId: input.parentOrderId, chargePermissionId, amountJpy: AMOUNT_JPY, intervalUnit: interval.unit, intervalValue: interval.value,
    });
    const workflowId = amazonPayRecurringWorkflowId(SHOP_ID, input.parentOrderId);
    const handle = await env.client.workflow.start(amazonPayRecurringWorkflow, { workflowId, taskQueue: TASK_QUEUE, args: [input] });

    console.log(`\nsimulating ${o.years} years of a monthly ¥${AMOUNT_JPY.toLocaleString('en')} parent on the time-skipping server ...`);
    const started = performance.now();
    for (let year = 1; year <= o.years; year += 1) {
      await env.sleep('365 days');
      const s = await handle.query(recurringStateQuery);
      console.log(`  year ${year}: next cycle ${s.cycle}, ${s.status} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    const simulatedMs = performance.now() - started;

    const problems: string[] = [];
    const state = await handle.query(recurringStateQuery);
    if (state.status !== 'active') problems.push(`the parent is ${state.status} after ${o.years} years, expected active`);
    const kids = await listRecurringChildren(db.pool, SHOP_ID, input.parentOrderId);
    const charged = kids.filter((k) => k.outcome === 'charged' && k.chargeState === 'Captured');
    if (kids.length !== state.cycle - 1 || charged.length !== kids.length || new Set(kids.map((k) => k.chargeId)).size !== kids.length) {
      problems.push(`children: ${kids.length} recorded, ${charged.length} charged and captured, for ${state.cycle - 1} cycles`);
    }
    if (kids.length < 12 * o.years - 1) problems.push(`only ${kids.length} children in ${o.years} years of a monthly plan`);

    const closed = await handle.executeUpdate(closeParentUpdate, { args: ['benchmark over'] });
    const result = await handle.result();
    if (closed.status !== 'closed' || result.status !== 'closed') problems.push(`closing: the update answered ${closed.status}, the workflow ended ${result.status}`);

    const runs = await followRuns(env, workflowId, handle.firstExecutionRunId);
    const cyclesInRuns = runs.reduce((a, r) => a + r.cycles, 0);
    if (cyclesInRuns !== kids.length) problems.push(`histories: ${cyclesInRuns} chargeRecurringChild scheduled over ${runs.length} runs, ${kids.length} children recorded`);
    if (problems.length) return problems;
    printRecurringResults(o.years, runs, kids.length, simulatedMs);
    return [];
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    }
  }
}

/** Each run of the chain, from the first, following each run's continued-as-new event to the next. */
async function followRuns(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | null | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const last = events[events.length - 1];
    runs.push({
      runId,
      events: events.length,
      bytes: historyBytes(history),
      cycles: events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'chargeRecurringChild').length,
      closedBy: (EventType[last?.eventType ?? 0] ?? '?').replace(/^EVENT_TYPE_WORKFLOW_EXECUTION_/, ''),
    });
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

function printRecurringResults(years: number, runs: Run[], children: number, simulatedMs: number) {
  const total = runs.reduce((a, r) => a + r.events, 0);
  const totalBytes = runs.reduce((a, r) => a + r.bytes, 0);
  const largest = runs.reduce((a, r) => (r.events > a.events || (r.events === a.events && r.bytes > a.bytes) ? r : a));
  const largestAt = runs.indexOf(largest) + 1;
  const perYear = total / years;
  const KiB = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(2)}%`;
  const rows: Array<[string, string]> = [
    ['runs (continue-as-new chain)', String(runs.length)],
    ['children charged', String(children)],
    ['total history events', String(total)],
    ['total history bytes', `${totalBytes} (${KiB(totalBytes)})`],
    ['events per simulated year', perYear.toFixed(1)],
    ['events per child', (total / children).toFixed(1)],
    [`largest run (#${largestAt})`, `${largest.events} events, ${largest.bytes} bytes (${KiB(largest.bytes)})`],
    ['  vs default per-run limit', `${pct(largest.events, LIMIT_EVENTS)} of ${LIMIT_EVENTS} events, ${pct(largest.bytes, LIMIT_BYTES)} of 50 MiB`],
    ['  one run without continue-as-new', `would reach ${LIMIT_EVENTS} events after ~${(LIMIT_EVENTS / perYear).toFixed(0)} years`],
    ['cycles per run', runs.map((r) => r.cycles).join(', ')],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n2. History of one monthly ¥${AMOUNT_JPY.toLocaleString('en')} recurring parent over ${years} simulated years (time-skipping server, ${(simulatedMs / 1000).toFixed(1)} s real time; closed at the end)`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(`\n${'run'.padStart(4)} ${'events'.padStart(8)} ${'bytes'.padStart(9)} ${'cycles'.padStart(7)}  ended by`);
  runs.forEach((r, i) => console.log(`${String(i + 1).padStart(4)} ${String(r.events).padStart(8)} ${String(r.bytes).padStart(9)} ${String(r.cycles).padStart(7)}  ${r.closedBy}`));
}
