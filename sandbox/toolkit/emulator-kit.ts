import { Ledger } from './ledger';
import { SandboxClock } from './clock';
import { FaultRules } from './faults';

/** The control-plane state every emulator has: a clock, fault rules and an effects ledger. */
export interface EmulatorKit {
  clock: SandboxClock;
  faults: FaultRules;
  ledger: Ledger;
  /** the emulator's wire operations: the names its fault rules take and its ledger shows for those calls */
  operations: readonly string[];
}

/** `operations`: one list per emulator, from which its routes, fault names and ledger names all come. */
export const createEmulatorKit = (operations: readonly string[]): EmulatorKit => ({
  clock: new SandboxClock(),
  faults: new FaultRules(operations),
  ledger: new Ledger(),
  operations,
});
