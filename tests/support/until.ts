/**
 * Polls `probe` in real time until it gives something other than undefined, null or false, and returns that. For waiting
 * on other processes (a worker, the dev server, the sandbox); never a timed assertion, only a bound on the wait.
 */
export async function until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms for: ${probe.toString().slice(0, 160)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
