import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';

/** Where the recorded histories live; tests/workflows/recorded-histories-replay.test.ts replays every file in it. */
export const HISTORIES_DIR = path.resolve(__dirname, '../workflows/histories');

/**
 * With RECORD_HISTORIES=1, keeps a workflow's history (its latest run; an open one too, which replays as far as it
 * went) as tests/workflows/histories/<name>.history.pb, name being `<workflow file>-<case>`. Otherwise nothing.
 */
export async function recordHistory(handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  writeFileSync(path.join(HISTORIES_DIR, `${name}.history.pb`), temporal.api.history.v1.History.encode(history).finish());
}
