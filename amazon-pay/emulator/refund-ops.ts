import { createRefundRequestSchema } from '../schemas';
import { apiError, notFound, ok, parseRequest, type ApiResult } from './api-result';
import { addMs } from './calendar';
import { recordEffect, type EmulatorCore, type OpContext } from './core';
import { toMinor } from './money';
import { defaultReasonFor } from './outcomes';
import { refundView } from './views';
import type { RefundRecord } from './model';

/**
 * Create and get a Refund (§3.4). Every refund is asynchronous: 201 RefundInitiated, then Refunded (or Declined)
 * after the refund delay on the emulator clock, or through POST /_sandbox/refunds/:id/resolve.
 */
export function createRefund(core: EmulatorCore, ctx: OpContext, body: unknown): ApiResult {
  const parsed = parseRequest(createRefundRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const req = parsed.data;
  const s = core.store.settings;
  const charge = core.store.charge(req.chargeId, ctx.environment);
  if (!charge) return notFound('Charge', req.chargeId);
  const cp = core.store.permission(charge.permissionId);
  if (!cp) return notFound('Charge Permission', charge.permissionId);
  if (charge.state !== 'Captured') return apiError(422, 'InvalidChargeStatus', `The Charge is ${charge.state}; only a Captured charge can be refunded.`);
  if (req.refundAmount.currencyCode !== charge.currency) return apiError(400, 'CurrencyMismatch', `The refundAmount currency must be ${charge.currency}.`);
  const minor = toMinor(req.refundAmount.amount, charge.currency);
  if (minor === null || minor === 0) return apiError(400, 'InvalidParameterValue', `The value of refundAmount.amount is invalid for ${charge.currency}.`);
  // Refunds may exceed the capture by min(15%, ¥8,400) in JP (§3.4); Declined refunds give their amount back.
  const captured = charge.captureMinor ?? 0;
  const overage = charge.currency === 'JPY' ? Math.min(Math.floor((captured * s.refundOveragePercent) / 100), s.refundOverageCapJpy) : 0;
  const refunded = core.store.refundsOf(charge.id).filter((r) => r.state !== 'Declined').reduce((sum, r) => sum + r.amountMinor, 0);
  if (refunded + minor > captured + overage || (charge.currency === 'JPY' && minor > s.maxChargeAmountJpy)) {
    return apiError(400, 'TransactionAmountExceeded', 'The refunds would exceed what this Charge allows to be refunded.');
  }

  const scripted = core.outcomes.take(ctx.operation, cp.id);
  if (scripted?.kind === 'error') return apiError(scripted.status, scripted.reasonCode, scripted.message ?? scripted.reasonCode);
  let finalState = 'Refunded';
  let reasonCode: string | null = null;
  let delayMs = s.refundDelayMs;
  if (scripted?.kind === 'decline') {
    finalState = 'Declined';
    reasonCode = scripted.reasonCode;
  } else if (scripted?.kind === 'pending') {
    finalState = scripted.finalState ?? 'Refunded';
    reasonCode = scripted.reasonCode ?? defaultReasonFor('createRefund', finalState);
    delayMs = scripted.delayMs ?? delayMs;
  }

  const refund: RefundRecord = {
    id: core.store.nextRefundId(cp),
    chargeId: charge.id,
    permissionId: cp.id,
    environment: charge.environment,
    currency: charge.currency,
    amountMinor: minor,
    softDescriptor: req.softDescriptor ?? null,
    state: 'RefundInitiated',
    reasonCode: null,
    reasonDescription: null,
    updatedAt: ctx.now,
    createdAt: ctx.now,
    pending: { dueAt: addMs(ctx.now, delayMs), state: finalState, reasonCode },
  };
  core.store.refunds.set(refund.id, refund);
  core.lifecycle.announceRefund(refund);
  recordEffect(core, ctx, charge.id, true, `${refund.id} RefundInitiated ${req.refundAmount.amount} ${charge.currency}`);
  return ok(refundView(refund), 201);
}

export function getRefund(core: EmulatorCore, ctx: OpContext, id: string): ApiResult {
  const refund = core.store.refund(id, ctx.environment);
  if (!refund) return notFound('Refund', id);
  const scripted = core.outcomes.take(ctx.operation, refund.permissionId);
  if (scripted?.kind === 'error') return apiError(scripted.status, scripted.reasonCode, scripted.message ?? scripted.reasonCode);
  return ok(refundView(refund));
}
