import type { z } from 'zod';
import { normalizeAmounts } from './money';

/** One data-plane answer before it is serialized: Amazon's object, or its `{reasonCode, message}` error body (§5). */
export interface ApiResult {
  status: number;
  body: unknown;
}

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
export const apiError = (status: number, reasonCode: string, message: string): ApiResult => ({ status, body: { reasonCode, message } });
export const notFound = (what: string, id: string): ApiResult => apiError(404, 'ResourceNotFound', `The ${what} ${id} does not exist.`);

const valueAt = (body: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), body);

/**
 * A request body against our zod schema, answered as Amazon does: a required field that is absent is
 * MissingParameterValue, one that is present but wrong is InvalidParameterValue; the message names the field.
 */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): { ok: true; data: z.infer<S> } | { ok: false; error: ApiResult } {
  const input = normalizeAmounts(body ?? {});
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: apiError(400, 'InvalidRequestFormat', 'The request body must be a JSON object.') };
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(body)';
  if (valueAt(input, issue.path) === undefined) {
    return { ok: false, error: apiError(400, 'MissingParameterValue', `The required parameter ${field} is missing.`) };
  }
  return { ok: false, error: apiError(400, 'InvalidParameterValue', `The value of ${field} is invalid: ${issue.message}`) };
}
