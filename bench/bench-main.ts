/** What a benchmark started and must stop, pushed as it starts things; run in reverse however the run ends. */
export type Cleanups = Array<() => Promise<unknown>>;

/** Runs a benchmark's body, then its cleanups in reverse, and exits with the body's code (1 when it throws). */
export function runBench(body: (cleanups: Cleanups) => Promise<number>): void {
  const cleanups: Cleanups = [];
  void body(cleanups)
    .catch((err: unknown) => {
      console.error(err);
      return 1;
    })
    .then(async (code) => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      process.exit(code);
    });
}
