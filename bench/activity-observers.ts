/**
 * Lets a bench runner hear, in this process, that one of the worker's activities completed, instead of polling the
 * database for what it wrote (a load on the database the measured process shares, which its twin never has).
 * `npm run bench` wraps the worker's activities with it once the runners have said what they listen to.
 */
export class ActivityObservers {
  private readonly byName = new Map<string, Array<(input: unknown) => void>>();

  /** `fn` hears the input of every completed call of `activity` (local or not), after it returned. */
  on<T>(activity: string, fn: (input: T) => void): void {
    this.byName.set(activity, [...(this.byName.get(activity) ?? []), fn as (input: unknown) => void]);
  }

  /**
   * A waiter for calls of `activity`: `waiter(key)` is a promise of the next completed call whose input `keyOf` maps to
   * `key` (undefined: a call not waited for), rejected after `timeoutMs`. Call it before starting what makes the call:
   * a local activity can complete before the workflow's start returns.
   */
  waiter<T>(activity: string, keyOf: (input: T) => string | undefined, timeoutMs: number): (key: string) => Promise<void> {
    const waiting = new Map<string, () => void>();
    this.on<T>(activity, (input) => {
      const key = keyOf(input);
      if (key !== undefined) waiting.get(key)?.();
    });
    return (key) => {
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          reject(new Error(`${key}: no ${activity} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(key, () => {
          clearTimeout(timer);
          waiting.delete(key);
          resolve();
        });
      });
      done.catch(() => undefined); // when what should make the call fails first, that failure is the one reported
      return done;
    };
  }

  wrap<A extends object>(activities: A): A {
    const wrapped = { ...activities } as Record<string, unknown>;
    for (const [name, fns] of this.byName) {
      const original = wrapped[name];
      if (typeof original !== 'function') throw new Error(`no activity ${name} to observe`);
      wrapped[name] = async (input: unknown, ...rest: unknown[]) => {
        const result: unknown = await (original as (...a: unknown[]) => Promise<unknown>).call(activities, input, ...rest);
        for (const fn of fns) fn(input);
        return result;
      };
    }
    return wrapped as A;
  }
}
