export interface BenchArgs {
  orders: number;
  concurrency: number;
}

const USAGE = 'usage: npm run bench -- [--orders N] [--concurrency C]   (positive integers; defaults 500 and 50)';

/** Reads `--orders N` / `--concurrency C` (also `--orders=N`); anything else is an error with the usage line. */
export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { orders: 500, concurrency: 50 };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(name in args)) throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    const raw = inline ?? argv[++i];
    if (raw === undefined || !/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new Error(`${flag} needs a positive integer, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}\n${USAGE}`);
    }
    args[name as keyof BenchArgs] = Number(raw);
  }
  return args;
}
