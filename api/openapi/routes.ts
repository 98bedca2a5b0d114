import express, { type Router } from 'express';
import { openApiDocument } from './document';
import { REFERENCE_PAGE } from './reference-page';

/** GET /openapi.json (the contract) and GET /openapi (its reference page): public, no token, like /health. */
export function createOpenApiRoutes(): Router {
  const router = express.Router();
  let document: string | undefined; // built once, on the first request
  router.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(openApiDocument());
    res.type('application/json').send(document);
  });
  router.get('/openapi', (_req, res) => {
    res.set('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
    res.type('html').send(REFERENCE_PAGE);
  });
  return router;
}
