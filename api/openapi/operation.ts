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
  /** More than the summary: what the role check or the answer needs the caller to know. */
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (names lower-case), e.g. Idempotency-Key. */
  headers?: z.ZodType;
  body?: z.ZodType;
  /** The body's media type; application/json unless said otherwise (the Amazon Pay IPN takes SNS's text/plain). */
  bodyMediaType?: string;
  /** The same operation's body in other media types (the shipment import takes its file as text/csv, or JSON). */
  altBodies?: Record<string, z.ZodType>;
  /** Each status the route answers, with the schema of its JSON body where it has a fixed shape. */
  responses: Record<number, { description: string; schema?: z.ZodType; mediaType?: string }>;
}
