export interface PhaseResult<T> {
  results: T[];
  /** start→result of each workflow, in ms, indexed like `results` */
  latencies: number[];
  /** from the first start to the last completion, in ms */
  wallMs: number;
}

/**
 * Runs `run(i)` for i in 0..n-1 with at most `concurrency` in flight: each lane takes the next index as soon as its
 * previous workflow completed, so the server and worker see a steady load rather than one burst of n starts.
 */
export async function runPhase<T>(n: number, concurrency: number, run: (i: number) => Promise<T>): Promise<PhaseResult<T>> {
  const results = new Array<T>(n);
  const latencies = new Array<number>(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const started = performance.now();
      results[i] = await run(i);
      latencies[i] = performance.now() - started;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { results, latencies, wallMs: performance.now() - t0 };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
