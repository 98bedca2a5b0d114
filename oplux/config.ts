import { z } from 'zod';
import { nonEmpty } from '../common/env';
import { DEFAULT_URLS } from '../common/local-urls';
import { SETTLE_METHODS, type OpluxSettleMethod } from './codes';
import { ORDER_OUT_CONTROLS, PRODUCT_KEYS, RECURRING_REVIEW_MODES } from '../workflows/oplux-review-rules';

const settleMethod = z.enum(Object.keys(SETTLE_METHODS) as [OpluxSettleMethod, ...OpluxSettleMethod[]]);
const paymentId = z.string().min(1).max(64);

/**
 * The shop's review settings beyond the three plain variables (seed 001 STEP5 items 10-14), as one JSON object.
 * Credit card only by default; enabling non-credit-card payments needs each payment's O-PLUX method and model.
 */
export const opluxSettingsSchema = z
  .object({
    creditCardPaymentIds: z.array(paymentId).min(1).default(['credit_card']),
    creditCardModelId: z.string().min(1).default('CRD_01'),
    nonCreditCardEnabled: z.boolean().default(false),
    paymentMapping: z.record(paymentId, settleMethod).default({}),
    modelMapping: z.record(paymentId, z.string().min(1)).default({}),
    deferredPaymentIds: z.array(paymentId).default([]),
    recurringReviewMode: z.enum(RECURRING_REVIEW_MODES).default('every'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.nonCreditCardEnabled) return;
    for (const id of [...Object.keys(s.paymentMapping), ...s.deferredPaymentIds]) {
      if (!s.modelMapping[id]) ctx.addIssue({ code: 'custom', path: ['modelMapping', id], message: `payment ${id} needs a 審査モデルID` });
    }
  });

const settingsJson = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
    const parsed = opluxSettingsSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || '(settings)'}: ${i.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });

/** The shop's O-PLUX account and fraud review settings. Defaults point at the sandbox that `npm start` runs. */
export const opluxShape = {
  OPLUX_EVENT_URL: z.string().url().default(DEFAULT_URLS.OPLUX_EVENT_URL),
  OPLUX_NORMALIZER_URL: z.string().url().default(DEFAULT_URLS.OPLUX_NORMALIZER_URL),
  /** Without a shop id the shop has no O-PLUX integration. */
  OPLUX_SHOP_ID: z.string().min(1).optional(),
  OPLUX_CONNECTION_ID: nonEmpty().default('renkei-sandbox-connection'),
  OPLUX_SECRET_KEY: nonEmpty().default('renkei-sandbox-secret'),
  OPLUX_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** O-PLUX受注OUT制御: none (制御しない), ng-review-hold, ng-hold (制御する with the results held back) */
  OPLUX_ORDER_OUT_CONTROL: z.enum(ORDER_OUT_CONTROLS).default('none'),
  /** O-PLUX商品情報制御: the key sent as 加盟店商品ID */
  OPLUX_PRODUCT_KEY: z.enum(PRODUCT_KEYS).default('product-id'),
  /** JSON: creditCardPaymentIds, creditCardModelId, nonCreditCardEnabled, paymentMapping, modelMapping, deferredPaymentIds, recurringReviewMode */
  OPLUX_SETTINGS: settingsJson,
};

export type OpluxConfig = z.infer<z.ZodObject<typeof opluxShape>>;
