/**
 * Yahoo order API error codes (docs/providers/yahoo.md §8). `px-*`, `or-01001` and the 401 texts are public;
 * the `od999xx` codes are the sandbox's own, clearly fake, for business-rule rejections whose real codes are not
 * public (ASSUMED: HTTP 400 with `<Error>`).
 */
export const YAHOO_ERROR = {
  sessionExpired: { code: 'px-04102', message: 'AccessToken has been expired. This API session is shorter than another API.', httpStatus: 401 },
  notApproved: { code: 'px-04303', message: 'application ID is not registered for using order API', httpStatus: 403 },
  apiNotPermitted: { code: 'px-14303', message: 'Use of API is not permitted', httpStatus: 403 },
  noToken: { code: 'invalid_request', message: 'Please provide valid credentials. Bearer realm="yahooapis.jp", error="invalid_request"', httpStatus: 401 },
  invalidToken: { code: 'invalid_token', message: 'Please provide valid credentials. Bearer realm="yahooapis.jp", error="invalid_token"', httpStatus: 401 },
  insufficientScope: { code: 'insufficient_scope', message: 'Please provide valid credentials. Bearer realm="yahooapis.jp", error="insufficient_scope"', httpStatus: 401 },
  rateLimited: { code: 'Forbidden', message: 'Your Request was Forbidden', httpStatus: 403 },
  notExists: { code: 'or-01001', message: 'Not Exists', httpStatus: 400 },
  invalidParameter: { code: 'od99901', message: 'Invalid parameter', httpStatus: 400 },
  statusNotAllowed: { code: 'od99902', message: 'The order status cannot be changed', httpStatus: 400 },
  badXml: { code: 'od99903', message: 'Request body is not valid XML', httpStatus: 400 },
  sellerMismatch: { code: 'od99904', message: 'SellerId does not match the token', httpStatus: 403 },
} as const;

/** 403s that are about the app, not the request rate: retrying cannot help. */
const PERMANENT_403_CODES = new Set<string>([YAHOO_ERROR.notApproved.code, YAHOO_ERROR.apiNotPermitted.code, YAHOO_ERROR.sellerMismatch.code]);

/**
 * A Yahoo call that failed. `retryable` is true for 5xx, the rate-limit 403, timeouts and network errors; never for
 * px-04102 (re-authorize the store), px-04303, a 401, or a business-rule rejection.
 */
export class YahooApiError extends Error {
  override name = 'YahooApiError';
  constructor(
    message: string,
    readonly httpStatus: number | undefined,
    readonly code: string | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
  }

  /** From an HTTP answer: the `<Error>` (or orderList's `<Result><Status>NG`) code and message when there was one. */
  static fromHttp(httpStatus: number, code: string | undefined, message: string | undefined): YahooApiError {
    const retryable = httpStatus >= 500 || (httpStatus === 403 && !(code && PERMANENT_403_CODES.has(code))) || httpStatus === 429;
    const text = `${code ? `${code}: ` : ''}${message || `HTTP ${httpStatus}`}`;
    return new YahooApiError(text, httpStatus, code, retryable);
  }

  static timeout(ms: number): YahooApiError {
    return new YahooApiError(`no answer within ${ms} ms`, undefined, 'TIMEOUT', true);
  }

  static network(cause: string): YahooApiError {
    return new YahooApiError(`network error: ${cause}`, undefined, 'NETWORK', true);
  }
}
