import { readFileSync } from 'node:fs';
import { workflowBundle } from '../support/workflow-bundle';

/**
 * With the reusable V8 context (the SDK's default) every workflow run evaluates the modules its bundle's workflows
 * import, once per run and again after each eviction from the cache. A package pulled in through a value import pays
 * that each time: zod's wire schemas, reached through oplux/schemas.ts, cost ~13 ms of CPU per run (21% of the
 * workflow thread in `npm run bench -- --only cancellation`) and part of the ~1.4 MiB each cached workflow held.
 * Workflows import code tables and types, never a parser: these are the packages a workflow needs.
 */
const ALLOWED = ['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc'];

/** The ids of the modules the bundle defines (webpack's `/***\/ "./path"` lines). */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/^\/\*{3}\/ "\.\/([^"]+)"/gm)].map((m) => m[1]!);
}

/** The npm packages among them ("node_modules/<package>/..."). */
function bundledPackages(modules: string[]): string[] {
  const names = new Set(modules.flatMap((m) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1] ?? []));
  return [...names].sort();
}

describe('the workflow bundle', () => {
  const modules = bundledModules(readFileSync(workflowBundle.codePath, 'utf8'));

  it('holds only the SDK and its own dependencies, no parser or validator a workflow would build at every run', () => {
    const packages = bundledPackages(modules);
    expect(packages).toContain('@temporalio/workflow'); // the reading of module ids still works
    expect(packages.filter((p) => !ALLOWED.includes(p))).toEqual([]);
  });

  it('holds no project module that builds zod schemas', () => {
    expect(modules).toContain('workflows/index.ts');
    expect(modules).toContain('oplux/codes.ts'); // the code tables the review needs
    expect(modules).not.toContain('oplux/schemas.ts');
  });
});
