import type { Router } from 'express';
import type { z } from 'zod';

/**
 * GET and POST `/settings` on an emulator's control plane: read the settings, or patch some of them with a
 * validated body (a bad value is a 400 through the control plane's error handler).
 */
export function addSettingsRoutes<S extends object>(router: Router, settings: () => S, patch: z.ZodType<Partial<S>>): void {
  router.get('/settings', (_req, res) => {
    res.json(settings());
  });
  router.post('/settings', (req, res) => {
    Object.assign(settings(), patch.parse(req.body));
    res.json(settings());
  });
}
