import { cancelChargeRequestSchema, captureChargeRequestSchema, createChargeRequestSchema } from '../schemas';
import { apiError, notFound, ok, parseRequest, type ApiResult } from './api-result';
import { addDays, addMs } from './calendar';
import { recordEffect, type EmulatorCore, type OpContext } from './core';
import { capApplies, capBalance, oneTimeBalance, useCap } from './limits';
import { toMinor } from './money';
import { defaultReasonFor } from './outcomes';
import { chargeView } from './views';
import { emptyMerchantMetadata, type ChargeRecord, type PermissionRecord } from './model';

/** What authorization decides for one createCharge, after validation. */
type Decision =
  | { kind: 'approve'; captureInitiated: boolean }
  | { kind: 'decline'; reasonCode: string }
  | { kind: 'pending'; finalState: string; reasonCode: string | null; delayMs: number }
  | { kind: 'error'; status: number; reasonCode: string; message: string }
  /** the request cannot have what it asked for: answered before anything changes */
  | { kind: 'refuse'; result: ApiResult };

const scriptedError = (s: { status: number; reasonCode: string; message?: string }): ApiResult =>
  apiError(s.status, s.reasonCode, s.message ?? s.reasonCode);

/** Create Charge (§3.3, §4, §9): validation, the JP monthly cap, then the authorization's outcome. */
export function createCharge(core: EmulatorCore, ctx: OpContext, body: unknown): ApiResult {
  const parsed = parseRequest(createChargeRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const req = parsed.data;
  const s = core.store.settings;
  const cp = core.store.permission(req.chargePermissionId, ctx.environment);
  if (!cp) return notFound('Charge Permission', req.chargePermissionId);
  if (cp.state !== 'Chargeable') {
    return apiError(422, 'InvalidChargePermissionStatus', `The Charge Permission is ${cp.state}${cp.reasonCode ? ` (${cp.reasonCode})` : ''}; no charge can be created.`);
  }
  if (req.chargeAmount.currencyCode !== cp.currency) return apiError(400, 'CurrencyMismatch', `The chargeAmount currency must be ${cp.currency}.`);
  const minor = toMinor(req.chargeAmount.amount, cp.currency);
  if (minor === null || minor === 0) return apiError(400, 'InvalidParameterValue', `The value of chargeAmount.amount is invalid for ${cp.currency}.`);
  if (cp.currency === 'JPY' && minor > s.maxChargeAmountJpy) return apiError(400, 'TransactionAmountExceeded', `A charge may be at most ${s.maxChargeAmountJpy} JPY.`);
  if (req.softDescriptor !== undefined && !req.captureNow) {
    return apiError(400, 'InvalidParameterCombination', 'softDescriptor is allowed only with captureNow set to true.');
  }
  if (cp.type === 'OneTime') {
    if (core.store.chargesOf(cp.id).length >= s.oneTimeMaxCharges) {
      return apiError(422, 'TransactionCountExceeded', `A OneTime Charge Permission allows at most ${s.oneTimeMaxCharges} charges.`);
    }
    const balance = oneTimeBalance(cp, core.store);
    if (balance !== null && minor > balance) return apiError(400, 'TransactionAmountExceeded', `The amount exceeds the Charge Permission's balance of ${balance}.`);
  }
  if (capApplies(cp, s) && minor > capBalance(cp, ctx.now, s)) {
    return apiError(400, 'PeriodicAmountExceeded', "You've exceeded the monthly limit for the Charge Permission and must wait until the next month to charge this buyer.");
  }

  const d = decide(core, ctx, cp, req.captureNow === true, req.canHandlePendingAuthorization === true);
  if (d.kind === 'refuse') return d.result;
  if (d.kind === 'error') return apiError(d.status, d.reasonCode, d.message);
  if (d.kind === 'decline') return declineSynchronously(core, ctx, cp, minor, d.reasonCode);

  const charge: ChargeRecord = {
    id: core.store.nextChargeId(cp),
    permissionId: cp.id,
    environment: cp.environment,
    currency: cp.currency,
    amountMinor: minor,
    captureNow: req.captureNow ?? false,
    canHandlePendingAuthorization: req.canHandlePendingAuthorization ?? false,
    softDescriptor: req.softDescriptor ?? null,
    merchantMetadata: { ...emptyMerchantMetadata(), ...req.merchantMetadata },
    providerReferenceId: req.providerMetadata?.providerReferenceId ?? null,
    platformId: req.platformId ?? null,
    chargeInitiator: req.chargeInitiator ?? null,
    channel: req.channel ?? null,
    state: 'AuthorizationInitiated',
    reasonCode: null,
    reasonDescription: null,
    updatedAt: ctx.now,
    createdAt: ctx.now,
    expiresAt: addDays(ctx.now, s.authorizationExpiryDays),
    authorizedAt: null,
    captureMinor: null,
    refundedMinor: 0,
    pending: null,
  };
  core.store.charges.set(charge.id, charge);
  // The cap counts every created charge from the moment it is created, pending or not (§9).
  if (capApplies(cp, s)) useCap(cp, minor, ctx.now, charge.id);

  if (d.kind === 'pending') {
    charge.pending = { dueAt: addMs(ctx.now, d.delayMs), state: d.finalState, reasonCode: d.reasonCode };
    core.lifecycle.announceCharge(charge);
  } else if (d.captureInitiated) {
    // authorized now, captured later: the asynchronous capture (§7.1)
    Object.assign(charge, { state: 'CaptureInitiated', authorizedAt: ctx.now, captureMinor: minor });
    charge.pending = { dueAt: addMs(ctx.now, s.captureDelayMs), state: 'Captured', reasonCode: null };
    cp.lastAuthorizedAt = ctx.now;
    core.lifecycle.announceCharge(charge);
  } else {
    core.lifecycle.authorizationSucceeded(charge, ctx.now);
  }
  recordEffect(core, ctx, cp.id, true, `${charge.id} ${charge.state} ${req.chargeAmount.amount} ${cp.currency}`);
  return ok(chargeView(charge), 201);
}

const refuse = (message: string): Decision => ({ kind: 'refuse', result: apiError(400, 'InvalidSandboxSimulationSpecified', message) });

/** The simulation header first, then a scripted outcome, else a synchronous approval. */
function decide(core: EmulatorCore, ctx: OpContext, cp: PermissionRecord, captureNow: boolean, canPend: boolean): Decision {
  const s = core.store.settings;
  const sim = ctx.simulation;
  if (sim) {
    if (sim.kind === 'decline') return { kind: 'decline', reasonCode: sim.reasonCode };
    if (sim.kind === 'pending') {
      // the sandbox refuses a pending simulation the request cannot handle (test cards …0701, …4354)
      if (!canPend) return refuse('This simulation needs canHandlePendingAuthorization set to true.');
      return { kind: 'pending', finalState: sim.finalState, reasonCode: sim.reasonCode, delayMs: s.pendingAuthorizationDelayMs };
    }
    if (sim.kind === 'captureInitiated') {
      if (!captureNow) return refuse('CaptureInitiated on createCharge needs captureNow set to true.');
      return { kind: 'approve', captureInitiated: true };
    }
  }
  const scripted = core.outcomes.take('createCharge', cp.id);
  if (!scripted) return { kind: 'approve', captureInitiated: false };
  if (scripted.kind === 'error') return { kind: 'error', status: scripted.status, reasonCode: scripted.reasonCode, message: scripted.message ?? scripted.reasonCode };
  if (scripted.kind === 'decline') return { kind: 'decline', reasonCode: scripted.reasonCode };
  const finalState = scripted.finalState ?? 'Authorized';
  const reasonCode = scripted.reasonCode ?? defaultReasonFor('createCharge', finalState);
  if (canPend) return { kind: 'pending', finalState, reasonCode, delayMs: scripted.delayMs ?? s.pendingAuthorizationDelayMs };
  // Without canHandlePendingAuthorization Amazon decides synchronously (§7.1): the scripted end comes at once.
  if (finalState === 'Authorized') return { kind: 'approve', captureInitiated: false };
  return { kind: 'decline', reasonCode: reasonCode ?? 'SoftDeclined' };
}

/** A synchronous decline is a 422 with the reason code and no Charge (§3.3, ASSUMED no Declined Charge object). */
function declineSynchronously(core: EmulatorCore, ctx: OpContext, cp: PermissionRecord, minor: number, reasonCode: string): ApiResult {
  const s = core.store.settings;
  const before = `${cp.state}/${cp.reasonCode ?? '-'}`;
  if (capApplies(cp, s) && !s.capReleasedOnDeclineOrCancel) useCap(cp, minor, ctx.now, null);
  core.lifecycle.declineConsequences(cp, reasonCode, ctx.now);
  const after = `${cp.state}/${cp.reasonCode ?? '-'}`;
  recordEffect(core, ctx, cp.id, before !== after, `declined ${reasonCode}${before !== after ? `; CP ${before} -> ${after}` : ''}`);
  const message = reasonCode === 'SoftDeclined'
    ? 'The charge was declined; retrying may succeed.'
    : reasonCode === 'HardDeclined'
      ? 'The charge was declined; the buyer must update the payment method.'
      : `The charge was declined (${reasonCode}).`;
  return apiError(422, reasonCode, message);
}

export function getCharge(core: EmulatorCore, ctx: OpContext, id: string): ApiResult {
  const charge = core.store.charge(id, ctx.environment);
  if (!charge) return notFound('Charge', id);
  const scripted = core.outcomes.take(ctx.operation, charge.permissionId);
  if (scripted?.kind === 'error') return scriptedError(scripted);
  return ok(chargeView(charge));
}

/** Capture: Captured at once, or CaptureInitiated when it comes more than 7 days after authorization (§3.3). */
export function captureCharge(core: EmulatorCore, ctx: OpContext, id: string, body: unknown): ApiResult {
  const parsed = parseRequest(captureChargeRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const s = core.store.settings;
  const charge = core.store.charge(id, ctx.environment);
  if (!charge) return notFound('Charge', id);
  if (charge.state !== 'Authorized') return apiError(422, 'InvalidChargeStatus', `The Charge is ${charge.state}; only an Authorized charge can be captured.`);
  const { captureAmount, softDescriptor } = parsed.data;
  if (captureAmount.currencyCode !== charge.currency) return apiError(400, 'CurrencyMismatch', `The captureAmount currency must be ${charge.currency}.`);
  const minor = toMinor(captureAmount.amount, charge.currency);
  if (minor === null || minor === 0) return apiError(400, 'InvalidParameterValue', `The value of captureAmount.amount is invalid for ${charge.currency}.`);
  if (minor > charge.amountMinor) return apiError(400, 'TransactionAmountExceeded', 'The captureAmount exceeds the authorized chargeAmount.');

  const scripted = ctx.simulation ? undefined : core.outcomes.take(ctx.operation, charge.permissionId);
  if (scripted?.kind === 'error') return scriptedError(scripted);
  const late = charge.authorizedAt !== null && ctx.now.getTime() - charge.authorizedAt.getTime() > s.asyncCaptureAfterDays * 86_400_000;
  const before = charge.state;
  if (softDescriptor !== undefined) charge.softDescriptor = softDescriptor;
  charge.captureMinor = minor;
  if (ctx.simulation?.kind === 'captureInitiated' || scripted?.kind === 'pending' || late) {
    const finalState = scripted?.kind === 'pending' ? (scripted.finalState ?? 'Captured') : 'Captured';
    const reasonCode = scripted?.kind === 'pending' ? (scripted.reasonCode ?? defaultReasonFor('captureCharge', finalState)) : null;
    const delayMs = scripted?.kind === 'pending' ? (scripted.delayMs ?? s.captureDelayMs) : s.captureDelayMs;
    core.lifecycle.setChargeState(charge, 'CaptureInitiated', null, ctx.now);
    charge.pending = { dueAt: addMs(ctx.now, delayMs), state: finalState, reasonCode };
  } else {
    core.lifecycle.setChargeState(charge, 'Captured', null, ctx.now);
  }
  recordEffect(core, ctx, charge.id, true, `${before} -> ${charge.state} ${captureAmount.amount} ${charge.currency}`);
  return ok(chargeView(charge));
}

export function cancelCharge(core: EmulatorCore, ctx: OpContext, id: string, body: unknown): ApiResult {
  const parsed = parseRequest(cancelChargeRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const charge = core.store.charge(id, ctx.environment);
  if (!charge) return notFound('Charge', id);
  if (charge.state !== 'AuthorizationInitiated' && charge.state !== 'Authorized') {
    return apiError(422, 'InvalidChargeStatus', `The Charge is ${charge.state}; only a pending or Authorized charge can be canceled.`);
  }
  const scripted = core.outcomes.take(ctx.operation, charge.permissionId);
  if (scripted?.kind === 'error') return scriptedError(scripted);
  const before = charge.state;
  core.lifecycle.setChargeState(charge, 'Canceled', 'MerchantCanceled', ctx.now, parsed.data.cancellationReason ?? null);
  recordEffect(core, ctx, charge.id, true, `${before} -> Canceled/MerchantCanceled`);
  return ok(chargeView(charge));
}
