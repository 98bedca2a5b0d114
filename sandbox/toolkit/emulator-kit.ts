import { Ledger } from './ledger';
import { SandboxClock } from './clock';
import { FaultRules } from './faults';

/** The control-plane state every emulator has: a clock, fault rules and an effects ledger. */
export interface EmulatorKit {
  clock: SandboxClock;
  faults: FaultRules;
  ledger: Ledger;
}

export const createEmulatorKit = (): EmulatorKit => ({
  clock: new SandboxClock(),
  faults: new FaultRules(),
  ledger: new Ledger(),
});
