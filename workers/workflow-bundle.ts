import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from './create-worker';

/**
 * The one way renkei bundles its workflows (npm start, npm run build, the tests, the benchmarks): webpack over
 * workflows/ with the workflow interceptors, which a worker then loads as `workflowBundle: { codePath }` instead of
 * bundling at every start.
 */
const WORKFLOWS = require.resolve('../workflows');
const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

/** `workflowsPath`: renkei's workflows, or a module that re-exports them with more (a benchmark's twin workflows). */
export async function buildWorkflowBundle(workflowsPath = WORKFLOWS): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietLogger });
  return code;
}

/**
 * The bundle at `codePath`, rebuilt only when what it is made of changed: its key (written beside it, `<codePath>.key`)
 * hashes every source file the workflows and interceptors reach through relative imports (type-only ones too: more
 * than webpack takes, never less), the @temporalio/workflow version and this file (the bundler's options). Written to
 * a temporary file and renamed, so a worker never loads a half-written bundle. Returns whether it was rebuilt.
 */
export async function ensureWorkflowBundle(codePath: string): Promise<{ rebuilt: boolean; key: string }> {
  const key = workflowSourcesKey();
  const keyPath = `${codePath}.key`;
  if (existsSync(codePath) && existsSync(keyPath) && readFileSync(keyPath, 'utf8').trim() === key) return { rebuilt: false, key };
  const code = await buildWorkflowBundle();
  mkdirSync(path.dirname(codePath), { recursive: true });
  const tmp = `${codePath}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, codePath);
  writeFileSync(keyPath, `${key}\n`);
  return { rebuilt: true, key };
}

/** A hash of the workflow sources (and what they import from the rest of the project) and the SDK's version. */
export function workflowSourcesKey(): string {
  const hash = createHash('sha256');
  hash.update(`@temporalio/workflow ${(JSON.parse(readFileSync(require.resolve('@temporalio/workflow/package.json'), 'utf8')) as { version: string }).version}\n`);
  hash.update(`interceptors ${WORKFLOW_INTERCEPTOR_MODULES.map((m) => path.relative(__dirname, m)).join(',')}\n`);
  // this file too: a change of the bundler's options rebuilds
  hash.update(readFileSync(__filename));
  for (const file of reachableSources([WORKFLOWS, ...WORKFLOW_INTERCEPTOR_MODULES])) {
    hash.update(`${path.relative(__dirname, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

const IMPORT = /(?:from\s+|import\s*\(?\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const EXTENSIONS = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];

/** Every project file reachable from the entries through relative import specifiers, sorted. */
function reachableSources(entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((e) => resolveSource(e)).filter((f): f is string => !!f);
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const found = resolveSource(path.resolve(path.dirname(file), m[1]!));
      if (found && !seen.has(found)) queue.push(found);
    }
  }
  return [...seen].sort();
}

function resolveSource(base: string): string | undefined {
  const stripped = base.replace(/\.js$/, '');
  for (const ext of EXTENSIONS) {
    for (const candidate of [`${stripped}${ext}`, `${base}${ext}`]) {
      if (existsSync(candidate) && !candidate.endsWith('/') && /\.(ts|js|json)$/.test(candidate)) return candidate;
    }
  }
  return undefined;
}
