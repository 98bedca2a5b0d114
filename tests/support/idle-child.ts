import { runMain } from '../../common/env';

/** A child for the supervisor tests, with the entry points' runMain: says it is ready, then idles, or exits if told to. */
runMain(async () => {
  process.stdout.write(`idle child ready pid=${process.pid}\n`);
  if (process.env.IDLE_CHILD_EXIT_CODE) process.exit(Number(process.env.IDLE_CHILD_EXIT_CODE));
  setInterval(() => undefined, 60_000);
  process.once('SIGTERM', () => process.exit(0));
});
