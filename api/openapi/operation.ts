import type { z } from 'zod';

/**
 * One operation of the HTTP API as the OpenAPI document publishes it, built from the same zod schemas the route
 * validates with (one source of truth). `path` is written the OpenAPI way: /shops/{shopId}/oplux/orders/{orderId}.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Groups operations in the reference page: the process or area (au PAY, O-PLUX, operators, console…). */
  tag: string;
  summary: string;
  /** The least role that may call it; absent for operations outside the operator token (health, IPN). */
  role?: 'viewer' | 'operator' | 'admin';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Each status the route answers, with the schema of its JSON body where it has a fixed shape. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}
