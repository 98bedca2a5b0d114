import express, { type Router } from 'express';
import type { YahooAuth } from './auth';

/**
 * Yahoo! ID連携 v2 endpoints: /authorization (consent auto-approved: redirects with a code) and /token
 * (authorization_code and refresh_token grants; client credentials as Basic auth or form fields).
 */
export function createYahooTokenRoutes(auth: YahooAuth): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  router.get('/authorization', (req, res) => {
    const q = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]));
    if (q.response_type !== 'code' || !q.client_id || !q.redirect_uri) return void res.status(400).json({ error: 'invalid_request' });
    const code = auth.issueCode(q.client_id, q.redirect_uri);
    if (!code) return void res.status(400).json({ error: 'unauthorized_client' });
    const to = new URL(q.redirect_uri);
    to.searchParams.set('code', code);
    if (q.state) to.searchParams.set('state', q.state);
    res.redirect(302, to.toString());
  });

  router.post('/token', (req, res) => {
    const basic = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const r = auth.grant(form, id !== undefined && secret !== undefined ? { id, secret } : undefined);
    res.set('cache-control', 'no-store');
    if (!r.ok) return void res.status(r.error.httpStatus).json({ error: r.error.code, error_description: r.error.message });
    res.json(r.value);
  });

  return router;
}
