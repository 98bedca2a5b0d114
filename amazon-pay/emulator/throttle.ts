/**
 * A token bucket per operation (§5: the real quotas exist but are not public, so they are a setting, off by default).
 * Time is the emulator clock, so a test can refill a bucket by moving the clock.
 */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** True when the call may go ahead; spends a token. */
  allow(operation: string, limits: { burst: number; restorePerSecond: number } | null, now: Date): boolean {
    if (!limits) return true;
    const t = now.getTime();
    const bucket = this.buckets.get(operation) ?? { tokens: limits.burst, at: t };
    bucket.tokens = Math.min(limits.burst, bucket.tokens + (Math.max(0, t - bucket.at) / 1000) * limits.restorePerSecond);
    bucket.at = t;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
