import express, { type Router } from 'express';
import { z } from 'zod';
import { createEmulatorKit, type EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { createControlPlane } from '../../sandbox/toolkit/control-plane';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { respondWithFaults } from '../../sandbox/toolkit/respond';
import { EXTERNAL_SYSTEM_OPERATIONS, Receiver, type ExternalSystemOperation } from './receiver';

export interface ExternalSystemEmulator {
  router: Router;
  kit: EmulatorKit;
  receiver: Receiver;
}

const endpointBody = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), secret: z.string().min(1).nullable().default(null) });

/**
 * The shop's external system, receiving order data OUT: POST /receive/{endpoint} verifies the Standard Webhooks
 * signature and records the delivery (duplicates flagged by webhook-id). The control plane under /_sandbox registers
 * endpoints, lists deliveries, and through the shared faults makes it fail (error), hang (timeout), be slow or
 * reject (an error fault with a 4xx status) on the `receive` operation.
 */
export function createExternalSystemEmulator(): ExternalSystemEmulator {
  const kit = createEmulatorKit(EXTERNAL_SYSTEM_OPERATIONS);
  const receiver = new Receiver(kit);
  const router = express.Router();

  router.post('/receive/:endpoint', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : v]));
    await respondWithFaults(res, kit, 'receive' satisfies ExternalSystemOperation, () => {
      const answer = receiver.receive(req.params.endpoint, headers, raw);
      return { status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) };
    });
  });

  router.use('/_sandbox', createControlPlane(kit, () => receiver.reset()));
  router.post('/_sandbox/endpoints', express.json(), (req, res) => {
    const e = endpointBody.parse(req.body);
    receiver.register(e);
    res.status(201).json({ name: e.name, path: `/receive/${e.name}`, signed: e.secret !== null });
  });
  router.get('/_sandbox/deliveries', (req, res) => {
    const q = z.object({ endpoint: z.string().optional(), orderId: z.string().optional() }).parse(req.query);
    res.json({ deliveries: receiver.list(q) });
  });
  router.use('/_sandbox', controlErrorHandler);
  return { router, kit, receiver };
}
