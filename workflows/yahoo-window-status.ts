/**
 * Yahoo!ショッピング's payment-method-change window (オーソリエラー注文の再決済, seed 002): where an オーソリエラー order
 * stands. Pure and workflow-safe; the workflow, the database row, the search attribute and the API all use these names.
 */
export const WINDOW_STATUS = {
  /** SettleStatus 10, the buyer may still change the payment method */
  waiting: '変更待ち',
  /** the buyer changed it; the new method is paid (SettleStatus 3) or collects on delivery: ShipStatus set to 1 出荷可 */
  changedReleased: '変更完了・出荷可',
  /** the buyer changed it to a method still to be paid (e.g. コンビニ, SettleStatus 2): the shop's usual 入金確認 takes over */
  changedAwaitingPayment: '変更完了・入金待ち',
  /** canceled (by the buyer or the store) while the window was open */
  canceled: 'キャンセル',
  /** no change by the deadline; canceled at Yahoo with the shop's cancel reason */
  expiredCanceled: '期限切れ・キャンセル済み',
  /** no change by the deadline; the shop decides (mail sent, decision through the API) */
  expiredAwaitingOperator: '期限切れ・担当者確認待ち',
  /** the operator keeps the order and handles it outside renkei */
  operatorKept: '担当者対応',
  /** an update at Yahoo failed for good (e.g. the store must re-authorize); mail sent, the operator retries or takes over */
  linkError: '連携エラー',
} as const;
export type WindowStatus = (typeof WINDOW_STATUS)[keyof typeof WINDOW_STATUS];

export const FINAL_STATUSES: readonly WindowStatus[] = [
  WINDOW_STATUS.changedReleased, WINDOW_STATUS.changedAwaitingPayment, WINDOW_STATUS.canceled, WINDOW_STATUS.expiredCanceled, WINDOW_STATUS.operatorKept,
];

/** What the workflow needs of an order (orderInfo, or an orderList row without PayMethodChangeDoneDate). Instants are ISO. */
export interface WindowOrderView {
  orderStatus: string;
  settleStatus: string;
  payStatus: string | null;
  shipStatus: string | null;
  payMethod: string;
  payMethodName: string | null;
  /** PayMethodChangeDeadline as an instant; null when Yahoo gave none */
  deadline: string | null;
  /** PayMethodChangeDoneDate; null until the buyer changes (orderInfo only) */
  doneAt: string | null;
  changePossible: boolean;
}

export type WindowOutcome = 'open' | 'changed' | 'canceled';

/** The buyer changed the method (done date set, or the order left 10 for 3 支払完了); OrderStatus 4 is a cancel. */
export function windowOutcome(v: WindowOrderView): WindowOutcome {
  if (v.orderStatus === '4') return 'canceled';
  if (v.doneAt || v.settleStatus === '3') return 'changed';
  return 'open';
}

/** 代引 collects on delivery; everything else that is not yet 支払完了 waits for its payment. */
const SHIP_ON_DELIVERY_PAYMENT = new Set(['payment_d1']);

/**
 * After the change: ship (ShipStatus 0 → 1 出荷可) when the new method is paid (SettleStatus 3, Yahoo keeps PayStatus
 * for its own methods) or collects on delivery; otherwise the order waits for its payment (not this workflow's job).
 */
export function releaseAfterChange(v: WindowOrderView): 'ship' | 'awaitPayment' {
  return v.settleStatus === '3' || v.settleStatus === '5' || SHIP_ON_DELIVERY_PAYMENT.has(v.payMethod) ? 'ship' : 'awaitPayment';
}

/** The operator's answer at a pending decision. */
export type WindowDecision = 'cancel' | 'keep' | 'retry';
export type PendingDecision = { kind: 'deadline'; options: readonly WindowDecision[] } | { kind: 'linkError'; options: readonly WindowDecision[] };
export const DEADLINE_DECISIONS: readonly WindowDecision[] = ['cancel', 'keep'];
export const LINK_ERROR_DECISIONS: readonly WindowDecision[] = ['retry', 'keep'];

/** Why a decision is refused, or undefined when it is acceptable now. */
export function decisionRefusal(pending: PendingDecision | undefined, status: WindowStatus, decision: WindowDecision): string | undefined {
  if (!pending) return `no decision is pending: the window is ${status}`;
  if (!pending.options.includes(decision)) return `${decision} is not a choice at ${status}; choose ${pending.options.join(' or ')}`;
  return undefined;
}
