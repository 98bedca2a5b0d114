import { addDays, addMonths } from './calendar';
import { oneTimeFullyCaptured, releaseCap } from './limits';
import { reasonDescription } from './reasons';
import type { AmazonPayStore, ChargeRecord, PermissionRecord, RefundRecord } from './model';

/** What the IPN sender needs to know: which object changed state, and its CP (§7.2). */
export interface AmazonPayStateChange {
  objectType: 'CHARGE_PERMISSION' | 'CHARGE' | 'REFUND';
  objectId: string;
  chargePermissionId: string;
}

const MAX_SETTLE_STEPS = 100_000;

/**
 * Every state change of a CP, Charge or Refund goes through here, so each one is reported to `onStateChange` exactly
 * once, together with its consequences (a HardDecline makes the CP NonChargeable, a failed charge gives the monthly
 * cap back, a successful authorization restarts a Recurring CP's lifetime).
 *
 * Time-driven changes (expiries, pending results) are lazy: `settle(now)` applies every change that is due by `now`,
 * in time order and dated when it was due, before any request reads or changes anything. So an IPN for them fires
 * when the emulator first notices, as the clock is moved by the control plane, without any timer.
 */
export class Lifecycle {
  private readonly listeners = new Set<(change: AmazonPayStateChange) => void>();

  constructor(private readonly store: AmazonPayStore) {}

  /** Adds a listener of state changes; returns its removal. */
  subscribe(listener: (change: AmazonPayStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(change: AmazonPayStateChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure (the IPN sender's) must never fail or undo the API call that caused the change.
      }
    }
  }

  /** When a CP expires: Recurring 13 months after its last successful authorization (or creation); OneTime 180 days. */
  permissionExpiresAt(cp: PermissionRecord): Date {
    const s = this.store.settings;
    if (cp.type === 'Recurring') {
      const anchor = s.authorizationExtendsRecurringExpiry && cp.lastAuthorizedAt ? cp.lastAuthorizedAt : cp.createdAt;
      return addMonths(anchor, s.recurringExpiryMonths);
    }
    return cp.extendExpiration ? addMonths(cp.createdAt, s.recurringExpiryMonths) : addDays(cp.createdAt, s.oneTimeExpiryDays);
  }

  announceCharge(charge: ChargeRecord): void {
    this.emit({ objectType: 'CHARGE', objectId: charge.id, chargePermissionId: charge.permissionId });
  }

  announceRefund(refund: RefundRecord): void {
    this.emit({ objectType: 'REFUND', objectId: refund.id, chargePermissionId: refund.permissionId });
  }

  /** False (and no report) when the CP is already in that state for that reason. */
  setPermissionState(cp: PermissionRecord, state: string, reasonCode: string | null, at: Date, description?: string | null): boolean {
    if (cp.state === state && cp.reasonCode === reasonCode) return false;
    Object.assign(cp, { state, reasonCode, reasonDescription: description ?? reasonDescription(reasonCode), updatedAt: at });
    this.emit({ objectType: 'CHARGE_PERMISSION', objectId: cp.id, chargePermissionId: cp.id });
    return true;
  }

  setChargeState(charge: ChargeRecord, state: string, reasonCode: string | null, at: Date, description?: string | null): void {
    Object.assign(charge, { state, reasonCode, reasonDescription: description ?? reasonDescription(reasonCode), updatedAt: at, pending: null });
    this.emit({ objectType: 'CHARGE', objectId: charge.id, chargePermissionId: charge.permissionId });
    const cp = this.store.permission(charge.permissionId);
    if (!cp) return;
    if (state === 'Declined' || state === 'Canceled') releaseCap(cp, charge.id, this.store.settings);
    if (state === 'Captured' && oneTimeFullyCaptured(cp, this.store) && cp.state !== 'Closed') this.setPermissionState(cp, 'Closed', 'AmazonClosed', at);
  }

  /** A successful authorization: Authorized, or Captured at once with captureNow. */
  authorizationSucceeded(charge: ChargeRecord, at: Date): void {
    charge.authorizedAt = at;
    const cp = this.store.permission(charge.permissionId);
    if (cp) cp.lastAuthorizedAt = at;
    if (charge.captureNow) charge.captureMinor = charge.amountMinor;
    this.setChargeState(charge, charge.captureNow ? 'Captured' : 'Authorized', null, at);
  }

  /** What a decline does to the CP, with or without a Charge object: HardDeclined → NonChargeable, AmazonRejected → Closed. */
  declineConsequences(cp: PermissionRecord, reasonCode: string, at: Date): void {
    if (cp.state === 'Closed') return;
    if (reasonCode === 'HardDeclined') this.setPermissionState(cp, 'NonChargeable', 'PaymentMethodInvalid', at);
    // "AmazonRejected: the CP is canceled too" (§3.3); the CP's reason code for it is ASSUMED.
    if (reasonCode === 'AmazonRejected') this.setPermissionState(cp, 'Closed', 'AmazonCanceled', at);
  }

  /** The end of an asynchronous authorization (its scheduled result, or the control plane's). */
  resolveAuthorization(charge: ChargeRecord, state: string, reasonCode: string | null, at: Date): void {
    if (state === 'Authorized') return this.authorizationSucceeded(charge, at);
    this.setChargeState(charge, state, reasonCode, at);
    const cp = this.store.permission(charge.permissionId);
    if (cp && state === 'Declined' && reasonCode) this.declineConsequences(cp, reasonCode, at);
  }

  resolveCapture(charge: ChargeRecord, state: string, reasonCode: string | null, at: Date): void {
    if (state !== 'Captured') charge.captureMinor = null;
    this.setChargeState(charge, state, reasonCode, at);
  }

  resolveRefund(refund: RefundRecord, state: string, reasonCode: string | null, at: Date): void {
    Object.assign(refund, { state, reasonCode, reasonDescription: reasonDescription(reasonCode), updatedAt: at, pending: null });
    if (state === 'Refunded') {
      const charge = this.store.charge(refund.chargeId);
      if (charge) charge.refundedMinor += refund.amountMinor;
    }
    this.announceRefund(refund);
  }

  /** Applies every time-driven change due by `now`, earliest first; returns how many. */
  settle(now: Date): number {
    let applied = 0;
    for (; applied < MAX_SETTLE_STEPS; applied++) {
      const next = this.nextDue();
      if (!next || next.at.getTime() > now.getTime()) break;
      next.apply();
    }
    return applied;
  }

  private nextDue(): { at: Date; apply: () => void } | undefined {
    let best: { at: Date; apply: () => void } | undefined;
    const consider = (at: Date, apply: () => void) => {
      if (!best || at.getTime() < best.at.getTime()) best = { at, apply };
    };
    for (const cp of this.store.permissions.values()) {
      if (cp.state === 'Closed') continue;
      const at = this.permissionExpiresAt(cp);
      consider(at, () => this.setPermissionState(cp, 'Closed', 'Expired', at));
    }
    for (const charge of this.store.charges.values()) {
      const p = charge.pending;
      if (charge.state === 'AuthorizationInitiated' && p) consider(p.dueAt, () => this.resolveAuthorization(charge, p.state, p.reasonCode, p.dueAt));
      else if (charge.state === 'CaptureInitiated' && p) consider(p.dueAt, () => this.resolveCapture(charge, p.state, p.reasonCode, p.dueAt));
      else if (charge.state === 'Authorized') consider(charge.expiresAt, () => this.setChargeState(charge, 'Canceled', 'ExpiredUnused', charge.expiresAt));
    }
    for (const refund of this.store.refunds.values()) {
      const p = refund.pending;
      if (refund.state === 'RefundInitiated' && p) consider(p.dueAt, () => this.resolveRefund(refund, p.state, p.reasonCode, p.dueAt));
    }
    return best;
  }
}
