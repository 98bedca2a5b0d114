/**
 * O-PLUX code tables (docs/providers/oplux.md §5), shared by our client, our emulator and the review workflow. Codes
 * stay strings as the wire carries them: settle status "00" and "100" differ only by their leading digits.
 *
 * No zod here: the workflow bundle evaluates the modules a workflow imports once per workflow run, and building the
 * wire's zod schemas (schemas.ts) cost ~13 ms of CPU per run (tests/workflows/workflow-bundle-imports.test.ts keeps it out).
 */

/** Auto-review result (aaresult). */
export const REVIEW_RESULTS = ['OK', 'NG', 'HOLD', 'REVIEW'] as const;
export type OpluxReview = (typeof REVIEW_RESULTS)[number];

/** Manual review result (maResult) as sent by update: 10 OK, 20 NG, 30 HOLD. */
export const MANUAL_RESULTS = { '10': 'OK', '20': 'NG', '30': 'HOLD' } as const;
export type OpluxManualCode = keyof typeof MANUAL_RESULTS;
export type OpluxManualResult = (typeof MANUAL_RESULTS)[OpluxManualCode];
export const MANUAL_CODES = Object.keys(MANUAL_RESULTS) as [OpluxManualCode, ...OpluxManualCode[]];
export const manualCodeOf = (r: OpluxManualResult): OpluxManualCode =>
  (Object.entries(MANUAL_RESULTS).find(([, v]) => v === r)?.[0] ?? '30') as OpluxManualCode;

/** SFCC's EVENT_STATUS_CODE numbers for the review results (only 10, 20, 30 were seen sent). */
export const EVENT_STATUS_CODE: Record<OpluxReview, string> = { OK: '10', NG: '20', HOLD: '30', REVIEW: '40' };

export const SETTLE_STATUSES = {
  '00': '請求前',
  '10': '請求中',
  '20': '支払済',
  '30': '期限超過',
  '40': '委託済',
  '50': '貸倒',
  '60': 'チャージバック',
  '99': 'キャンセル',
  '100': '送付後キャンセル',
} as const;
export type OpluxSettleStatus = keyof typeof SETTLE_STATUSES;
export const SETTLE_STATUS_CODES = Object.keys(SETTLE_STATUSES) as [OpluxSettleStatus, ...OpluxSettleStatus[]];

export const SETTLE_METHODS = {
  '01': '後払い',
  '02': 'クレジットカード',
  '03': '代金引換',
  '04': '前払い',
  '05': '電子マネー',
  '06': 'ポイント支払',
  '07': '口座振替',
  '08': '分割払い',
  '09': 'Payeasy',
  '10': 'PayPal',
  '99': 'その他',
} as const;
export type OpluxSettleMethod = keyof typeof SETTLE_METHODS;

/** black_customer_type: SFCC's REGISTER_NG (the buyer), SHIPPING_ADDRESS_NG (the delivery), BOTH_NG. */
export const BLACK_CUSTOMER_TYPES = { '10': 'REGISTER_NG', '20': 'SHIPPING_ADDRESS_NG', '30': 'BOTH_NG' } as const;
export type OpluxBlackCustomerType = keyof typeof BLACK_CUSTOMER_TYPES;

/** Transport result: response/result. */
export const TRANSPORT_RESULT = { ok: '10', error: '20' } as const;

/**
 * Error codes. The real ones are not public: these are the spec's ASSUMED emulator codes, plus E-MAINTENANCE and
 * E-SYSTEM (also ASSUMED) for the maintenance window and an internal failure.
 */
export const OPLUX_ERROR = {
  badSignature: { code: 'E-AUTH-SIG', message: 'signature is invalid' },
  clockSkew: { code: 'E-AUTH-TIME', message: 'request_datetime is out of the allowed range' },
  required: { code: 'E-PARAM-REQUIRED', message: 'required parameter is missing' },
  invalid: { code: 'E-PARAM-INVALID', message: 'parameter value is invalid' },
  notFound: { code: 'E-EVENT-NOT-FOUND', message: 'event not found' },
  duplicate: { code: 'E-DUP-EVENT', message: 'event_id_for_shop is already registered for this model' },
  maintenance: { code: 'E-MAINTENANCE', message: 'O-PLUX is under maintenance' },
  system: { code: 'E-SYSTEM', message: 'internal error' },
} as const;
