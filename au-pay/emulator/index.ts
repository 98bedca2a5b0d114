import express, { type Router } from 'express';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { AuPayMarket } from './market';
import { AU_PAY_OPERATIONS } from './operations';
import { createAuPayWireRoutes } from './wire-routes';
import { createAuPayControlRoutes } from './control-routes';

export interface AuPayEmulator {
  router: Router;
  kit: EmulatorKit;
  market: AuPayMarket;
}

/** au PAY マーケット in a box: the wire API under /wmshopapi, the control plane under /_sandbox. */
export function createAuPayEmulator(): AuPayEmulator {
  const kit = createEmulatorKit(AU_PAY_OPERATIONS);
  const market = new AuPayMarket(kit);
  const router = express.Router();
  router.use('/wmshopapi', createAuPayWireRoutes(kit, market));
  router.use('/_sandbox', createControlPlane(kit, () => market.reset()));
  router.use('/_sandbox', createAuPayControlRoutes(kit, market));
  return { router, kit, market };
}
