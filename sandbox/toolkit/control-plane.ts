import express, { type Router } from 'express';
import { z } from 'zod';
import { faultRuleSchemaFor } from './faults';
import type { EmulatorKit } from './emulator-kit';

const clockBody = z.union([
  z.object({ now: z.string().datetime({ offset: true }) }),
  z.object({ advanceMs: z.number().int() }),
  z.object({ reset: z.literal(true) }),
]);

/**
 * The control plane every emulator shares, mounted under the emulator's own `/_sandbox` prefix:
 * GET|POST clock, GET|POST|DELETE faults (GET also lists the operation names a rule may take), GET ledger
 * (?orderId, ?operation), POST reset.
 * `resetState` clears the emulator's own data (orders, accounts) on top of the kit.
 */
export function createControlPlane(kit: EmulatorKit, resetState: () => void): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/clock', (_req, res) => {
    res.json({ now: kit.clock.now().toISOString() });
  });
  router.post('/clock', (req, res) => {
    const body = clockBody.parse(req.body);
    if ('now' in body) kit.clock.set(new Date(body.now));
    else if ('advanceMs' in body) kit.clock.advance(body.advanceMs);
    else kit.clock.reset();
    res.json({ now: kit.clock.now().toISOString() });
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: kit.faults.list(), operations: kit.operations });
  });
  router.post('/faults', (req, res) => {
    // an unknown operation is a 400 naming the known ones (the ledger's names)
    res.status(201).json(kit.faults.add(faultRuleSchemaFor(kit.operations).parse(req.body)));
  });
  router.delete('/faults', (_req, res) => {
    kit.faults.clear();
    res.status(204).end();
  });

  router.get('/ledger', (req, res) => {
    const q = z.object({ orderId: z.string().optional(), operation: z.string().optional() }).parse(req.query);
    res.json({ entries: kit.ledger.list(q) });
  });

  router.post('/reset', (_req, res) => {
    kit.clock.reset();
    kit.faults.clear();
    kit.ledger.reset();
    resetState();
    res.status(204).end();
  });

  return router;
}
