import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { Lifecycle } from './lifecycle';
import type { AmazonPayStore, ReleaseEnvironment } from './model';
import type { AmazonPayOperation, ScriptedOutcomes } from './outcomes';
import type { Simulation } from './simulation-codes';

/** What the operations work on: the shared kit (clock, ledger), the objects, their lifecycle and the scripted outcomes. */
export interface EmulatorCore {
  kit: EmulatorKit;
  store: AmazonPayStore;
  lifecycle: Lifecycle;
  outcomes: ScriptedOutcomes;
}

/** One verified data-plane call. */
export interface OpContext {
  operation: AmazonPayOperation;
  environment: ReleaseEnvironment;
  now: Date;
  /** the Sandbox simulation the request asked for, already checked to exist for this operation */
  simulation: Simulation | undefined;
  idempotencyKey: string | undefined;
}

/** One ledger entry per accepted state-changing call; `applied` only when something really changed. */
export function recordEffect(core: EmulatorCore, ctx: OpContext, orderId: string, applied: boolean, effect: string): void {
  core.kit.ledger.record({ operation: ctx.operation, orderId, applied, effect, ...(ctx.idempotencyKey ? { key: ctx.idempotencyKey } : {}) }, ctx.now);
}
