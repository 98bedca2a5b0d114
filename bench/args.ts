export interface BenchArgs {
  orders: number;
  concurrency: number;
}

const USAGE = 'usage: npm run bench -- [--orders N] [--concurrency C]   (positive integers; defaults 500 and 50)';

/** Reads `--orders N` / `--concurrency C` (also `--orders=N`); anything else is an error with the usage line. */
export function parseArgs(argv: string[]): BenchArgs {
  return parseIntFlags(argv, { orders: 500, concurrency: 50 }, USAGE);
}

/**
 * Reads `--name N` / `--name=N` for each key of `defaults` (positive integers), over a copy of `defaults`; an unknown
 * flag or a bad value is an error ending with `usage`.
 */
export function parseIntFlags<T extends Record<string, number>>(argv: string[], defaults: T, usage: string): T {
  const args: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !Object.hasOwn(args, name)) throw new Error(`unknown argument ${argv[i]}\n${usage}`);
    const raw = inline ?? argv[++i];
    if (raw === undefined || !/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new Error(`${flag} needs a positive integer, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}\n${usage}`);
    }
    args[name] = Number(raw);
  }
  return args as T;
}
