/**
 * Open-loop arrivals: the i-th call is due at start + i/rate, whatever the earlier calls are doing, and its latency
 * counts from when it was due, not from when it actually left. A closed loop (N in flight) waits for completions
 * before sending more, so a slow system is offered less load and its stalls hide (coordinated omission); here a
 * stall shows as the latency of every call that was due during it.
 */
export interface OpenLoopResult<T> {
  /** each call's result, in arrival order; undefined when it threw */
  results: Array<T | undefined>;
  /** due → done, in ms */
  latencies: number[];
  /** when each call was due (performance.now()) */
  dueAt: number[];
  /** calls that threw, with the first error */
  errors: number;
  firstError?: string;
  /** how late the calls left after they were due, at worst (the sender's own lag), ms */
  maxSendLagMs: number;
}

/**
 * Calls `run(i, dueAt)` `Math.round(rate * seconds)` times at `rate` per second from now (`offsetMs` later for a
 * second stream interleaved with a first), and resolves once every call has ended.
 */
export async function openLoop<T>(rate: number, seconds: number, run: (i: number, dueAt: number) => Promise<T>, offsetMs = 0): Promise<OpenLoopResult<T>> {
  const n = Math.round(rate * seconds);
  const start = performance.now() + offsetMs;
  const out: OpenLoopResult<T> = { results: new Array(n), latencies: new Array(n), dueAt: new Array(n), errors: 0, maxSendLagMs: 0 };
  const calls: Array<Promise<void>> = [];
  for (let i = 0; i < n; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    out.maxSendLagMs = Math.max(out.maxSendLagMs, performance.now() - due);
    out.dueAt[i] = due;
    calls.push(run(i, due).then(
      (r) => {
        out.results[i] = r;
        out.latencies[i] = performance.now() - due;
      },
      (err: unknown) => {
        out.errors += 1;
        out.firstError ??= err instanceof Error ? err.message : String(err);
        out.latencies[i] = performance.now() - due;
      },
    ));
  }
  await Promise.all(calls);
  return out;
}
