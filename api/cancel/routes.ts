import express, { type Router } from 'express';
import type { ApiDeps } from '../app';

/** SCAFFOLD (issue 6): /shops/:shopId/cancellations. Owned by the cancellation helper. */
export function createOrderCancelRoutes(_deps: ApiDeps): Router {
  return express.Router({ mergeParams: true });
}
