import express, { type Router } from 'express';
import { z } from 'zod';
import { createChargeRequestSchema, frequencySchema, priceSchema } from '../schemas';
import { toMinor } from './money';
import { defaultReasonFor, type ScriptedOutcomeInput } from './outcomes';
import { emptyMerchantMetadata, type PermissionRecord } from './model';
import { amazonPaySettingsPatchSchema } from './settings';
import { chargeView, permissionView, refundView } from './views';
import type { EmulatorCore } from './core';
import type { PublicKeys } from './keys';
import { addSettingsRoutes } from '../../sandbox/toolkit/settings-routes';

const keyBody = z.object({ publicKeyId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), publicKeyPem: z.string().min(1) }).strict();

const mintBody = z
  .object({
    chargePermissionId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
    chargePermissionType: z.enum(['OneTime', 'Recurring']).default('OneTime'),
    environment: z.enum(['Sandbox', 'Live']).default('Sandbox'),
    presentmentCurrency: z.string().regex(/^[A-Z]{3}$/).default('JPY'),
    /** Recurring only: recurringMetadata.frequency */
    frequency: frequencySchema.optional(),
    /** Recurring: recurringMetadata.amount; OneTime: the checkout total, the most that can be charged */
    amount: z.union([priceSchema, z.string(), z.number().nonnegative()]).optional(),
    merchantMetadata: createChargeRequestSchema.shape.merchantMetadata,
    buyer: z.object({ buyerId: z.string(), name: z.string(), email: z.string(), phoneNumber: z.string().nullable() }).partial().optional(),
    chargePermissionReferenceId: z.string().optional(),
    platformId: z.string().optional(),
    paymentDescriptor: z.string().optional(),
    /** JP paymentDetails.extendExpiration: a OneTime CP lives 13 months instead of 180 days */
    extendExpiration: z.boolean().default(false),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.frequency && b.chargePermissionType !== 'Recurring') ctx.addIssue({ code: 'custom', path: ['frequency'], message: 'only a Recurring CP has a frequency' });
    if (b.amount === undefined) return;
    const amount = typeof b.amount === 'object' ? b.amount : { amount: String(b.amount), currencyCode: b.presentmentCurrency };
    if (amount.currencyCode !== b.presentmentCurrency) ctx.addIssue({ code: 'custom', path: ['amount', 'currencyCode'], message: `must be ${b.presentmentCurrency}` });
    else if (toMinor(amount.amount, amount.currencyCode) === null) ctx.addIssue({ code: 'custom', path: ['amount'], message: `not an amount in ${amount.currencyCode}` });
  });

const stateBody = z
  .object({
    state: z.enum(['Chargeable', 'NonChargeable', 'Closed']),
    reasonCode: z.string().min(1).optional(),
    reasonDescription: z.string().optional(),
  })
  .strict()
  .refine((b) => b.state !== 'Chargeable' || b.reasonCode === undefined, { path: ['reasonCode'], message: 'a Chargeable CP has no reason' });

const resolveChargeBody = z.object({ state: z.enum(['Authorized', 'Declined', 'Canceled', 'Captured']), reasonCode: z.string().min(1).optional() }).strict();
const resolveRefundBody = z.object({ state: z.enum(['Refunded', 'Declined']), reasonCode: z.string().min(1).optional() }).strict();

/** Which results each asynchronous state can end in. */
const RESOLVABLE: Record<string, readonly string[]> = {
  AuthorizationInitiated: ['Authorized', 'Declined', 'Canceled'],
  CaptureInitiated: ['Captured', 'Declined'],
};

/**
 * Amazon Pay's own control plane (beside the shared clock, faults, ledger and reset): the merchant's public keys,
 * ChargePermissions as a completed checkout leaves them, the buyer's and Amazon's actions on them, scripted outcomes,
 * the end of pending results, and the settings. Objects are answered in their wire form.
 */
export function createAmazonPayControlRoutes(core: EmulatorCore, keys: PublicKeys): Router {
  const { store, lifecycle, kit } = core;
  const router = express.Router();
  router.use(express.json());
  // Whatever the control plane reads or changes, time-driven changes are applied first, as on the data plane.
  router.use((_req, res, next) => {
    res.locals.settled = lifecycle.settle(kit.clock.now());
    next();
  });

  router.get('/keys', (_req, res) => {
    res.json({ keys: keys.list() });
  });
  router.post('/keys', (req, res) => {
    const b = keyBody.parse(req.body);
    try {
      keys.register(b.publicKeyId, b.publicKeyPem);
    } catch (err) {
      return void res.status(400).json({ error: 'invalid request', issues: [{ field: 'publicKeyPem', reason: (err as Error).message }] });
    }
    res.status(201).json({ publicKeyId: b.publicKeyId });
  });
  router.delete('/keys/:id', (req, res) => {
    if (!keys.remove(req.params.id)) return void res.status(404).json({ error: `unknown key ${req.params.id}` });
    res.status(204).end();
  });

  router.post('/charge-permissions', (req, res) => {
    const b = mintBody.parse(req.body);
    if (b.chargePermissionId && store.permissions.has(b.chargePermissionId)) {
      return void res.status(409).json({ error: `charge permission ${b.chargePermissionId} exists` });
    }
    const now = kit.clock.now();
    const currency = b.presentmentCurrency;
    const amountMinor = b.amount === undefined ? null : toMinor(typeof b.amount === 'object' ? b.amount.amount : String(b.amount), currency);
    const recurring = b.chargePermissionType === 'Recurring';
    const cp: PermissionRecord = {
      id: b.chargePermissionId ?? store.newPermissionId(b.environment),
      environment: b.environment,
      type: b.chargePermissionType,
      currency,
      state: 'Chargeable',
      reasonCode: null,
      reasonDescription: null,
      updatedAt: now,
      createdAt: now,
      lastAuthorizedAt: null,
      extendExpiration: b.extendExpiration,
      frequency: recurring ? (b.frequency ?? { unit: 'Month', value: '1' }) : null,
      recurringAmountMinor: recurring ? amountMinor : null,
      amountLimitMinor: recurring ? null : amountMinor,
      merchantMetadata: { ...emptyMerchantMetadata(), ...b.merchantMetadata },
      buyer: { buyerId: 'amzn1.account.SANDBOXBUYER', name: 'テスト 太郎', email: 'buyer@example.jp', phoneNumber: null, primeMembershipTypes: null, ...b.buyer },
      referenceId: b.chargePermissionReferenceId ?? null,
      platformId: b.platformId ?? null,
      paymentDescriptor: b.paymentDescriptor ?? 'Visa ****1111',
      capUses: [],
      chargeSeq: 0,
      refundSeq: 0,
    };
    store.permissions.set(cp.id, cp);
    res.status(201).json(permissionView(cp, store, lifecycle, now));
  });

  router.get('/charge-permissions/:id', (req, res) => {
    const cp = store.permission(req.params.id);
    if (!cp) return void res.status(404).json({ error: `unknown charge permission ${req.params.id}` });
    const charges = store.chargesOf(cp.id);
    res.json({
      chargePermission: permissionView(cp, store, lifecycle, kit.clock.now()),
      charges: charges.map(chargeView),
      refunds: charges.flatMap((c) => store.refundsOf(c.id)).map(refundView),
    });
  });

  /** The buyer's or Amazon's action: BuyerClosed, PaymentMethodInvalid, the instrument updated (back to Chargeable)… */
  router.post('/charge-permissions/:id/state', (req, res) => {
    const b = stateBody.parse(req.body);
    const cp = store.permission(req.params.id);
    if (!cp) return void res.status(404).json({ error: `unknown charge permission ${req.params.id}` });
    const reasonCode = b.state === 'Chargeable' ? null : (b.reasonCode ?? (b.state === 'Closed' ? 'BuyerClosed' : 'PaymentMethodInvalid'));
    lifecycle.setPermissionState(cp, b.state, reasonCode, kit.clock.now(), b.reasonDescription);
    res.json(permissionView(cp, store, lifecycle, kit.clock.now()));
  });

  router.get('/outcomes', (_req, res) => {
    res.json({ outcomes: core.outcomes.list() });
  });
  router.post('/outcomes', (req, res) => {
    res.status(201).json(core.outcomes.add(req.body as ScriptedOutcomeInput));
  });
  router.delete('/outcomes', (_req, res) => {
    core.outcomes.clear();
    res.status(204).end();
  });

  router.get('/charges/:id', (req, res) => {
    const charge = store.charge(req.params.id);
    if (!charge) return void res.status(404).json({ error: `unknown charge ${req.params.id}` });
    res.json(chargeView(charge));
  });

  /** Ends a pending authorization (Authorized, Declined, Canceled) or a pending capture (Captured, Declined) now. */
  router.post('/charges/:id/resolve', (req, res) => {
    const b = resolveChargeBody.parse(req.body);
    const charge = store.charge(req.params.id);
    if (!charge) return void res.status(404).json({ error: `unknown charge ${req.params.id}` });
    const allowed = RESOLVABLE[charge.state];
    if (!allowed?.includes(b.state)) {
      return void res.status(409).json({ error: `the charge is ${charge.state}: ${allowed ? `it can end in ${allowed.join(', ')}` : 'nothing is pending'}` });
    }
    const operation = charge.state === 'AuthorizationInitiated' ? 'createCharge' : 'captureCharge';
    const reasonCode = b.reasonCode ?? defaultReasonFor(operation, b.state);
    const now = kit.clock.now();
    if (operation === 'createCharge') lifecycle.resolveAuthorization(charge, b.state, reasonCode, now);
    else lifecycle.resolveCapture(charge, b.state, reasonCode, now);
    res.json(chargeView(charge));
  });

  router.get('/refunds/:id', (req, res) => {
    const refund = store.refund(req.params.id);
    if (!refund) return void res.status(404).json({ error: `unknown refund ${req.params.id}` });
    res.json(refundView(refund));
  });

  router.post('/refunds/:id/resolve', (req, res) => {
    const b = resolveRefundBody.parse(req.body);
    const refund = store.refund(req.params.id);
    if (!refund) return void res.status(404).json({ error: `unknown refund ${req.params.id}` });
    if (refund.state !== 'RefundInitiated') return void res.status(409).json({ error: `the refund is ${refund.state}: nothing is pending` });
    lifecycle.resolveRefund(refund, b.state, b.reasonCode ?? defaultReasonFor('createRefund', b.state), kit.clock.now());
    res.json(refundView(refund));
  });

  /** Applies the time-driven changes due by the emulator's now (the middleware above did it), e.g. to fire their IPNs. */
  router.post('/settle', (_req, res) => {
    res.json({ now: kit.clock.now().toISOString(), applied: res.locals.settled as number });
  });

  addSettingsRoutes(router, () => store.settings, amazonPaySettingsPatchSchema);

  return router;
}
