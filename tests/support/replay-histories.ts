import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { HISTORIES_DIR } from './record-history';

export interface RecordedHistory {
  file: string;
  history: temporal.api.history.v1.History;
  /** the workflow type the history started (its first event) */
  workflowType: string;
}

/** Every *.history.pb in tests/workflows/histories, decoded. */
export function recordedHistories(files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.history.pb')).sort()): RecordedHistory[] {
  return files.map((file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES_DIR, file)));
    const workflowType = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(no start event)';
    return { file, history, workflowType };
  });
}

/**
 * Replays the histories on one replay worker (one call for all) and returns each history's file and error, if any.
 * The file name stands in for the workflow id, so a failure names the file it came from.
 */
export async function replayHistories(
  options: ReplayWorkerOptions, histories: RecordedHistory[],
): Promise<Array<{ file: string; error?: Error }>> {
  const results: Array<{ file: string; error?: Error }> = [];
  const replays = Worker.runReplayHistories(options, histories.map((h) => ({ workflowId: h.file, history: h.history })));
  for await (const r of replays) results.push({ file: r.workflowId, ...(r.error ? { error: r.error } : {}) });
  return results;
}
