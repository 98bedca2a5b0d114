/**
 * The O-PLUX fraud review's words and pure rules (seed 001), workflow-safe: statuses, the shop's settings, which
 * orders are reviewed, when 受注OUT制御 holds the order data OUT back, and what an operator may do when.
 *
 *   審査中 ─register─▶ OK (released)                          ─keep open for the black flag─▶ done
 *     │            └─▶ 目視審査待ち ─manual 10─▶ OK ─┘
 *     │                     │     └─manual 20─▶ NG ─┘
 *     │                     └─manual 30─▶ 目視審査HOLD ─manual 10/20─▶ OK / NG
 *     └─retries spent─▶ 審査エラー ─手動再連携─▶ 審査中        (an update's retries spent: 更新エラー ─手動再連携─▶ re-sent)
 *   対象外: a payment or a recurring order the shop does not review; released at once.
 */
import type { OpluxManualCode, OpluxReview, OpluxSettleMethod } from '../oplux/codes';

export const FRAUD_STATUS = {
  reviewing: '審査中',
  awaitingManual: '目視審査待ち',
  manualHold: '目視審査HOLD',
  ok: 'OK',
  ng: 'NG',
  reviewError: '審査エラー',
  updateError: '更新エラー',
  notTarget: '対象外',
  /** the order was canceled: the review ended, O-PLUX told settle status 99 */
  canceled: 'キャンセル',
} as const;
export type FraudStatus = (typeof FRAUD_STATUS)[keyof typeof FRAUD_STATUS];

/** O-PLUX処理結果 (free item 7): what the last call to O-PLUX did. */
export const PROCESSING_RESULT = {
  reviewed: '審査済',
  updated: '更新済',
  reviewError: '審査エラー',
  updateError: '更新エラー',
  notTarget: '対象外',
} as const;
export type ProcessingResult = (typeof PROCESSING_RESULT)[keyof typeof PROCESSING_RESULT];

/** API連携再連携区分 (free item 12, two full-width characters): the call a 手動再連携 re-runs. */
export const RELINK_KIND = { register: '登録', update: '更新' } as const;
export type RelinkKind = (typeof RELINK_KIND)[keyof typeof RELINK_KIND];

/** O-PLUX受注OUT制御: the three modes of the seed, and what each holds back. */
export const ORDER_OUT_CONTROL = {
  /** 制御しない */
  none: 'none',
  /** 制御する(自動審査NG,自動審査REVIEW,目視審査NG,目視審査HOLD) */
  ngReviewHold: 'ng-review-hold',
  /** 制御する(自動審査NG,目視審査NG,目視審査HOLD) */
  ngHold: 'ng-hold',
} as const;
export type OrderOutControl = (typeof ORDER_OUT_CONTROL)[keyof typeof ORDER_OUT_CONTROL];
export const ORDER_OUT_CONTROLS = Object.values(ORDER_OUT_CONTROL) as [OrderOutControl, ...OrderOutControl[]];

/** O-PLUX商品情報制御: which of the shop's keys goes out as 加盟店商品ID. */
export const PRODUCT_KEYS = ['product-id', 'product-code', 'attribute-code'] as const;
export type ProductKey = (typeof PRODUCT_KEYS)[number];

/** O-PLUX 定期受注審査方式 (values ASSUMED: the seed names the setting only): every recurring order, the first, or none. */
export const RECURRING_REVIEW_MODES = ['every', 'first', 'none'] as const;
export type RecurringReviewMode = (typeof RECURRING_REVIEW_MODES)[number];

/** The shop's review settings (seed 001 STEP5, items 8 to 14). Credit card only unless non-credit-card is enabled. */
export interface OpluxReviewSettings {
  orderOutControl: OrderOutControl;
  productKey: ProductKey;
  /** the shop's payment ids that are credit card payments, reviewed with creditCardModelId */
  creditCardPaymentIds: string[];
  creditCardModelId: string;
  /** O-PLUX 非クレジットカード決済有効化フラグ */
  nonCreditCardEnabled: boolean;
  /** O-PLUX 連携決済マッピング: the shop's payment id → O-PLUX settle.method code, for the payments reviewed */
  paymentMapping: Record<string, OpluxSettleMethod>;
  /** O-PLUX 審査モデルマッピング: the shop's payment id → 審査モデルID */
  modelMapping: Record<string, string>;
  /** O-PLUX 後払い決済ID: the payments reviewed as 後払い */
  deferredPaymentIds: string[];
  /** O-PLUX 定期受注審査方式 */
  recurringReviewMode: RecurringReviewMode;
}

export const defaultReviewSettings = (): OpluxReviewSettings => ({
  orderOutControl: 'none', productKey: 'product-id', creditCardPaymentIds: ['credit_card'], creditCardModelId: 'CRD_01',
  nonCreditCardEnabled: false, paymentMapping: {}, modelMapping: {}, deferredPaymentIds: [], recurringReviewMode: 'every',
});

/** What the review needs of an order's payment to decide whether and how it is reviewed. */
export interface PaymentFacts {
  paymentMethodId: string;
  /** a recurring (定期) order, and its place in the series (1 = the first) */
  recurring?: { sequence: number };
}

export type ReviewPlan =
  | { target: true; modelId: string; settleMethod: OpluxSettleMethod; orderOutControl: OrderOutControl }
  | { target: false; reason: string; orderOutControl: OrderOutControl };

/** Whether the shop reviews this order, and with which model and settle method. */
export function planReview(s: OpluxReviewSettings, p: PaymentFacts): ReviewPlan {
  const skip = (reason: string): ReviewPlan => ({ target: false, reason, orderOutControl: s.orderOutControl });
  if (p.recurring) {
    if (s.recurringReviewMode === 'none') return skip('定期受注は審査対象外です (O-PLUX 定期受注審査方式)');
    if (s.recurringReviewMode === 'first' && p.recurring.sequence > 1) return skip('定期受注の2回目以降は審査対象外です (O-PLUX 定期受注審査方式)');
  }
  if (s.creditCardPaymentIds.includes(p.paymentMethodId)) {
    return { target: true, modelId: s.modelMapping[p.paymentMethodId] ?? s.creditCardModelId, settleMethod: '02', orderOutControl: s.orderOutControl };
  }
  if (!s.nonCreditCardEnabled) return skip(`決済 ${p.paymentMethodId} はクレジットカード以外のため審査対象外です`);
  const mapped = s.paymentMapping[p.paymentMethodId];
  const modelId = s.modelMapping[p.paymentMethodId];
  if (!mapped && !s.deferredPaymentIds.includes(p.paymentMethodId)) return skip(`決済 ${p.paymentMethodId} は O-PLUX 連携決済マッピングにありません`);
  if (!modelId) return skip(`決済 ${p.paymentMethodId} の審査モデルが O-PLUX 審査モデルマッピングにありません`);
  return { target: true, modelId, settleMethod: s.deferredPaymentIds.includes(p.paymentMethodId) ? '01' : (mapped ?? '99'), orderOutControl: s.orderOutControl };
}

export type ManualWord = 'OK' | 'NG' | 'HOLD';
export const MANUAL_WORD: Record<OpluxManualCode, ManualWord> = { '10': 'OK', '20': 'NG', '30': 'HOLD' };

/**
 * 受注OUT制御: whether the order data OUT is held back after this review. The manual result, once given, decides;
 * before it, the auto result. 審査エラー is held back by both controlling modes (fail closed) and not by 制御しない.
 */
export function outHeldBack(mode: OrderOutControl, auto: OpluxReview | 'ERROR', manual?: ManualWord): boolean {
  if (mode === ORDER_OUT_CONTROL.none) return false;
  if (manual) return manual === 'NG' || manual === 'HOLD';
  if (auto === 'ERROR' || auto === 'NG') return true;
  return mode === ORDER_OUT_CONTROL.ngReviewHold && auto === 'REVIEW';
}

/** The status a review result leads to. */
export const statusAfterReview = (auto: OpluxReview): FraudStatus => (auto === 'OK' ? FRAUD_STATUS.ok : FRAUD_STATUS.awaitingManual);
export const statusAfterManual = (m: ManualWord): FraudStatus =>
  m === 'OK' ? FRAUD_STATUS.ok : m === 'NG' ? FRAUD_STATUS.ng : FRAUD_STATUS.manualHold;

/** The workflow's state the operator's actions are judged against. */
export interface OperatorView {
  status: FraudStatus;
  eventId: string | null;
  /** an operator action accepted and not yet sent to O-PLUX */
  queued: boolean;
  relinkRequested: boolean;
  /** a 目視審査結果 was given before: a second one corrects it (seed 001: the operator updates the order again) */
  manualGiven?: boolean;
}

const afterError = (v: OperatorView) =>
  v.status === FRAUD_STATUS.updateError ? 'the last update to O-PLUX failed (更新エラー): trigger a manual re-link (手動再連携) first' : undefined;

/** Why a manual review (目視審査) is refused now, or undefined. */
export function manualReviewRefusal(v: OperatorView): string | undefined {
  const err = afterError(v);
  if (err) return err;
  if (v.queued) return 'an earlier operator action is still being sent to O-PLUX';
  if (v.status === FRAUD_STATUS.awaitingManual || v.status === FRAUD_STATUS.manualHold) return undefined;
  if (v.manualGiven && (v.status === FRAUD_STATUS.ok || v.status === FRAUD_STATUS.ng)) return undefined; // a correction
  if (v.status === FRAUD_STATUS.canceled) return 'the order was canceled: its fraud review has ended';
  return `no manual review is awaited: the order's fraud review is ${v.status}; only NG, HOLD and REVIEW orders (目視審査待ち, 目視審査HOLD) take one`;
}

/** Why setting the black flag is refused now, or undefined. */
export function blacklistRefusal(v: OperatorView): string | undefined {
  const err = afterError(v);
  if (err) return err;
  if (v.queued) return 'an earlier operator action is still being sent to O-PLUX';
  if (!v.eventId) return `the order has no O-PLUX event yet (status ${v.status})`;
  return undefined;
}

/** Why a re-report with other data is refused now, or undefined: only a registration stopped at 審査エラー takes one. */
export function reReportRefusal(v: OperatorView & { relinkKind: RelinkKind | null }): string | undefined {
  if (v.relinkRequested) return 'a re-registration is already running';
  if (v.status !== FRAUD_STATUS.reviewError || v.relinkKind !== RELINK_KIND.register) {
    return `order was reported before with other data; its review goes on with the first report (status ${v.status}): only an order stopped at 審査エラー takes corrected data`;
  }
  return undefined;
}

/**
 * O-PLUX settle.status (C.5) for a payment outcome renkei records: authorized 請求中, captured 支払済, canceled キャンセル,
 * refunded 送付後キャンセル (ASSUMED mapping: the seed names the field only).
 */
export const SETTLE_STATUS_OF = { authorized: '10', captured: '20', canceled: '99', refunded: '100' } as const;
export type PaymentOutcome = keyof typeof SETTLE_STATUS_OF;

/** Why a manual re-link (手動再連携) is refused now, or undefined. */
export function relinkRefusal(v: OperatorView): string | undefined {
  if (v.relinkRequested) return 'a manual re-link is already running';
  if (v.status !== FRAUD_STATUS.reviewError && v.status !== FRAUD_STATUS.updateError) {
    return `a manual re-link applies to 審査エラー or 更新エラー only; the order's fraud review is ${v.status}`;
  }
  return undefined;
}

/** O-PLUXルール説明文 (at most 1500 characters) from the rules that fired. */
export function ruleDescription(rules: Array<{ code: string; description?: string }>): string | null {
  if (!rules.length) return null;
  return rules.map((r) => (r.description ? `${r.code}: ${r.description}` : r.code)).join(' / ').slice(0, 1500);
}

/** O-PLUXエラーメッセージ is at most 200 characters. */
export const errorMessage = (m: string): string => m.slice(0, 200);

/** O-PLUX決済ステータス after registration: settle.status 00 is sent. */
export const PAYMENT_STATUS_REGISTERED = '請求前';
export const TIMEOUT_MESSAGE = 'O-PLUXとの通信がタイムアウトしました。手動再連携を実施してください。';

/** The operator's input checked again inside the workflow (the API checks it first): code, memo length, flag. */
export function updateInputProblem(i: { result?: string; memo?: string; flag?: string; customerType?: string }): string | undefined {
  if ('result' in i && !['10', '20', '30'].includes(i.result ?? '')) return '目視審査結果 must be 10 (OK), 20 (NG) or 30 (HOLD)';
  if (i.memo !== undefined && i.memo.length > 200) return '目視審査結果メモ is at most 200 characters';
  if ('flag' in i && !['0', '1'].includes(i.flag ?? '')) return 'O-PLUXブラックフラグ must be 1 (ブラック) or 0 (ブラックではない)';
  if (i.customerType !== undefined && !['10', '20', '30'].includes(i.customerType)) return 'black customer type must be 10, 20 or 30';
  return undefined;
}
