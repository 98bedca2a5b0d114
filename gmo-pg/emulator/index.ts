import express, { type Router } from 'express';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { GMO_APIS, GmoGateway } from './gateway';
import { ScriptedErrors } from './scripted-errors';
import { createGmoPgWireRoutes } from './wire-routes';
import { createGmoPgControlRoutes } from './control-routes';

export interface GmoPgEmulator {
  router: Router;
  kit: EmulatorKit;
  gateway: GmoGateway;
  scripted: ScriptedErrors;
}

/** GMO-PG (PGマルチペイメントサービス, protocol type) in a box: the API under /payment, the control plane under /_sandbox. */
export function createGmoPgEmulator(): GmoPgEmulator {
  const kit = createEmulatorKit(GMO_APIS);
  const gateway = new GmoGateway(kit);
  const scripted = new ScriptedErrors();
  const router = express.Router();
  router.use('/payment', createGmoPgWireRoutes(kit, gateway, scripted));
  router.use('/_sandbox', createControlPlane(kit, () => {
    gateway.reset();
    scripted.clear();
  }));
  router.use('/_sandbox', createGmoPgControlRoutes(kit, gateway, scripted));
  router.use('/_sandbox', controlErrorHandler);
  return { router, kit, gateway, scripted };
}
