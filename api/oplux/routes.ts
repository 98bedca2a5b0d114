import express, { type Router } from 'express';
import type { ApiDeps } from '../app';

/** SCAFFOLD (issue 5): /shops/:shopId/oplux. */
export function createOpluxRoutes(_deps: ApiDeps): Router {
  return express.Router({ mergeParams: true });
}
