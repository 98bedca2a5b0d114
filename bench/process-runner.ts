import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestDatabase } from '../tests/support/database';
import type { TestSandbox } from '../tests/support/sandbox';
import type { ActivityObservers } from './activity-observers';

/** What every process runner is given: the one dev server, database and sandbox of the run, and the worker's queue. */
export interface BenchContext {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  sandbox: TestSandbox;
  taskQueue: string;
  /** the worker's activities, heard as they complete (bench/activity-observers.ts) */
  activities: ActivityObservers;
}

/** One order run through a process: the handles of every workflow it ran (for its cost), and what it returned. */
export interface OrderRun<R = unknown> {
  handles: WorkflowHandle[];
  result: R;
}

/**
 * One process of `npm run bench`: N orders prepared (untimed), each run through the real workflow and activities
 * (timed, start to result), then checked against the sandbox and the database; the twin runs `twinSteps` no-ops.
 */
export interface ProcessRunner<I = unknown, R = unknown> {
  name: string;
  /** the activities of the path measured: the twin runs as many that do nothing */
  twinSteps: number;
  prepare(tag: string, n: number): Promise<I[]>;
  run(input: I): Promise<OrderRun<R>>;
  /** problems with what the orders did (end states at the sandbox and in the database); empty when all is right */
  verify(inputs: I[], runs: Array<OrderRun<R>>): Promise<string[]>;
  /** why each action beyond the twin's is there, for RESULTS.md */
  why: string;
  /** when one order is many units (an import of rows): the why line gets the measured actions and events per unit */
  perUnit?: { name: string; count: number };
  /** the run's sizes for this process, when it cannot take the run's own (e.g. each order takes ≥ 30 s) */
  sizes?(run: RunSizes): RunSizes & { warmup: number };
}

/** Orders per process, alternating rounds, orders in flight. */
export interface RunSizes {
  orders: number;
  rounds: number;
  concurrency: number;
}
