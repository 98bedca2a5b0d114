import express, { type Router } from 'express';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { Detector } from './detector';
import { OPLUX_OPERATIONS } from './operations';
import { createOpluxWireRoutes } from './wire-routes';
import { createNameNormalizerRoutes } from './name-normalizer';
import { createOpluxControlRoutes } from './control-routes';

export interface OpluxEmulator {
  router: Router;
  kit: EmulatorKit;
  detector: Detector;
}

/**
 * O-PLUX in a box: the v2 event API at /v2/event, the name normalizer at /name-normalizer/ (a separate host in real
 * life), the control plane under /_sandbox.
 */
export function createOpluxEmulator(): OpluxEmulator {
  const kit = createEmulatorKit(OPLUX_OPERATIONS);
  const detector = new Detector(kit);
  const router = express.Router();
  router.use('/name-normalizer', createNameNormalizerRoutes(kit, detector));
  router.use('/_sandbox', createControlPlane(kit, () => detector.reset()));
  router.use('/_sandbox', createOpluxControlRoutes(kit, detector));
  router.use('/v2', createOpluxWireRoutes(kit, detector));
  return { router, kit, detector };
}
