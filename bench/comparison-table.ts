import { ACTION_EVENTS, type ActionEvent, type HistoryStats } from './history-stats';
import { percentile, type PhaseResult } from './run-phase';

/**
 * The table every workflow benchmark prints: the subject against its baseline from the same run, row by row, with
 * the ratio (the figure that survives a noisy machine).
 */
export function printComparison(
  o: { unit: string; columns: [subject: string, baseline: string, ratio: string] },
  a: PhaseResult<unknown>, b: PhaseResult<unknown>, ha: HistoryStats, hb: HistoryStats,
): void {
  const rate = (p: PhaseResult<unknown>) => p.results.length / (p.wallMs / 1000);
  const rows: Array<[string, number, number, number]> = [
    [`${o.unit}/s`, rate(a), rate(b), 1],
    ['wall time (s)', a.wallMs / 1000, b.wallMs / 1000, 1],
    ['latency p50 (ms)', percentile(a.latencies, 50), percentile(b.latencies, 50), 0],
    ['latency p95 (ms)', percentile(a.latencies, 95), percentile(b.latencies, 95), 0],
    [`actions/workflow (${ha.sampled} + ${hb.sampled} histories)`, ha.actions, hb.actions, 2],
    ...Object.keys(ACTION_EVENTS).map((k): [string, number, number, number] => [`  ${k}`, ha.actionsByType[k as ActionEvent], hb.actionsByType[k as ActionEvent], 2]),
    ['activity retries/workflow', ha.retries, hb.retries, 2],
    ['history events/workflow', ha.events, hb.events, 1],
    ['history bytes/workflow', ha.bytes, hb.bytes, 0],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const cell = (s: string) => s.padStart(14);
  console.log(`\n${''.padEnd(width)} ${cell(o.columns[0])} ${cell(o.columns[1])} ${cell(o.columns[2])}`);
  for (const [label, x, y, digits] of rows) {
    const ratio = y === 0 ? (x === 0 ? '-' : 'n/a') : `${(x / y).toFixed(2)}x`;
    console.log(`${label.padEnd(width)} ${cell(x.toFixed(digits))} ${cell(y.toFixed(digits))} ${cell(ratio)}`);
  }
}
