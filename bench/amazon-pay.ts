/**
 * `npm run bench:amazon-pay [-- --ipns N --concurrency C --years Y]`: two Amazon Pay measurements, one after the other.
 * 1. IPN-to-outbox latency (p50, p99) through the sandbox's signed IPN, the real API, the Temporal dev server, one
 *    worker and PostgreSQL, against a plain HTTP round trip measured on this machine in this run: machines are noisy,
 *    so the figures that mean something are the ratios.
 * 2. History events per simulated year of a monthly recurring parent, on the time-skipping server, and its largest
 *    run: counts, the same on any machine.
 * Nothing is asserted on time; the run fails (exit 1) only when the system did not do exactly what it should.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '../workers/workflow-bundle';
import { temporalSdkLogger } from '../common/temporal-logger';
import { temporalCliPath, temporalTestServerPath } from '../common/temporal-binaries';
import { parseIntFlags } from './args';
import { ipnLatencyBench } from './ipn-latency';
import { holdBackChildLines, holdBackIpnInfoLines } from './quiet-logs';
import { recurringHistoryBench } from './recurring-history';

const USAGE = 'usage: npm run bench:amazon-pay -- [--ipns N] [--concurrency C] [--years Y]   (positive integers; defaults 1000, 20 and 5)';
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<number> {
  let args: { ipns: number; concurrency: number; years: number };
  try {
    args = parseIntFlags(process.argv.slice(2), { ipns: 1000, concurrency: 20, years: 5 }, USAGE);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // The SDK logs every worker state change at INFO; only trouble is worth seeing in a benchmark's output.
  Runtime.install({ logger: temporalSdkLogger('warn') }); // the SDK's lines as renkei's, warn and above
  const heldBack = holdBackIpnInfoLines();
  holdBackChildLines('worker'); // the IPN latency's worker process (bench/ipn-rig.ts), below warn
  printHeader(args);

  // One bundle of today's workflows/ for both workers (not the tests' prebuilt one, which may be stale).
  const code = await buildWorkflowBundle();
  const workflowBundle = { code };

  const latencyProblems = await ipnLatencyBench({ ipns: args.ipns, concurrency: args.concurrency });
  if (latencyProblems.length) return fail('IPN-to-outbox latency', latencyProblems);
  const historyProblems = await recurringHistoryBench({ years: args.years, workflowBundle });
  if (historyProblems.length) return fail('recurring history', historyProblems);
  console.log(`\n(${heldBack()} INFO lines of the API's IPN route held back from this output)`);
  return 0;
}

function fail(part: string, problems: string[]): number {
  console.error(`\nVERIFICATION FAILED (${part}): no figures reported\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return 1;
}

function printHeader(args: { ipns: number; concurrency: number; years: number }) {
  const version = (bin: () => string, flag: string[]) => {
    try {
      return execFileSync(bin(), flag, { encoding: 'utf8' }).trim().split('\n')[0]!;
    } catch {
      return '?'; // only informational
    }
  };
  console.log(`Amazon Pay benchmark: ${args.ipns} IPNs, ${args.concurrency} in flight; a monthly recurring parent for ${args.years} simulated years`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), ${MiB(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`);
  console.log(`temporal: ${version(temporalCliPath, ['--version'])} (dev server, in-memory) for 1; time-skipping test server (${path.relative(process.cwd(), temporalTestServerPath())}) for 2`);
  console.log('PGlite (or DATABASE_URL) in its own process, as npm start runs it; one worker, the API and the sandbox in this process; baseline measured in the same run\n');
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
