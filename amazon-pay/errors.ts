import { errorBodySchema } from './schemas';

/**
 * Reason codes of a synchronous authorization decline (422, §3.3, §5): a business result the workflow decides on,
 * never something to retry blindly. A business retry needs a new idempotency key (§6).
 */
export const DECLINE_REASON_CODES = ['SoftDeclined', 'HardDeclined', 'AmazonRejected', 'TransactionTimedOut', 'PaymentMethodNotAllowed', 'MFANotCompleted'] as const;

/**
 * Statuses worth repeating with the same idempotency key: 408, 425, 429 and every 5xx (what the official Node SDK
 * means to retry, §2.2). `500 ProcessingFailure` is among them at the transport level; whether to try again as a
 * business matter (new key, CP still Chargeable) is the workflow's decision.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** What an answer without Amazon's JSON error body (a gateway page, an empty body) is called. */
const STATUS_REASON: Record<number, string> = {
  400: 'InvalidRequest', 401: 'UnauthorizedAccess', 403: 'InvalidAuthentication', 404: 'ResourceNotFound', 405: 'UnsupportedOperation',
  408: 'RequestTimeout', 409: 'Conflict', 422: 'UnprocessableEntity', 425: 'TooEarly', 429: 'TooManyRequests',
  500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

export interface AmazonPayApiErrorInit {
  /** the HTTP status; undefined when no answer came (timeout, network) */
  status: number | undefined;
  reasonCode: string;
  message: string;
  /** x-amz-pay-request-id of the answer, for Amazon support */
  requestId?: string;
  retryable?: boolean;
}

/** An Amazon Pay call that failed: Amazon's `{reasonCode, message}`, or the transport's failure. */
export class AmazonPayApiError extends Error {
  override name = 'AmazonPayApiError';
  readonly status: number | undefined;
  readonly reasonCode: string;
  readonly requestId: string | undefined;
  readonly retryable: boolean;

  constructor(init: AmazonPayApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.reasonCode = init.reasonCode;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? (init.status === undefined || isRetryableStatus(init.status));
  }

  /** From a non-2xx answer: Amazon's JSON error body when there is one, else a name for the status. */
  static fromResponse(status: number, text: string, requestId: string | undefined): AmazonPayApiError {
    let parsed: { reasonCode: string; message: string } | undefined;
    try {
      const body = errorBodySchema.safeParse(JSON.parse(text));
      if (body.success) parsed = body.data;
    } catch {
      // not JSON: a load balancer's page or an empty body
    }
    const excerpt = text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
    return new AmazonPayApiError({
      status,
      reasonCode: parsed?.reasonCode ?? STATUS_REASON[status] ?? `HTTP${status}`,
      message: parsed ? parsed.message : `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
      requestId,
    });
  }

  /** A 2xx answer that is not the object the operation promises: a contract breach, not worth repeating. */
  static invalidResponse(status: number, detail: string, requestId: string | undefined): AmazonPayApiError {
    return new AmazonPayApiError({ status, reasonCode: 'InvalidResponse', message: `unexpected response: ${detail}`, requestId, retryable: false });
  }

  static timeout(ms: number): AmazonPayApiError {
    return new AmazonPayApiError({ status: undefined, reasonCode: 'RequestTimeout', message: `no answer within ${ms} ms`, retryable: true });
  }

  static network(cause: string): AmazonPayApiError {
    return new AmazonPayApiError({ status: undefined, reasonCode: 'NetworkError', message: `network error: ${cause}`, retryable: true });
  }
}
