import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActedBy } from './acted-by';
import type { Duration } from '@temporalio/common';
import type { OpluxBlackCustomerType, OpluxManualCode, OpluxReview, OpluxSettleStatus } from '../oplux/codes';
import type { FraudStatus, ProcessingResult, RelinkKind } from './oplux-review-rules';

export interface ReviewParty {
  memberId?: string;
  lastName: string;
  firstName: string;
  email?: string;
  tel?: string;
  address?: { zipcode: string; prefecture: string; city: string; street: string; country?: string };
  companyName?: string;
}

export interface ReviewItem {
  productId: string;
  productCode?: string;
  /** 購入時の商品属性コード */
  attributeCode?: string;
  name: string;
  priceJpy: number;
  quantity: number;
  category?: string;
}

/** A completed order, as the shop reports it: what the review sends (seed 001: device, IP, items by the product key). */
export interface FraudReviewOrder {
  shopId: string;
  orderId: string;
  /** ISO instant of the purchase */
  orderedAt: string;
  amountJpy: number;
  /** the shop's payment id, e.g. credit_card */
  paymentMethodId: string;
  recurring?: { sequence: number };
  /** ブラウザ情報: the m:id tag's device string */
  deviceInfo: string;
  ipAddress: string;
  cookie?: string;
  bincode?: string;
  buyer: ReviewParty;
  delivery?: ReviewParty;
  items: ReviewItem[];
}

export interface FraudReviewOptions {
  /** how long the workflow stays open after the decision, for the operator's black flag (default 90 days) */
  keepOpenFor?: Duration;
}

export interface FraudReviewState {
  status: FraudStatus;
  processingResult: ProcessingResult | null;
  eventId: string | null;
  review: OpluxReview | null;
  manualResult: OpluxManualCode | null;
  blackFlag: '0' | '1' | null;
  released: boolean;
  errorMessage: string | null;
  relinkKind: RelinkKind | null;
}
export const fraudReviewStateQuery = defineQuery<FraudReviewState>('fraudReviewState');

export interface ManualReviewInput {
  /** 目視審査結果: 10 OK, 20 NG, 30 HOLD */
  result: OpluxManualCode;
  /** 目視審査結果メモ (at most 200 characters) */
  memo?: string;
}
/** The operator's 目視審査 of an NG, HOLD or REVIEW order; refused with a reason when none is awaited. */
export const submitManualReviewUpdate = defineUpdate<{ accepted: true; status: FraudStatus }, [ManualReviewInput, ActedBy?]>('submitManualReview');

export interface BlackFlagInput {
  /** O-PLUXブラックフラグ: 1 ブラック, 0 ブラックではない */
  flag: '0' | '1';
  customerType?: OpluxBlackCustomerType;
}
/** The operator's O-PLUXブラックフラグ, at any time once the order has an O-PLUX event. */
export const setBlackFlagUpdate = defineUpdate<{ accepted: true; status: FraudStatus }, [BlackFlagInput, ActedBy?]>('setBlackFlag');

/** 手動再連携: re-runs the call that failed (審査エラー: the registration, 更新エラー: the update). */
export const relinkUpdate = defineUpdate<{ accepted: true; relinkKind: RelinkKind }, [ActedBy]>('relink');

/**
 * The shop's system reports the order again with corrected data while its registration stands at 審査エラー (e.g. O-PLUX
 * refused a malformed address): the review registers again with the new data. Refused in any other state.
 */
export const reReportOrderUpdate = defineUpdate<{ accepted: true; status: FraudStatus }, [FraudReviewOrder]>('reReportOrder');

/** A payment outcome of the order (from the payment and cancellation processes), sent to O-PLUX as settle.status. */
export interface PaymentFeedback {
  /** O-PLUX settle.status (C.5), e.g. 20 支払済, 99 キャンセル */
  settleStatus: OpluxSettleStatus;
  /** the order was canceled: the review ends once O-PLUX has been told */
  canceled?: boolean;
}
export const paymentFeedbackSignal = defineSignal<[PaymentFeedback]>('opluxPaymentFeedback');
