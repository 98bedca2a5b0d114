import { describeGmoError, type GmoErrorAction, type GmoErrorMeaning } from './error-codes';

export type GmoPgOperation = 'EntryTran' | 'ExecTran' | 'AlterTran' | 'ChangeTran' | 'SearchTrade';

export interface GmoPgApiErrorInit {
  operation: GmoPgOperation;
  /** ErrCode list (E01, G55, …); for a transport failure our own name (TIMEOUT, NETWORK, HTTP502, INVALID) */
  codes: string[];
  /** ErrInfo list, parallel to codes; empty for a transport failure */
  infos: string[];
  retryable: boolean;
  stateUnknown: boolean;
  message: string;
  httpStatus?: number;
}

/**
 * A GMO-PG call that failed: an `ErrCode/ErrInfo` answer (one or several codes), or the transport's failure.
 * - `retryable`: sending the same call again later can succeed (every listed code must say so);
 * - `stateUnknown`: the call may have been applied (状態 不明, a timeout, a dropped connection): the caller must
 *   SearchTrade before retrying or giving up (§5.3).
 * No hidden retries anywhere: the workflow's retry policy decides.
 */
export class GmoPgApiError extends Error {
  override name = 'GmoPgApiError';
  readonly operation: GmoPgOperation;
  readonly codes: string[];
  readonly infos: string[];
  readonly retryable: boolean;
  readonly stateUnknown: boolean;
  readonly httpStatus: number | undefined;

  constructor(init: GmoPgApiErrorInit) {
    super(init.message);
    this.operation = init.operation;
    this.codes = init.codes;
    this.infos = init.infos;
    this.retryable = init.retryable;
    this.stateUnknown = init.stateUnknown;
    this.httpStatus = init.httpStatus;
  }

  /** The first ErrInfo (or our transport code). */
  get code(): string {
    return this.infos[0] ?? this.codes[0] ?? '';
  }

  /** Meanings of every ErrInfo, in wire order. */
  get meanings(): Array<GmoErrorMeaning & { info: string }> {
    return this.infos.map(describeGmoError);
  }

  /** The action of the first code that asks for more than fixing the request (search-trade before fix-request). */
  get action(): GmoErrorAction {
    const actions = this.meanings.map((x) => x.action);
    if (this.stateUnknown && !actions.length) return 'search-then-retry';
    return actions.find((a) => a !== 'fix-request') ?? actions[0] ?? 'fix-request';
  }

  has(info: string): boolean {
    return this.infos.includes(info);
  }

  /** From an `ErrCode=…&ErrInfo=…` answer. */
  static fromWire(operation: GmoPgOperation, codes: string[], infos: string[]): GmoPgApiError {
    const meanings = infos.map(describeGmoError);
    const text = meanings.map((x) => `${x.info} ${x.ja} (${x.en})`).join('; ');
    return new GmoPgApiError({
      operation, codes, infos,
      retryable: meanings.length > 0 && meanings.every((x) => x.retryable),
      stateUnknown: meanings.some((x) => x.state === '不明'),
      message: `${operation}: ${text || `ErrCode=${codes.join('|')}`}`,
    });
  }

  /** No answer in time: the call may have landed. */
  static timeout(operation: GmoPgOperation, ms: number): GmoPgApiError {
    return new GmoPgApiError({ operation, codes: ['TIMEOUT'], infos: [], retryable: true, stateUnknown: true, message: `${operation}: no answer within ${ms} ms` });
  }

  /** The connection failed or dropped; whether the request reached GMO cannot be told. */
  static network(operation: GmoPgOperation, cause: string): GmoPgApiError {
    return new GmoPgApiError({ operation, codes: ['NETWORK'], infos: [], retryable: true, stateUnknown: true, message: `${operation}: network error: ${cause}` });
  }

  /** GMO answers 200 even for business errors, so any other status is a gateway's: 5xx and 429 are worth repeating. */
  static http(operation: GmoPgOperation, status: number, excerpt: string): GmoPgApiError {
    const retryable = status >= 500 || status === 429 || status === 408;
    return new GmoPgApiError({
      operation, codes: [`HTTP${status}`], infos: [], retryable, stateUnknown: status >= 500, httpStatus: status,
      message: `${operation}: HTTP ${status}${excerpt ? `: ${excerpt.slice(0, 120)}` : ''}`,
    });
  }

  /** A 200 answer that is not what the operation promises (or a CheckString that does not verify). */
  static invalidResponse(operation: GmoPgOperation, detail: string, stateUnknown = false): GmoPgApiError {
    return new GmoPgApiError({ operation, codes: ['INVALID'], infos: [], retryable: false, stateUnknown, message: `${operation}: unexpected response: ${detail}` });
  }
}
