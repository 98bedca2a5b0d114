import express, { type RequestHandler } from 'express';
import { findUnstorableText } from '../common/safe-text';

/**
 * The API's JSON input: the body parsed (at most `limit`, UTF-8), then every string and key of the body and the query
 * checked once for text PostgreSQL cannot store (NUL, a lone surrogate). Such input is a 400 naming the field, before
 * any handler acts on it: an external system must never apply what renkei's own record would then fail to keep.
 */
export function jsonInput(o: { limit: string }): RequestHandler[] {
  const refuseUnstorable: RequestHandler = (req, res, next) => {
    const bad = findUnstorableText(req.body) ?? findUnstorableText(req.query);
    if (!bad) return next();
    res.status(400).json({ error: 'invalid request', issues: [bad] });
  };
  return [express.json({ limit: o.limit }), refuseUnstorable];
}
