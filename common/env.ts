import { z } from 'zod';
import { exitWithSupervisor } from './parent-watch';

/** Thrown when the environment does not configure a process correctly; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses process environment variables with a zod shape. Every problem is reported at once, by variable name,
 * so an operator fixes the deployment in one go.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  // an empty variable is an unset one (compose passes `${VAR:-}` for an optional variable left out)
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = z.object(shape).safeParse(given);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = env[name];
    return value === undefined ? `  ${name}: missing (${issue.message})` : `  ${name}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/**
 * Runs a process's main, turning a ConfigError into a clear message and exit code 2 instead of a stack trace. A process
 * started by `npm start`'s supervisor also stops when the supervisor dies.
 */
export function runMain(main: () => Promise<void>): void {
  // under `npm start`: stop with the supervisor, even when it is killed outright
  exitWithSupervisor();
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  });
}

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
export const url = () => z.string().url();
export const nonEmpty = () => z.string().trim().min(1);
