import express, { type Router } from 'express';
import type { ApiDeps } from './app';

const CHECK_MS = 800;

/** GET /health: the API is up, and whether it reaches PostgreSQL and Temporal, answered within a second. Needs no token. */
export function createHealthRoutes(deps: Pick<ApiDeps, 'db' | 'temporal'>): Router {
  const router = express.Router();
  router.get('/health', async (_req, res) => {
    const [db, temporal] = await Promise.all([
      withinMs(deps.db.query('SELECT 1')),
      withinMs(deps.temporal.withDeadline(Date.now() + CHECK_MS, () => deps.temporal.workflowService.getSystemInfo({}))),
    ]);
    res.status(db && temporal ? 200 : 503).json({ ok: db && temporal, db, temporal });
  });
  return router;
}

/** true when the check answered within the time; false when it failed or is still waiting (it is left to finish). */
function withinMs(check: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), CHECK_MS);
    check.then(() => resolve(true), () => resolve(false)).finally(() => clearTimeout(timer));
  });
}
