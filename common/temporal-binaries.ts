import { existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..');
const VENV_BIN = path.join(ROOT, '.tools', 'venv', 'bin');

function onPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Temporal CLI (dev server with the Web UI): TEMPORAL_CLI_PATH, else a `temporal` on PATH, else the one
 * scripts/install-temporal.sh put in .tools/ (the same order the script uses).
 */
export function temporalCliPath(): string {
  const found = process.env.TEMPORAL_CLI_PATH ?? onPath('temporal') ?? [path.join(VENV_BIN, 'temporal')].find(existsSync);
  if (!found || !existsSync(found)) throw new Error('Temporal CLI not found: run `npm run setup`, or set TEMPORAL_CLI_PATH');
  return found;
}

/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, else one on PATH, else the installed one. */
export function temporalTestServerPath(): string {
  const found = process.env.TEMPORAL_TEST_SERVER_PATH ?? onPath('temporal-test-server') ?? [path.join(VENV_BIN, 'temporal-test-server')].find(existsSync);
  if (!found || !existsSync(found)) throw new Error('Temporal test server not found: run `npm run setup`, or set TEMPORAL_TEST_SERVER_PATH');
  return found;
}
