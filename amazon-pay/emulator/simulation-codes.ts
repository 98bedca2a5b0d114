import type { AmazonPayOperation } from './outcomes';

/**
 * `x-amz-pay-simulation-code` (§8): forces an outcome in Sandbox, whether signed or not, and wins over a scripted
 * outcome. A code the operation does not know answers 400 InvalidSandboxSimulationSpecified. The public list is
 * partial: the decline codes, CaptureInitiated and AmazonClosed are documented; the names of the pending variants
 * are ASSUMED (AuthorizationInitiated behaves like test card …0701, PendingHardDeclined like …4354).
 */
export type Simulation =
  | { kind: 'decline'; reasonCode: string }
  | { kind: 'pending'; finalState: 'Authorized' | 'Declined'; reasonCode: string | null }
  | { kind: 'captureInitiated' }
  | { kind: 'close'; reasonCode: string };

const decline = (reasonCode: string): Simulation => ({ kind: 'decline', reasonCode });
const pendingDecline = (reasonCode: string): Simulation => ({ kind: 'pending', finalState: 'Declined', reasonCode });

const SIMULATIONS: Partial<Record<AmazonPayOperation, Record<string, Simulation>>> = {
  createCharge: {
    SoftDeclined: decline('SoftDeclined'),
    HardDeclined: decline('HardDeclined'),
    AmazonRejected: decline('AmazonRejected'),
    TransactionTimedOut: decline('TransactionTimedOut'),
    CaptureInitiated: { kind: 'captureInitiated' },
    AuthorizationInitiated: { kind: 'pending', finalState: 'Authorized', reasonCode: null },
    PendingSoftDeclined: pendingDecline('SoftDeclined'),
    PendingHardDeclined: pendingDecline('HardDeclined'),
    PendingAmazonRejected: pendingDecline('AmazonRejected'),
    PendingTransactionTimedOut: pendingDecline('TransactionTimedOut'),
  },
  captureCharge: { CaptureInitiated: { kind: 'captureInitiated' } },
  closeChargePermission: { AmazonClosed: { kind: 'close', reasonCode: 'AmazonClosed' } },
};

export function simulationFor(operation: AmazonPayOperation, code: string): Simulation | undefined {
  return SIMULATIONS[operation]?.[code];
}
