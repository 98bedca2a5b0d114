import express, { type Router } from 'express';
import type { ApiDeps } from '../app';

/** SCAFFOLD (issue 5): /shops/:shopId/yahoo. */
export function createYahooRoutes(_deps: ApiDeps): Router {
  return express.Router({ mergeParams: true });
}
