import { z } from 'zod';
import type { ApiOperation } from '../operation';
import { ok } from '../common';

const health = z.looseObject({ ok: z.boolean(), db: z.boolean(), temporal: z.boolean() });

export const HEALTH_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/health', tag: 'Health', summary: 'The API is up, and whether it reaches PostgreSQL and Temporal (no token)',
    responses: { 200: ok('all reached', health), 503: ok('PostgreSQL or Temporal not reached within a second', health) },
  },
  {
    method: 'get', path: '/metrics', tag: 'Health', summary: 'Prometheus metrics of the API process (text exposition format, no token)',
    responses: { 200: { description: 'the metrics', mediaType: 'text/plain' } },
  },
  {
    method: 'get', path: '/openapi.json', tag: 'Contract', summary: "This document: the API's contract, OpenAPI 3.1 (no token)",
    responses: { 200: ok('the OpenAPI document', z.looseObject({ openapi: z.string(), paths: z.looseObject({}) })) },
  },
  {
    method: 'get', path: '/openapi', tag: 'Contract', summary: 'The reference page that renders this document (HTML, no token)',
    responses: { 200: { description: 'the page', mediaType: 'text/html' } },
  },
];
