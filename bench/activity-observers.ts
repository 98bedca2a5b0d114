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
