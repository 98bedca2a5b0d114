/**
 * `npm run bench:ipn-open-loop [-- --quick] [--seconds S] [--ramp-seconds R]`: IPN → order data OUT row latency at
 * steady open-loop rates (5, 10, 20 IPNs/s for S seconds each, default 60, `--quick` 15), against the API's own
 * GET /health sent by the same client at the same rate, interleaved, in the same run; where the time goes at 10/s
 * (bench/ipn-breakdown.ts); then a ramp (20, 30, 40, 60, 80/s for R seconds each, default 10, `--quick` 5) to the
 * rate at which p99 passes 1 s. Arrivals follow the clock, not completions, and each latency counts from when its
 * IPN was due (bench/open-loop.ts). Machines are noisy: the figures that mean something are the ratios to /health.
 * The worker runs in its own process as npm start runs it; `--worker-in-process` puts it beside the API and the sandbox,
 * where the breakdown also times its activities.
 * Nothing is asserted on time; exit 1 only when an IPN's row never appeared at the steady rates.
 */
import os from 'node:os';
import { Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '../workers/workflow-bundle';
import { temporalSdkLogger } from '../common/temporal-logger';
import { parseIntFlags } from './args';
import { ipnBreakdown, type MeasuredIpn } from './ipn-breakdown';
import { startIpnRig, WARMUP, type IpnRig } from './ipn-rig';
import { cpuPer, cpuSince, readCpu, type CpuReading } from './cpu-meter';
import { startIpnTwin } from './ipn-twin';
import { openLoop, type OpenLoopResult } from './open-loop';
import { holdBackChildLines, holdBackIpnInfoLines } from './quiet-logs';
import { percentile, runPhase } from './run-phase';
import { alignedText } from './text-table';

const USAGE = 'usage: npm run bench:ipn-open-loop -- [--quick] [--worker-in-process] [--seconds S] [--ramp-seconds R] [--poll-ms P]   (positive integers; defaults 60, 10, 5; --quick: 15, 5)';
const STEADY_RATES = [5, 10, 20];
const RAMP_RATES = [20, 30, 40, 60, 80];
/** the rate whose IPNs are broken down milestone by milestone */
const BREAKDOWN_RATE = 10;
const P99_LIMIT_MS = 1000;
const PREPARE_CONCURRENCY = 20;
const OUTBOX_TIMEOUT_MS = 20_000;

interface StepFigures {
  rate: number;
  ipns: number;
  missed: number;
  seen: number[];
  written: number[];
  health: number[];
  healthErrors: number;
  /** IPNs completed per second over the step (from the first due to the last row seen) */
  achieved: number;
  maxSendLagMs: number;
  measured: MeasuredIpn[];
  /** CPU used over the step, by process */
  cpu: CpuReading;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const worker = argv.includes('--worker-in-process') ? 'in-process' : 'process';
  let args: { seconds: number; 'ramp-seconds': number; 'poll-ms': number };
  try {
    args = parseIntFlags(argv.filter((a) => a !== '--quick' && a !== '--worker-in-process'), { seconds: quick ? 15 : 60, 'ramp-seconds': quick ? 5 : 10, 'poll-ms': 5 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  Runtime.install({ logger: temporalSdkLogger('warn') });
  const heldBack = holdBackIpnInfoLines();
  // the worker processes' lines below warn (one per order status change), as bench/worker-bench-world.ts holds them
  holdBackChildLines('worker');
  holdBackChildLines('twin-worker');
  console.log(`IPN → order data OUT, open loop: ${STEADY_RATES.join(', ')} IPNs/s for ${args.seconds} s each, then ${RAMP_RATES.join(', ')}/s for ${args['ramp-seconds']} s each`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
  console.log(worker === 'process'
    ? 'the dev server (in memory), PGlite (or DATABASE_URL) and the worker (workers/main.ts) each in their own process, as npm start runs them; the API and the sandbox in this process; /health in the same run\n'
    : 'the dev server (in memory) and PGlite (or DATABASE_URL) each in their own process; one worker (its activities timed), the API and the sandbox in this process; /health in the same run\n');

  const workflowBundle = worker === 'in-process' ? { code: await buildWorkflowBundle() } : undefined;
  const rig = await startIpnRig({ workflowBundle, pollMs: args['poll-ms'], worker });
  try {
    const warm = await rig.prepare('W', WARMUP, PREPARE_CONCURRENCY);
    await runPhase(WARMUP, 1, (i) => rig.resolveAndSee(warm[i]!, OUTBOX_TIMEOUT_MS));
    await runPhase(WARMUP, 1, () => rig.get(`${rig.apiUrl}/health`));

    const steady: StepFigures[] = [];
    let breakdown: string[] = [];
    for (const rate of STEADY_RATES) {
      const step = await runStep(rig, `S${rate}`, rate, args.seconds);
      steady.push(step);
      console.log(stepLine(step));
      if (rate === BREAKDOWN_RATE) breakdown = await ipnBreakdown(rig.env.client, step.measured, rig.ipnTimings, rig.signalTimings, rig.activityTimings);
      rig.ipnTimings.clear();
      rig.signalTimings.clear();
    }
    const ramp: StepFigures[] = [];
    let passedAt: number | undefined;
    for (const rate of RAMP_RATES) {
      const step = await runStep(rig, `R${rate}`, rate, args['ramp-seconds']);
      ramp.push(step);
      console.log(stepLine(step));
      rig.ipnTimings.clear();
      rig.signalTimings.clear();
      if (step.missed || percentile(step.seen, 99) > P99_LIMIT_MS) {
        passedAt = rate;
        break;
      }
    }

    // The engine's ceiling for the same shape, on the same dev server: its twin at 10/s and up the same ramp.
    console.log('\nthe twin (a signal, one workflow task with 2 no-op local activities, the completion; no API, no sandbox, no database):');
    const twin = await startIpnTwin(rig.env.client, rig.address);
    const twinSteps: TwinFigures[] = [];
    let twinPassedAt: number | undefined;
    try {
      for (const [i, rate] of [BREAKDOWN_RATE, ...RAMP_RATES].entries()) {
        const step = twinFigures(rate, await twin.step(`T${rate}`, rate, i === 0 ? args.seconds : args['ramp-seconds']));
        twinSteps.push(step);
        console.log(`  ${rate}/s: ${step.runs} runs, p50 ${p(step.latencies, 50)} p99 ${p(step.latencies, 99)} ms${step.errors ? `, ${step.errors} failed` : ''}`);
        if (i > 0 && (step.errors || percentile(step.latencies, 99) > P99_LIMIT_MS)) {
          twinPassedAt = rate;
          break;
        }
      }
    } finally {
      await twin.stop();
    }

    console.log(`\nIPN → order data OUT row at steady rates (${args.seconds} s each) and a ramp (${args['ramp-seconds']} s each), open loop`);
    console.log(table([...steady, ...ramp]));
    console.log(`\np99 passes ${P99_LIMIT_MS} ms at: ${passedAt === undefined ? `not reached by ${RAMP_RATES.at(-1)}/s` : `${passedAt}/s (the last rate under it: ${ramp.length > 1 ? `${ramp.at(-2)!.rate}/s` : 'none'})`}`);
    console.log(`\nthe twin, signal due → workflow completed (${args.seconds} s at ${BREAKDOWN_RATE}/s, then the ramp's ${args['ramp-seconds']} s steps); ratio = IPN row written ÷ twin at the same rate and step`);
    console.log(twinTable(twinSteps, [...steady, ...ramp]));
    console.log(`the twin's p99 passes ${P99_LIMIT_MS} ms at: ${twinPassedAt === undefined ? `not reached by ${RAMP_RATES.at(-1)}/s` : `${twinPassedAt}/s`}`);
    console.log('\nCPU per IPN (or twin run) over each step, ms, by process: the box has 2 × 1000 ms of CPU per second');
    for (const st of [...steady, ...ramp]) console.log(`  IPN ${st.rate}/s: ${cpuPer(st.cpu, st.ipns)}`);
    for (const t of twinSteps) console.log(`  twin ${t.rate}/s: ${cpuPer(t.cpu, t.runs)}`);
    console.log(`\nwhere the time goes at ${BREAKDOWN_RATE}/s:`);
    console.log(breakdown.join('\n'));
    console.log('\nseen = the first poll of order_outbox that has the row (one query for the in-flight set, '
      + `${args['poll-ms']} ms apart); written = the row's created_at; /health = GET /health at the same rate, interleaved; all from when each was due`);
    console.log(`(${heldBack()} INFO lines of the API's IPN route held back from this output)`);
    const missed = steady.reduce((s, x) => s + x.missed, 0);
    if (missed) {
      console.error(`\nVERIFICATION FAILED: ${missed} IPNs at the steady rates never produced their order data OUT row within ${OUTBOX_TIMEOUT_MS} ms`);
      return 1;
    }
    return 0;
  } finally {
    await rig.stop();
  }
}

/** One rate: its orders prepared (untimed), then IPNs and /health calls at that rate, interleaved. */
async function runStep(rig: IpnRig, tag: string, rate: number, seconds: number): Promise<StepFigures> {
  const orders = await rig.prepare(tag, Math.round(rate * seconds), PREPARE_CONCURRENCY);
  const cpuBefore = readCpu();
  const [ipn, health] = await Promise.all([
    openLoop(rate, seconds, (i) => rig.resolveAndSee(orders[i]!, OUTBOX_TIMEOUT_MS)),
    openLoop(rate, seconds, () => rig.get(`${rig.apiUrl}/health`), 500 / rate),
  ]);
  const measured: MeasuredIpn[] = orders.map((order, i) => ({ order, due: ipn.dueAt[i]!, writtenAt: ipn.results[i]?.writtenAt, seenAt: ipn.results[i]?.seenAt }));
  const ok = measured.filter((m) => m.seenAt !== undefined);
  const lastSeen = Math.max(...ok.map((m) => m.seenAt!));
  return {
    rate, ipns: orders.length, missed: orders.length - ok.length,
    seen: ok.map((m) => m.seenAt! - m.due),
    written: ok.map((m) => m.writtenAt! - (performance.timeOrigin + m.due)),
    health: health.latencies, healthErrors: health.errors,
    achieved: ok.length ? ok.length / ((lastSeen - ipn.dueAt[0]!) / 1000) : 0,
    maxSendLagMs: Math.max(ipn.maxSendLagMs, health.maxSendLagMs),
    measured,
    cpu: cpuSince(cpuBefore),
  };
}

interface TwinFigures {
  rate: number;
  runs: number;
  cpu: CpuReading;
  errors: number;
  latencies: number[];
  achieved: number;
}

function twinFigures(rate: number, r: OpenLoopResult<number> & { cpu: CpuReading }): TwinFigures {
  const done = r.dueAt.map((due, i) => due + r.latencies[i]!);
  return {
    rate, runs: r.latencies.length, cpu: r.cpu, errors: r.errors, latencies: r.latencies.filter((_, i) => r.results[i] !== undefined),
    achieved: r.latencies.length / ((Math.max(...done) - r.dueAt[0]!) / 1000),
  };
}

/** Each twin step beside the IPN step of the same rate (the steady one for the steady rate, the ramp's for the ramp). */
function twinTable(twin: TwinFigures[], ipn: StepFigures[]): string {
  const head = ['rate/s', 'runs', 'twin p50', 'twin p99', 'done/s', 'IPN written p50', 'IPN written p99', 'p50 ratio', 'p99 ratio'];
  const rows = twin.map((t, i) => {
    const same = i === 0 ? ipn.find((s) => s.rate === t.rate) : ipn.filter((s) => s.rate === t.rate).at(-1);
    const ratio = (q: number) => (same?.written.length && t.latencies.length ? `${(percentile(same.written, q) / percentile(t.latencies, q)).toFixed(2)}x` : 'n/a');
    return [String(t.rate), String(t.runs), p(t.latencies, 50), p(t.latencies, 99), t.achieved.toFixed(1),
      same ? p(same.written, 50) : 'n/a', same ? p(same.written, 99) : 'n/a', ratio(50), ratio(99)];
  });
  return alignedText(head, rows);
}

const p = (v: number[], q: number) => (v.length ? percentile(v, q).toFixed(1) : 'n/a');

function stepLine(s: StepFigures): string {
  return `  ${s.rate}/s: ${s.ipns} IPNs, seen p50 ${p(s.seen, 50)} p99 ${p(s.seen, 99)} ms, /health p50 ${p(s.health, 50)} p99 ${p(s.health, 99)} ms${s.missed ? `, ${s.missed} rows missing` : ''}`;
}

function table(steps: StepFigures[]): string {
  const head = ['rate/s', 'IPNs', 'seen p50', 'seen p99', 'written p50', 'written p99', '/health p50', '/health p99', 'p50/health', 'p99/health', 'done/s', 'rows missed', '/health errors', 'send lag'];
  const rows = steps.map((s) => {
    const ratio = (q: number) => (s.seen.length && s.health.length ? `${(percentile(s.seen, q) / percentile(s.health, q)).toFixed(1)}x` : 'n/a');
    return [String(s.rate), String(s.ipns), p(s.seen, 50), p(s.seen, 99), p(s.written, 50), p(s.written, 99), p(s.health, 50), p(s.health, 99),
      ratio(50), ratio(99), s.achieved.toFixed(1), String(s.missed), String(s.healthErrors), s.maxSendLagMs.toFixed(0)];
  });
  return alignedText(head, rows);
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
