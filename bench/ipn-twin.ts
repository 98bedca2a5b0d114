/**
 * The IPN path's twin, for bench:ipn-open-loop: the engine's own cost of what an IPN makes Temporal do (a signal to an
 * open workflow, one workflow task with two local activities, its completion), with nothing of renkei's around it (no
 * API, no SNS signature, no sandbox, no database). Its workflows (bench/signal-twin-workflow.ts) run on a worker in
 * its own process (bench/twin-worker-main.ts), as renkei's does; the bench signals them straight from this process at
 * the same open-loop rates, and a run's latency is from when its signal was due to the workflow's completion.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startWorkerProcess } from '../tests/support/worker-process';
import { buildWorkflowBundle } from '../workers/workflow-bundle';
import { cpuSince, readCpu, type CpuReading } from './cpu-meter';
import { openLoop, type OpenLoopResult } from './open-loop';
import { WARMUP } from './ipn-rig';
import { runPhase } from './run-phase';
import { signalTwinWorkflow, wakeSignal } from './signal-twin-workflow';

const TASK_QUEUE = 'bench-ipn-twin';
/** the authorization's local activities after an IPN: readCharge, recordPayment */
const LOCAL_STEPS = 2;

export interface IpnTwin {
  /** `rate × seconds` twins started and left waiting (untimed), then each signalled at its due time; the CPU used meanwhile */
  step(tag: string, rate: number, seconds: number): Promise<OpenLoopResult<number> & { cpu: CpuReading }>;
  stop(): Promise<void>;
}

export async function startIpnTwin(client: Client, temporalAddress: string): Promise<IpnTwin> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'renkei-ipn-twin-'));
  const bundle = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundle, await buildWorkflowBundle(require.resolve('./signal-twin-workflow')));
  const worker = await startWorkerProcess({ TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: TASK_QUEUE, TWIN_WORKFLOW_BUNDLE: bundle },
    undefined, path.resolve(__dirname, 'twin-worker-main.ts')).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const stop = async (): Promise<void> => {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const signalled = async (handle: WorkflowHandle<typeof signalTwinWorkflow>) => {
    await handle.signal(wakeSignal);
    return handle.result();
  };
  const startTwins = async (tag: string, n: number) => (await runPhase(n, 20, (i) => client.workflow.start(signalTwinWorkflow, {
    workflowId: `bench-ipn-twin:${tag}:${i}`, taskQueue: TASK_QUEUE, args: [LOCAL_STEPS],
  }))).results;
  try {
    // untimed first, as the IPNs' warm-up: the worker's first runs (JIT, connections, its cache) are not the engine's cost
    const warm = await startTwins('W', WARMUP);
    for (const handle of warm) await signalled(handle);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    async step(tag, rate, seconds) {
      const started = await startTwins(tag, Math.round(rate * seconds));
      await new Promise((r) => setTimeout(r, 1000)); // their first workflow tasks done: only the signals are measured
      const before = readCpu();
      const run = await openLoop(rate, seconds, (i) => signalled(started[i]!));
      return { ...run, cpu: cpuSince(before) };
    },
    stop,
  };
}
