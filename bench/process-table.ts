import type { CpuReading } from './cpu-meter';
import { ACTION_KINDS, type OrderCost } from './order-cost';
import { percentile, type PhaseResult } from './run-phase';
import { alignedText, markdown } from './text-table';

/** One process's row: its figures against its twin's from the same run. */
export interface ProcessRow {
  name: string;
  twinSteps: number;
  process: PhaseResult<unknown>;
  twin: PhaseResult<unknown>;
  cost: OrderCost;
  twinCost: OrderCost;
  why: string;
  /** CPU used while each side ran, by process */
  cpu: { process: CpuReading; twin: CpuReading };
}

const rate = (p: PhaseResult<unknown>) => p.results.length / (p.wallMs / 1000);
const HEAD = ['process', 'orders/s', 'twin/s', 'ratio', 'p50 ms', 'p99 ms', 'twin p50/p99', 'actions (twin)', ...ACTION_KINDS, 'events (twin)', 'bytes (twin)'];

function cells(r: ProcessRow): string[] {
  const ratio = rate(r.process) / rate(r.twin);
  const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  return [
    r.name, rate(r.process).toFixed(1), rate(r.twin).toFixed(1), `${ratio.toFixed(2)}${ratio < 0.85 ? ' *' : ''}`,
    percentile(r.process.latencies, 50).toFixed(0), percentile(r.process.latencies, 99).toFixed(0),
    `${percentile(r.twin.latencies, 50).toFixed(0)}/${percentile(r.twin.latencies, 99).toFixed(0)}`,
    `${f(r.cost.total)} (${f(r.twinCost.total)})`, ...ACTION_KINDS.map((k) => f(r.cost.actions[k])),
    `${f(r.cost.events)} (${f(r.twinCost.events)})`, `${r.cost.bytes.toFixed(0)} (${r.twinCost.bytes.toFixed(0)})`,
  ];
}

/** The table as aligned text, for the terminal. */
export const textTable = (rows: ProcessRow[]) => alignedText(HEAD, rows.map(cells));

/** The same table in Markdown, for bench/RESULTS.md. */
export const markdownTable = (rows: ProcessRow[]) => markdown(HEAD, rows.map(cells));

const CPU_PARTS = ['bench process', 'dev server', 'database'];
const total = (c: CpuReading) => [...c.values()].reduce((a, b) => a + b, 0);
const CPU_HEAD = ['process', 'CPU ms/order (twin)', ...CPU_PARTS.map((k) => `${k} (twin)`), 'twin ÷ process CPU', 'cores busy (twin)'];

function cpuCells(r: ProcessRow): string[] {
  const per = (c: CpuReading, p: PhaseResult<unknown>, k?: string) => ((k === undefined ? total(c) : c.get(k) ?? 0) / p.results.length).toFixed(1);
  const both = (k?: string) => `${per(r.cpu.process, r.process, k)} (${per(r.cpu.twin, r.twin, k)})`;
  const busy = (c: CpuReading, p: PhaseResult<unknown>) => (total(c) / p.wallMs).toFixed(2);
  const ratio = (total(r.cpu.twin) / r.twin.results.length) / (total(r.cpu.process) / r.process.results.length);
  return [r.name, both(), ...CPU_PARTS.map((k) => both(k)), ratio.toFixed(2), `${busy(r.cpu.process, r.process)} (${busy(r.cpu.twin, r.twin)})`];
}

/**
 * Where each order's CPU went, the process against its twin: the bench process holds the worker, the sandbox and the
 * bench's own polling; the dev server and the database are their own processes. On a machine the rounds saturate,
 * "twin ÷ process CPU" is about what the ratio of rates can reach.
 */
export const cpuTextTable = (rows: ProcessRow[]) => alignedText(CPU_HEAD, rows.map(cpuCells));

export const cpuMarkdownTable = (rows: ProcessRow[]) => markdown(CPU_HEAD, rows.map(cpuCells));
