import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Requires `Authorization: Bearer <API_TOKEN>`, compared in constant time. */
export function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const given = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given && timingSafeEqual(digest(given), expected)) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: 'missing or wrong bearer token' });
  };
}
