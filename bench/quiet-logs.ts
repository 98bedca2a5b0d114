/**
 * The API's IPN route logs one INFO line per IPN on stdout (common/logger.ts has no level setting): thousands of
 * lines in a benchmark's output. They are still formatted, as in production, but not written; warnings, errors and
 * every other line pass. Returns how many were held back.
 */
export function holdBackIpnInfoLines(): () => number {
  const INFO_IPN = /^\S+ INFO \[ipn\] /;
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let held = 0;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && INFO_IPN.test(chunk)) {
      held += 1;
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => held;
}
