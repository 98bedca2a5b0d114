import express, { type Router } from 'express';
import type { ApiDeps } from './app';

/** GET /health: the API is up, and whether it reaches PostgreSQL and Temporal. Needs no token. */
export function createHealthRoutes(deps: Pick<ApiDeps, 'db' | 'temporal'>): Router {
  const router = express.Router();
  router.get('/health', async (_req, res) => {
    const [db, temporal] = await Promise.all([
      deps.db.query('SELECT 1').then(() => true, () => false),
      deps.temporal.workflowService.getSystemInfo({}).then(() => true, () => false),
    ]);
    res.status(db && temporal ? 200 : 503).json({ ok: db && temporal, db, temporal });
  });
  return router;
}
