import { condition } from '@temporalio/workflow';

/**
 * Works through `items` in `lanes` concurrent lanes, each taking the next item when its last step ends, until none is
 * left or `stopped()` says so (items in flight finish). Step results are handed to `record` `recordEvery` at a time, and
 * the rest once every lane has ended: the bulk actions and the shipment import record their outcomes this way.
 */
export async function runInLanes<T, R>(o: {
  items: readonly T[];
  lanes: number;
  recordEvery: number;
  stopped: () => boolean;
  step: (item: T) => Promise<R>;
  record: (results: R[]) => Promise<void>;
}): Promise<void> {
  const waiting = [...o.items];
  const unrecorded: R[] = [];
  let lanesRunning = o.lanes;

  async function lane(): Promise<void> {
    for (let next = waiting.shift(); next !== undefined && !o.stopped(); next = waiting.shift()) {
      unrecorded.push(await o.step(next));
    }
    lanesRunning -= 1;
  }

  async function recorder(): Promise<void> {
    for (;;) {
      await condition(() => unrecorded.length >= o.recordEvery || lanesRunning === 0);
      if (unrecorded.length > 0) await o.record(unrecorded.splice(0));
      else if (lanesRunning === 0) return;
    }
  }

  await Promise.all([...Array.from({ length: o.lanes }, lane), recorder()]);
}

/** The failure's own words: retries exhausted, an activity's error is the innermost cause of the ActivityFailure. */
export function innermostMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown };
  while (e.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return e.message ?? String(err);
}
