import { mkdirSync, readdirSync, statSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { z } from 'zod';

/**
 * Builds the operator console into console/dist: the app bundled by esbuild (Preact, no CDN), its page and style, and
 * actions.json, the operator actions' argument forms as JSON Schema made from the catalog's own zod schemas (one
 * source of truth for the API and the console's forms).
 */
const root = __dirname;
export const CONSOLE_DIST = join(root, 'dist');
const src = join(root, 'src');

/** Every file the bundle is made from: the console's sources and the action catalog with the schemas it reads. */
function sources(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const repo = join(root, '..');
  return [...walk(src), __filename, join(repo, 'operators/action-catalog.ts'),
    ...['au-pay', 'oplux', 'yahoo', 'cancel', 'amazon-pay'].map((p) => join(repo, 'api', p, 'schemas.ts'))];
}

/** True when dist is missing or older than a source. */
export function consoleIsStale(): boolean {
  const bundle = join(CONSOLE_DIST, 'app.js');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return sources().some((f) => statSync(f).mtimeMs > built);
}

/** Read only when building: the catalog pulls in the Temporal client, which the staleness check does not need. */
export async function actionForms(): Promise<Record<string, unknown>> {
  const { OPERATOR_ACTIONS } = await import('../operators/action-catalog');
  return Object.fromEntries(Object.entries(OPERATOR_ACTIONS).map(([name, def]) => [name, {
    process: def.process,
    schema: z.toJSONSchema(def.args as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }]));
}

export async function buildConsole(): Promise<void> {
  mkdirSync(CONSOLE_DIST, { recursive: true });
  writeFileSync(join(CONSOLE_DIST, 'actions.json'), JSON.stringify(await actionForms()));
  copyFileSync(join(src, 'index.html'), join(CONSOLE_DIST, 'index.html'));
  copyFileSync(join(src, 'style.css'), join(CONSOLE_DIST, 'style.css'));
  await build({
    entryPoints: [join(src, 'main.tsx')], outfile: join(CONSOLE_DIST, 'app.js'), bundle: true, minify: true, sourcemap: true,
    format: 'esm', target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'warning',
  });
}

if (require.main === module) {
  if (process.argv.includes('--if-stale') && !consoleIsStale()) process.exit(0);
  buildConsole().then(() => console.log('setup: console built into console/dist'), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
