/** What a poll found for one key: the value, and when (performance.now()) the poll saw it. */
export interface Sighting<V> {
  value: V;
  seenAt: number;
}

/**
 * Waits for rows to appear, cheaply: one query every `everyMs` for the whole set of keys being waited on (PGlite has
 * no LISTEN), never two queries at once, and no query at all while nobody waits. Each waiter resolves with what was
 * found, or undefined after its own timeout.
 */
export class SetPoller<V> {
  private readonly waiters = new Map<string, { resolve: (s: Sighting<V> | undefined) => void; deadline: number }>();
  private looping = false;
  /** queries made so far */
  polls = 0;

  constructor(
    /** the keys among `keys` that exist now, with their values */
    private readonly query: (keys: string[]) => Promise<Map<string, V>>,
    private readonly everyMs = 5,
  ) {}

  waitFor(key: string, timeoutMs: number): Promise<Sighting<V> | undefined> {
    if (this.waiters.has(key)) throw new Error(`already waiting for ${key}`);
    const found = new Promise<Sighting<V> | undefined>((resolve) => {
      this.waiters.set(key, { resolve, deadline: performance.now() + timeoutMs });
    });
    if (!this.looping) {
      this.looping = true;
      void this.loop();
    }
    return found;
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.size) {
        const keys = [...this.waiters.keys()];
        let rows: Map<string, V>;
        try {
          rows = await this.query(keys);
        } catch (err) {
          // A failed poll is retried at the next tick; the waiters' own timeouts bound how long that can go on.
          console.error(`poll: ${(err as Error).message}`);
          rows = new Map();
        }
        this.polls += 1;
        const now = performance.now();
        for (const key of keys) {
          const waiter = this.waiters.get(key)!;
          const value = rows.get(key);
          if (value !== undefined) waiter.resolve({ value, seenAt: now });
          else if (now > waiter.deadline) waiter.resolve(undefined);
          else continue;
          this.waiters.delete(key);
        }
        if (this.waiters.size) await new Promise((r) => setTimeout(r, this.everyMs));
      }
    } finally {
      this.looping = false;
    }
  }
}
