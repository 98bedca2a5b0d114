import { z } from 'zod';
import { BLACK_CUSTOMER_TYPES, MANUAL_RESULTS, type OpluxBlackCustomerType, type OpluxManualCode } from '../../oplux/codes';
import { failureRecord } from '../openapi/common';

const orderNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');
const text = (max: number) => z.string().trim().min(1).max(max);

const party = z.object({
  memberId: text(64).optional(),
  lastName: text(64),
  firstName: text(64),
  email: z.string().email().max(254).optional(),
  tel: z.string().regex(/^[0-9+\-() ]{6,20}$/, 'a telephone number').optional(),
  address: z.object({
    zipcode: z.string().regex(/^\d{3}-?\d{4}$/, 'a Japanese postal code, e.g. 150-0001'),
    prefecture: text(10), city: text(64), street: text(255), country: z.string().regex(/^[A-Z]{2}$/).optional(),
  }).optional(),
  companyName: text(255).optional(),
});

const item = z.object({
  productId: text(64),
  productCode: text(64).optional(),
  attributeCode: text(64).optional(),
  name: text(255),
  priceJpy: z.number().int('whole yen').min(0),
  quantity: z.number().int().min(1),
  category: text(64).optional(),
});

/** An order completed at the shop: starts its fraud review (seed 001: device information, IP address, items). */
export const orderCompletedBody = z.object({
  orderId: orderNumber,
  orderedAt: z.string().datetime({ offset: true }),
  amountJpy: z.number().int('whole yen').min(0).max(99_999_999),
  paymentMethodId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'the shop’s payment id, e.g. credit_card'),
  recurring: z.object({ sequence: z.number().int().min(1) }).optional(),
  deviceInfo: z.string().min(1).max(3000, 'ブラウザ情報 is at most 3000 characters'),
  ipAddress: z.union([z.ipv4(), z.ipv6()], { message: 'an IPv4 or IPv6 address' }),
  cookie: z.string().max(500).optional(),
  bincode: z.string().regex(/^\d{6}$/, 'the first 6 digits of the card').optional(),
  buyer: party,
  delivery: party.optional(),
  items: z.array(item).min(1, 'at least one item'),
});

/** 目視審査結果 as the code or the word: "20" and "NG" mean the same. */
export const manualReviewBody = z.object({
  result: z.union([
    z.enum(['10', '20', '30']),
    z.enum(['OK', 'NG', 'HOLD']).transform((w) => Object.entries(MANUAL_RESULTS).find(([, v]) => v === w)![0]),
  ], { message: '10 (OK), 20 (NG) or 30 (HOLD)' }).transform((c) => c as OpluxManualCode),
  memo: z.string().max(200, '目視審査結果メモ is at most 200 characters').optional(),
});

/** O-PLUXブラックフラグ: 1 ブラック, 0 ブラックではない (also true / false). */
export const blackFlagBody = z.object({
  flag: z.union([z.enum(['0', '1']), z.boolean().transform((b) => (b ? '1' : '0'))], { message: '1 (ブラック) or 0 (ブラックではない)' })
    .transform((f) => f as '0' | '1'),
  customerType: z.enum(Object.keys(BLACK_CUSTOMER_TYPES) as [OpluxBlackCustomerType, ...OpluxBlackCustomerType[]]).optional(),
});

export const opluxOrderParams = z.object({ shopId: z.string(), orderId: orderNumber });

// --- answers (the OpenAPI document's response schemas) ---

export const reviewStartAnswer = z.looseObject({ workflowId: z.string(), status: z.string(), note: z.string().optional() });

/** An order's fraud review as stored (the order's personal data left out), its workflow, failure and O-PLUX outbox. */
export const opluxOrderAnswer = z.looseObject({
  shopId: z.string(), orderId: z.string(), status: z.string(), reviewResult: z.string().nullable(), manualResult: z.string().nullable(),
  blackFlag: z.string().nullable(), relinkKind: z.string().nullable(), registerAttempts: z.number(),
  amountJpy: z.number(), paymentMethodId: z.string(), workflowId: z.string(), failure: failureRecord, outbox: z.array(z.looseObject({})),
});

/** A manual review or black flag taken: by the running review, or after it ended (reviewEnded: sent on its own). */
export const reviewActionAnswer = z.looseObject({ accepted: z.literal(true), status: z.string(), reviewEnded: z.literal(true).optional() });
export const relinkAnswer = z.looseObject({ accepted: z.literal(true), relinkKind: z.string() });
