import { OPLUX_ERROR } from './codes';

export type OpluxErrorKind = 'transient' | 'auth' | 'invalid' | 'not-found' | 'duplicate';

/** Codes that describe O-PLUX's momentary state, not the request: retrying can help. */
const TRANSIENT_CODES = new Set<string>([OPLUX_ERROR.maintenance.code, OPLUX_ERROR.system.code]);
/** A bad signature or a skewed clock needs a human (secret, connection id, NTP), not a retry (spec D). */
const AUTH_CODES = new Set<string>([OPLUX_ERROR.badSignature.code, OPLUX_ERROR.clockSkew.code]);

/** An O-PLUX call that failed: transport, HTTP, or `<result>20</result>` with an error code. */
export class OpluxApiError extends Error {
  override name = 'OpluxApiError';
  constructor(
    message: string,
    readonly kind: OpluxErrorKind,
    readonly code: string | undefined,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }

  /** From a `<result>20</result>` answer; `E-PARAM-REQUIRED:<key>` carries the key after the colon. */
  static fromResult(code: string, message: string, httpStatus: number): OpluxApiError {
    const base = code.split(':')[0] ?? code;
    if (TRANSIENT_CODES.has(base)) return new OpluxApiError(message, 'transient', code, httpStatus);
    if (AUTH_CODES.has(base)) return new OpluxApiError(message, 'auth', code, httpStatus);
    if (base === OPLUX_ERROR.notFound.code) return new OpluxApiError(message, 'not-found', code, httpStatus);
    if (base === OPLUX_ERROR.duplicate.code) return new OpluxApiError(message, 'duplicate', code, httpStatus);
    return new OpluxApiError(message, 'invalid', code, httpStatus);
  }

  /** From an HTTP status with no usable XML: 5xx and 429 are transient, other 4xx are not. */
  static fromHttp(status: number, excerpt: string): OpluxApiError {
    const kind: OpluxErrorKind = status >= 500 || status === 429 ? 'transient' : status === 401 || status === 403 ? 'auth' : 'invalid';
    return new OpluxApiError(`HTTP ${status}${excerpt ? `: ${excerpt.slice(0, 120)}` : ''}`, kind, undefined, status);
  }

  static timeout(ms: number): OpluxApiError {
    return new OpluxApiError(`no answer within ${ms} ms`, 'transient', 'TIMEOUT', undefined);
  }

  static network(cause: string): OpluxApiError {
    return new OpluxApiError(`network error: ${cause}`, 'transient', 'NETWORK', undefined);
  }
}
