import { closeChargePermissionRequestSchema, updateChargePermissionRequestSchema } from '../schemas';
import { apiError, notFound, ok, parseRequest, type ApiResult } from './api-result';
import { recordEffect, type EmulatorCore, type OpContext } from './core';
import { toMinor } from './money';
import { permissionView } from './views';
import type { MerchantMetadata } from './model';

/** Get, update and close a ChargePermission (§3.2, §4). */
export function getChargePermission(core: EmulatorCore, ctx: OpContext, id: string): ApiResult {
  const cp = core.store.permission(id, ctx.environment);
  if (!cp) return notFound('Charge Permission', id);
  const scripted = core.outcomes.take(ctx.operation, cp.id);
  if (scripted?.kind === 'error') return apiError(scripted.status, scripted.reasonCode, scripted.message ?? scripted.reasonCode);
  return ok(permissionView(cp, core.store, core.lifecycle, ctx.now));
}

export function updateChargePermission(core: EmulatorCore, ctx: OpContext, id: string, body: unknown): ApiResult {
  const parsed = parseRequest(updateChargePermissionRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const cp = core.store.permission(id, ctx.environment);
  if (!cp) return notFound('Charge Permission', id);
  const patch = parsed.data;
  // A Closed CP keeps only a limited update of merchantMetadata (§3.2); only Recurring CPs have recurringMetadata.
  if (patch.recurringMetadata && (cp.state === 'Closed' || cp.type !== 'Recurring')) {
    return apiError(422, 'ChargePermissionNotModifiable', `recurringMetadata cannot be changed on a ${cp.state} ${cp.type} Charge Permission.`);
  }
  let recurringAmountMinor = cp.recurringAmountMinor;
  const amount = patch.recurringMetadata?.amount;
  if (amount) {
    if (amount.currencyCode !== cp.currency) return apiError(400, 'CurrencyMismatch', `The currency must be ${cp.currency}.`);
    const minor = toMinor(amount.amount, amount.currencyCode);
    if (minor === null) return apiError(400, 'InvalidParameterValue', 'The value of recurringMetadata.amount.amount is invalid.');
    recurringAmountMinor = minor;
  } else if (amount === null) {
    recurringAmountMinor = null;
  }
  const scripted = core.outcomes.take(ctx.operation, cp.id);
  if (scripted?.kind === 'error') return apiError(scripted.status, scripted.reasonCode, scripted.message ?? scripted.reasonCode);

  const before = JSON.stringify([cp.merchantMetadata, cp.frequency, cp.recurringAmountMinor]);
  if (patch.merchantMetadata) {
    const merged: MerchantMetadata = { ...cp.merchantMetadata };
    for (const [k, v] of Object.entries(patch.merchantMetadata)) if (v !== undefined) merged[k as keyof MerchantMetadata] = v;
    cp.merchantMetadata = merged;
  }
  if (patch.recurringMetadata) {
    cp.frequency = patch.recurringMetadata.frequency;
    cp.recurringAmountMinor = recurringAmountMinor;
  }
  const changed = JSON.stringify([cp.merchantMetadata, cp.frequency, cp.recurringAmountMinor]) !== before;
  if (changed) cp.updatedAt = ctx.now;
  recordEffect(core, ctx, cp.id, changed, changed ? `updated ${Object.keys(patch).join(', ')}` : 'unchanged');
  return ok(permissionView(cp, core.store, core.lifecycle, ctx.now));
}

export function closeChargePermission(core: EmulatorCore, ctx: OpContext, id: string, body: unknown): ApiResult {
  const parsed = parseRequest(closeChargePermissionRequestSchema, body);
  if (!parsed.ok) return parsed.error;
  const cp = core.store.permission(id, ctx.environment);
  if (!cp) return notFound('Charge Permission', id);
  if (cp.state === 'Closed') {
    return apiError(422, 'InvalidChargePermissionStatus', `The Charge Permission is already Closed (${cp.reasonCode ?? 'no reason'}).`);
  }
  const scripted = core.outcomes.take(ctx.operation, cp.id);
  if (scripted?.kind === 'error') return apiError(scripted.status, scripted.reasonCode, scripted.message ?? scripted.reasonCode);

  const reasonCode = ctx.simulation?.kind === 'close' ? ctx.simulation.reasonCode : 'MerchantClosed';
  const effects = [`${cp.state} -> Closed/${reasonCode}`];
  if (parsed.data.cancelPendingCharges) {
    for (const charge of core.store.chargesOf(cp.id)) {
      if (charge.state !== 'AuthorizationInitiated' && charge.state !== 'Authorized') continue;
      core.lifecycle.setChargeState(charge, 'Canceled', 'ChargePermissionCanceled', ctx.now);
      effects.push(`${charge.id} Canceled/ChargePermissionCanceled`);
    }
  }
  core.lifecycle.setPermissionState(cp, 'Closed', reasonCode, ctx.now, parsed.data.closureReason ?? null);
  recordEffect(core, ctx, cp.id, true, effects.join('; '));
  return ok(permissionView(cp, core.store, core.lifecycle, ctx.now));
}
