import { join } from 'node:path';
import express, { type Router } from 'express';

const DIST = join(__dirname, 'dist');

/**
 * /console/: the operator console's static files, public (the data behind them needs an operator's token). The app
 * routes by the URL's hash, so one page serves every view. The bundle is built by scripts/setup.sh (console/build.ts).
 */
export function createConsoleRoutes(): Router {
  const router = express.Router();
  router.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return void res.redirect(301, '/console/');
    next();
  });
  router.use((_req, res, next) => {
    // the API's no-store stays for data; the assets may be cached but revalidated, and only run our own scripts
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'");
    next();
  });
  router.use(express.static(DIST, { index: 'index.html', fallthrough: true }));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('console not built: run npm run setup');
  });
  return router;
}
