/**
 * au PAY error codes. `0002` and `CME0022` are observed in public clients; the EMU-* codes are the sandbox's own
 * (the real codes for these cases are not public) and carry the wording shops see, e.g. the seed's
 * 「指定の取引はキャンセル済みです」.
 */
export const AU_ERROR = {
  authFailed: { code: '0002', message: '認証に失敗しました' },
  badShopId: { code: 'CME0022', message: 'ショップIDが不正です' },
  tradeCanceled: { code: 'EMU-TRD-CANCELLED', message: '指定の取引はキャンセル済みです' },
  tradeNotFound: { code: 'EMU-TRD-NOTFOUND', message: '指定の取引は存在しません' },
  required: { code: 'EMU-REQUIRED', message: '必須入力項目です' },
  invalidValue: { code: 'EMU-INVALID', message: '入力値が不正です' },
  statusNotAllowed: { code: 'EMU-STS-NOT-ALLOWED', message: '指定の受注ステータスには変更できません' },
  maintenance: { code: 'EMU-MAINTENANCE', message: 'ただいまメンテナンス中です' },
  xmlParse: { code: 'EMU-XML', message: 'String could not be parsed as XML' },
} as const;

/** Codes that describe the market's momentary state, not the request: retrying can help. */
const TRANSIENT_CODES = new Set<string>([AU_ERROR.maintenance.code, AU_ERROR.xmlParse.code]);

export type AuPayErrorKind = 'transient' | 'auth' | 'canceled' | 'not-found' | 'invalid';

/** An au PAY call that failed: at the HTTP level, or with `<status>1</status>`. */
export class AuPayApiError extends Error {
  override name = 'AuPayApiError';
  constructor(
    message: string,
    readonly kind: AuPayErrorKind,
    readonly code: string | undefined,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }

  /** From a `<status>1</status>` answer. */
  static fromResult(code: string, message: string, httpStatus: number): AuPayApiError {
    if (code === AU_ERROR.authFailed.code || code === AU_ERROR.badShopId.code) return new AuPayApiError(message, 'auth', code, httpStatus);
    if (code === AU_ERROR.tradeCanceled.code) return new AuPayApiError(message, 'canceled', code, httpStatus);
    if (code === AU_ERROR.tradeNotFound.code) return new AuPayApiError(message, 'not-found', code, httpStatus);
    if (TRANSIENT_CODES.has(code)) return new AuPayApiError(message, 'transient', code, httpStatus);
    return new AuPayApiError(message, 'invalid', code, httpStatus);
  }

  /** From an HTTP status with no usable XML: 5xx and 429 are transient, other 4xx are not. */
  static fromHttp(status: number, excerpt: string): AuPayApiError {
    const kind: AuPayErrorKind = status >= 500 || status === 429 ? 'transient' : status === 401 ? 'auth' : 'invalid';
    return new AuPayApiError(`HTTP ${status}${excerpt ? `: ${excerpt.slice(0, 120)}` : ''}`, kind, undefined, status);
  }

  static timeout(ms: number): AuPayApiError {
    return new AuPayApiError(`no answer within ${ms} ms`, 'transient', 'TIMEOUT', undefined);
  }

  static network(cause: string): AuPayApiError {
    return new AuPayApiError(`network error: ${cause}`, 'transient', 'NETWORK', undefined);
  }
}
