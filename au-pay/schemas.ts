import { z } from 'zod';

/**
 * au PAY マーケット (Wow! manager API) data, shared by our client and our emulator
 * (docs/providers/au-pay.md). Values stay strings as the wire carries them.
 */
export const AU_ORDER_STATUSES = [
  '新規受付', '発送前入金待ち', '発送後入金待ち', '与信待ち', '発送待ち', '完了', '保留', 'キャンセル',
  '新規予約', '予約中', '不正取引審査中', '審査保留', '審査NG', 'キャンセル受付中',
] as const;
export type AuOrderStatus = (typeof AU_ORDER_STATUSES)[number];

/** Statuses updateTradeStsProc accepts (キャンセル goes through cancelTradeProc). */
export const UPDATABLE_ORDER_STATUSES: readonly AuOrderStatus[] = [
  '新規受付', '新規予約', '予約中', '発送前入金待ち', '与信待ち', '発送待ち', '発送後入金待ち', '完了', '保留',
];

/** 配送会社 codes: 1, 2, 6 are known; 4, 5, 7, 9 are listed by the spec with assumed meanings. */
export const SHIPPING_CARRIERS: Record<string, string> = {
  '1': 'クロネコヤマト',
  '2': '佐川急便',
  '4': '西濃運輸',
  '5': '福山通運',
  '6': '日本郵便',
  '7': 'その他',
  '9': 'その他',
};
export const carrierCode = z.enum(Object.keys(SHIPPING_CARRIERS) as [string, ...string[]]);

/** 配送お問い合せ番号: digits and hyphens; empty is allowed (the seed: a blank tracking number can be pushed). */
export const trackingNumber = z.string().regex(/^[0-9A-Za-z-]{0,40}$/, 'digits, letters and hyphens, at most 40');

/** One order as searchTradeInfoProc returns it (the fields renkei reads; the emulator sends more). */
export const auTradeSchema = z.object({
  orderId: z.string(),
  orderDate: z.string().optional(),
  orderStatus: z.string(),
  shippingDate: z.string().optional().default(''),
  shippingCarrier: z.string().optional().default(''),
  shippingNumber: z.string().optional().default(''),
  cancelStatus: z.string().optional(),
  /** 決済ステータス (`Y` paid, per one client) */
  paymentStatus: z.string().optional(),
});
export type AuTrade = z.infer<typeof auTradeSchema>;

export const resultSchema = z.object({
  status: z.enum(['0', '1']),
  error: z.array(z.object({ code: z.string(), message: z.string().optional().default('') })).optional(),
});

export const responseSchema = z.object({
  response: z.object({
    result: resultSchema,
    resultCount: z.string().optional(),
    orderInfo: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});
