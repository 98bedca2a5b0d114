import { ZodError } from 'zod';

/**
 * The client-side errors every HTTP surface (API and sandbox control planes) answers alike: a validation error as
 * 400 with each field and its reason, a body that is not JSON as 400. Undefined for anything else.
 */
export function badRequestBody(err: unknown): Record<string, unknown> | undefined {
  if (err instanceof ZodError) {
    return { error: 'invalid request', issues: err.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message })) };
  }
  if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') return { error: 'body is not valid JSON' };
  return undefined;
}
