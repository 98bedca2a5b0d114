/**
 * A child process's log lines (scripts/child-processes.ts prefixes them `[name]`) held back from this process's
 * stdout, so a benchmark's own lines stand out; its warnings and errors, and every other line, pass. Returns how many
 * were held back.
 */
/** only a child's JSON lines below warn are held back: its plain stderr (a crash's stack) passes too */
const QUIET = /"level":"(trace|debug|info)"/;

export function holdBackChildLines(name: string): () => number {
  const prefix = `[${name}]`;
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let held = 0;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith(prefix) && QUIET.test(chunk)) {
      held += 1;
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => held;
}
