import type { WorkflowHandle } from '@temporalio/client';
import { cpuSince, readCpu, type CpuReading } from './cpu-meter';
import { runPhase, type PhaseResult } from './run-phase';

/** A process's measured orders and its twin's, each as one phase made of the rounds it ran in. */
export interface PairedPhases<I, R> {
  inputs: I[];
  process: PhaseResult<{ handles: WorkflowHandle[]; result: R }>;
  twin: PhaseResult<{ handles: WorkflowHandle[]; result: number }>;
  /** CPU used while each side's rounds ran, by process (bench/cpu-meter.ts) */
  cpu: { process: CpuReading; twin: CpuReading };
}

/**
 * Runs `n` orders of a process and `n` of its twin in `rounds` alternating rounds (process first in even rounds, twin
 * first in odd ones), so a noisy moment of the shared machine falls on both alike; each round's orders are prepared
 * before it, untimed. Rates are then total orders over the summed wall time of each side's rounds.
 */
export async function alternatePhases<I, R>(o: {
  n: number; rounds: number; concurrency: number;
  prepare: (tag: string, n: number) => Promise<I[]>;
  run: (input: I) => Promise<{ handles: WorkflowHandle[]; result: R }>;
  twin: (round: number, i: number) => Promise<{ handles: WorkflowHandle[]; result: number }>;
}): Promise<PairedPhases<I, R>> {
  const inputs: I[] = [];
  const empty = () => ({ results: [], latencies: [], wallMs: 0 });
  const process: PairedPhases<I, R>['process'] = empty();
  const twin: PairedPhases<I, R>['twin'] = empty();
  const cpu = { process: new Map() as CpuReading, twin: new Map() as CpuReading };
  const add = <T>(into: PhaseResult<T>, p: PhaseResult<T>) => {
    into.results.push(...p.results);
    into.latencies.push(...p.latencies);
    into.wallMs += p.wallMs;
  };
  const metered = async <T>(side: CpuReading, phase: () => Promise<T>): Promise<T> => {
    const before = readCpu();
    const out = await phase();
    for (const [k, v] of cpuSince(before)) side.set(k, (side.get(k) ?? 0) + v);
    return out;
  };
  for (let r = 0; r < o.rounds; r += 1) {
    const size = Math.floor(o.n / o.rounds) + (r < o.n % o.rounds ? 1 : 0);
    const batch = await o.prepare(`R${r}`, size);
    inputs.push(...batch);
    const runProcess = async () => add(process, await metered(cpu.process, () => runPhase(size, o.concurrency, (i) => o.run(batch[i]!))));
    const runTwin = async () => add(twin, await metered(cpu.twin, () => runPhase(size, o.concurrency, (i) => o.twin(r, i))));
    if (r % 2 === 0) {
      await runProcess();
      await runTwin();
    } else {
      await runTwin();
      await runProcess();
    }
  }
  return { inputs, process, twin, cpu };
}
