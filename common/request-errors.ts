import { ZodError } from 'zod';
import { echoId } from './safe-text';

/** At most this many issues are listed; the count says how many there were. */
const MAX_ISSUES = 20;

/** What body-parser's errors (by their `type`) mean to the caller, in words that echo nothing the caller sent. */
const BODY_ERRORS: Record<string, { status: number; error: string }> = {
  'entity.parse.failed': { status: 400, error: 'body is not valid JSON' },
  'entity.too.large': { status: 413, error: 'body is too large' },
  'charset.unsupported': { status: 415, error: 'unsupported charset: send JSON as UTF-8' },
  'encoding.unsupported': { status: 415, error: 'unsupported content-encoding: send identity, gzip, deflate or br' },
  'request.aborted': { status: 400, error: 'the request was aborted before its body was read' },
  'request.size.invalid': { status: 400, error: 'the body is not as long as its content-length' },
  'parameters.too.many': { status: 413, error: 'too many parameters' },
};

export interface ClientError {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The client-side errors every HTTP surface (API and sandbox control planes) answers alike, or undefined for anything
 * else: a validation error as 400 with each field and its reason; a body that is not JSON, too large (413), in an
 * unsupported charset or content-encoding (415), or that does not inflate; a path that does not percent-decode (400).
 * Nothing the caller sent is echoed beyond a bounded, escaped field name.
 */
export function clientError(err: unknown): ClientError | undefined {
  if (err instanceof ZodError) {
    const issues = err.issues.slice(0, MAX_ISSUES).map((i) => ({
      field: i.path.length ? echoId(i.path.map(String).join('.'), 128) : '(body)',
      reason: echoId(i.message, 200),
    }));
    return { status: 400, body: { error: 'invalid request', issues, ...(err.issues.length > MAX_ISSUES ? { issueCount: err.issues.length } : {}) } };
  }
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown };
  const known = typeof e.type === 'string' && Object.hasOwn(BODY_ERRORS, e.type) ? BODY_ERRORS[e.type] : undefined;
  if (known) return { status: known.status, body: { error: known.error } };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  // express's router: a path parameter that is not valid percent-encoded UTF-8 (URIError, status 400)
  if (err instanceof URIError && status === 400) return { status: 400, body: { error: 'a path segment is not valid percent-encoded UTF-8' } };
  // any other http-errors 4xx (a body that does not inflate, ...): its status, with its message bounded
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose === true) {
    return { status, body: { error: echoId(err instanceof Error ? err.message : 'bad request', 200) } };
  }
  return undefined;
}
