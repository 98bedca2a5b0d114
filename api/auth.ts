import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { actorOfToken } from '../db/operators';
import { hashToken } from '../operators/tokens';
import { BOOTSTRAP_ACTOR, hasRole, type Actor, type Role } from '../operators/roles';
import { HttpError } from './http-error';

const digest = (s: string) => createHash('sha256').update(s).digest();
const bearerOf = (header: string | undefined) => /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];
const unauthorized = (res: Response) => res.status(401).set('www-authenticate', 'Bearer').json({ error: 'missing or wrong bearer token' });

/** Requires `Authorization: Bearer <API_TOKEN>`, compared in constant time (the codec endpoint's own check). */
export function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const given = bearerOf(req.get('authorization'));
    if (given && timingSafeEqual(digest(given), expected)) return next();
    unauthorized(res);
  };
}

/**
 * Who is calling: the deployment's API_TOKEN (the bootstrap admin, compared in constant time) or an operator's live
 * token (looked up by its hash). The actor rides on res.locals for the role checks and the audit.
 */
export function authenticate(deps: { apiToken: string; db: Pick<Pool, 'query'> }): RequestHandler {
  const bootstrap = digest(deps.apiToken);
  return async (req, res, next) => {
    const given = bearerOf(req.get('authorization'));
    if (!given) return void unauthorized(res);
    const actor = timingSafeEqual(digest(given), bootstrap) ? BOOTSTRAP_ACTOR : await actorOfToken(deps.db, hashToken(given));
    if (!actor) return void unauthorized(res);
    res.locals.actor = actor;
    next();
  };
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('no actor: the route is not behind authenticate()');
  return actor;
}

/** 403 with the role the call needs, for an actor below it. */
export const requireRole = (needed: Role): RequestHandler => (_req, res, next) => {
  const actor = actorOf(res);
  next(hasRole(actor, needed) ? undefined : new HttpError(403, `this needs the ${needed} role; ${actor.name} is ${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}`, { needs: needed, role: actor.role }));
};

/** Deployment-wide work (operators, the whole audit): a shop's admin could otherwise reach other shops through it. */
export const requireEveryShopAdmin: RequestHandler = (req, res, next) => requireRole('admin')(req, res, (err?: unknown) => {
  if (err) return next(err);
  next(actorOf(res).shops === null ? undefined : new HttpError(403, 'this needs an admin of every shop', { needs: 'admin' }));
});

/** Reads need a viewer, anything that changes state an operator (settings and accounts ask for admin on their own routes). */
export const requireRoleForMethod: RequestHandler = (req, res, next) =>
  (req.method === 'GET' || req.method === 'HEAD' ? next() : requireRole('operator')(req, res, next));
