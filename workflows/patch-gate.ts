import { patched } from '@temporalio/workflow';

/**
 * A workflow type's patches folded into one. Called first thing in a run: a run that starts with `currentPatch` takes
 * every earlier patch of its type as applied without calling it, so it records one patch marker (and the SDK's one
 * TemporalChangeVersion upsert) instead of one per patch, and never meets a patch for the first time right after a
 * local activity. That matters: a query answered while a local activity ran can close the workflow task with the
 * activity's marker before the code after it runs, and a patch marker that code then records lands in the next task,
 * where a replay does not look for it (a nondeterminism error, seen in tests/workflows/yahoo-pay-method-window.test.ts).
 * Runs started before `currentPatch` call each patch where they always did.
 *
 * `since` is for the patches older than the gate only. A change made after it is a plain `patched('<new id>')`: a run
 * that started with the gate under the code before that change must replay its earlier part without it. Workflow code
 * only.
 */
export interface PatchGate {
  /** this run started with the current patch */
  current: boolean;
  /** patched(patchId), or true without a marker in a run that started with the current patch */
  since(patchId: string): boolean;
}

export function patchGate(currentPatch: string): PatchGate {
  const current = patched(currentPatch);
  return { current, since: (patchId) => current || patched(patchId) };
}
