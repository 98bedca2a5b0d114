import express, { type Router } from 'express';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { createAmazonPayControlRoutes } from './control-routes';
import { createAmazonPayWireRoutes } from './wire-routes';
import { IdempotencyKeys } from './idempotency';
import { PublicKeys } from './keys';
import { Lifecycle, type AmazonPayStateChange } from './lifecycle';
import { AmazonPayStore } from './model';
import { AMAZON_PAY_OPERATIONS, ScriptedOutcomes } from './outcomes';
import { Throttle } from './throttle';

export type { AmazonPayStateChange } from './lifecycle';
export type { AmazonPaySettings } from './settings';

export interface AmazonPayEmulatorOptions {
  /** Called for every state change of a CP, Charge or Refund, the time-driven ones when the emulator notices them. */
  onStateChange?: (change: AmazonPayStateChange) => void;
  /** Called by the control plane's reset, for state kept beside the emulator (its IPN sender). */
  onReset?: () => void;
}

export interface AmazonPayEmulator {
  router: Router;
  kit: EmulatorKit;
  store: AmazonPayStore;
  keys: PublicKeys;
  outcomes: ScriptedOutcomes;
  lifecycle: Lifecycle;
  /** The idempotency keys it remembers (the sandbox keeps them across restarts with the rest of its state). */
  idempotency: IdempotencyKeys;
  /** Adds a listener of state changes (besides `onStateChange`); returns its removal. */
  onStateChange(listener: (change: AmazonPayStateChange) => void): () => void;
  /** Applies the time-driven changes due by the emulator's now; returns how many. */
  settle(): number;
  /** The same as POST /_sandbox/reset. */
  reset(): void;
}

/**
 * Amazon Pay API v2 in a box (docs/providers/amazon-pay.md §11): the signed data plane under /{sandbox|live}/v2 and /v2,
 * the control plane under /_sandbox. Mount it anywhere: signatures are checked against the path as received.
 */
export function createAmazonPayEmulator(options: AmazonPayEmulatorOptions = {}): AmazonPayEmulator {
  const kit = createEmulatorKit(AMAZON_PAY_OPERATIONS);
  const store = new AmazonPayStore();
  const keys = new PublicKeys();
  const outcomes = new ScriptedOutcomes();
  const idempotency = new IdempotencyKeys();
  const throttle = new Throttle();
  const lifecycle = new Lifecycle(store);
  if (options.onStateChange) lifecycle.subscribe(options.onStateChange);
  const core = { kit, store, lifecycle, outcomes };

  const resetState = () => {
    store.reset();
    keys.reset();
    outcomes.clear();
    idempotency.reset();
    throttle.reset();
    options.onReset?.();
  };

  const router = express.Router();
  router.use('/_sandbox', createControlPlane(kit, resetState));
  router.use('/_sandbox', createAmazonPayControlRoutes(core, keys));
  router.use('/_sandbox', controlErrorHandler);
  router.use(createAmazonPayWireRoutes({ core, keys, idempotency, throttle }));

  return {
    router, kit, store, keys, outcomes, lifecycle, idempotency,
    onStateChange: (listener) => lifecycle.subscribe(listener),
    settle: () => lifecycle.settle(kit.clock.now()),
    reset: () => {
      kit.clock.reset();
      kit.faults.clear();
      kit.ledger.reset();
      resetState();
    },
  };
}
