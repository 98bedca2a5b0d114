/**
 * Log lines held back from this process's stdout, so a benchmark's own lines stand out; warnings, errors and every
 * other line pass. Each function returns how many were held back.
 */

/** The API's IPN route logs one INFO line per IPN: thousands of lines in a benchmark's output. */
export function holdBackIpnInfoLines(): () => number {
  const INFO_IPN = /"level":"info".*"component":"(ipn|business)"/; // one IPN routed and one order status changed per IPN
  return holdBackLines((line) => INFO_IPN.test(line));
}

/** only a child's JSON lines below warn are held back: its plain stderr (a crash's stack) passes too */
const QUIET = /"level":"(trace|debug|info)"/;

/** A child process's lines (scripts/child-processes.ts prefixes them `[name]`), below warn. */
export function holdBackChildLines(name: string): () => number {
  const prefix = `[${name}]`;
  return holdBackLines((line) => line.startsWith(prefix) && QUIET.test(line));
}

/** Every string written to stdout that `quiet` matches is dropped (its callback still called). */
function holdBackLines(quiet: (line: string) => boolean): () => number {
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let held = 0;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && quiet(chunk)) {
      held += 1;
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => held;
}
