/**
 * Amazon Pay async authorization (非同期オーソリ) review: statuses and rules from seed 000 #1319, #1320, #1352.
 * Workflow-safe.
 */
export const PAYMENT_STATUS = {
  reviewing: '審査中',
  reviewed: '審査完了',
  declined: '審査NG',
  /** the review process itself failed (e.g. the permission does not exist): recorded by the failure interceptor */
  failed: '審査エラー',
} as const;
export type PaymentStatus = (typeof PAYMENT_STATUS)[keyof typeof PAYMENT_STATUS];

/** States that arrive while the workflow expects the review result and are not one (#1320 (2), #1352). */
export const UNEXPECTED_STATES = ['CaptureInitiated', 'Captured', 'Canceled'] as const;

export const UNEXPECTED_STATE_MESSAGE =
  '以下の受注において、予期せぬステータスを取得しました。\nAmazonセラーセントラルを確認いただき、\n必要に応じてオーソリ確定処理を行ってください。';

export type ReviewOutcome =
  | { kind: 'authorized' }
  | { kind: 'declined'; reasonCode: string | null }
  | { kind: 'unexpected'; state: string }
  | { kind: 'pending' };

/** What a charge's state means for the review. */
export function reviewOutcome(state: string, reasonCode: string | null): ReviewOutcome {
  if (state === 'AuthorizationInitiated') return { kind: 'pending' };
  if (state === 'Authorized') return { kind: 'authorized' };
  if (state === 'Declined') return { kind: 'declined', reasonCode };
  return { kind: 'unexpected', state };
}

export interface AuthorizationRequest {
  shopId: string;
  orderId: string;
  chargePermissionId: string;
  amountJpy: number;
  /** オーソリ時確定フラグ: capture as soon as the authorization is approved */
  captureOnAuthorization: boolean;
  /** the payment method's setting: cancel the order when the authorization is declined (#187) */
  cancelOnDecline: boolean;
  /** the 決済方法 code whose settings apply (payment_method_settings; its 与信NG時自動受注取消 too); 'amazon-pay' by default */
  paymentMethod?: string;
}
