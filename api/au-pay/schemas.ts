import { z } from 'zod';
import { parseCalendarDate } from '../../common/jst';
import { carrierCode, trackingNumber } from '../../au-pay/schemas';
import { MANUAL_STATUSES } from '../../workflows/au-pay-link-status';
import { failureRecord } from '../openapi/common';

const orderNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');

/** What the shop's OMS sends when an au PAY order ships. */
export const shipmentReportBody = z.object({
  orderId: orderNumber,
  auPayOrderId: z.string().regex(/^\d{1,20}$/, 'the au PAY order number (digits)'),
  managementClass: z.string().trim().min(1).max(20),
  shipDate: z
    .string()
    .nullable()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null || v.trim() === '') return null; // allowed: the workflow reports 「発送日」が登録されていません
      const date = parseCalendarDate(v);
      if (!date) ctx.addIssue({ code: 'custom', message: 'a date as YYYY-MM-DD or YYYY/MM/DD' });
      return date;
    }),
  carrier: carrierCode,
  trackingNumber: trackingNumber.optional().default(''),
  bundledInto: orderNumber.nullable().optional(),
  splitFrom: orderNumber.nullable().optional(),
});

/** The OMS's completion report carries nothing but the order in its path. */
export const completedBody = z.object({}).strict();

/**
 * An operator's status change (seed 004 section 6). `completedBeforeAutomation`: the order was completed before
 * automation, so 受注完了ステータス反映済み is set from 空欄 (recorded as manual, in the audit and the order's row).
 */
export const resetBody = z.object({ status: z.enum(MANUAL_STATUSES), completedBeforeAutomation: z.boolean().optional() }).strict();

export const historyQuery = z.object({
  orderId: orderNumber.optional(),
  result: z.enum(['成功', 'エラー']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeId: z.string().regex(/^\d{1,18}$/, 'a history entry id: digits, at most 18').optional(),
});

export const orderParams = z.object({ shopId: z.string(), orderId: orderNumber });

// --- answers (the OpenAPI document's response schemas) ---

/** A shipment report's answer: whether a push happens and why (`note` where nothing will happen). */
export const shipmentAnswer = z.looseObject({
  workflowId: z.string(), linkStatus: z.string(), push: z.boolean(), reason: z.string(), note: z.string().optional(),
});

export const completedAnswer = z.looseObject({ workflowId: z.string(), linkStatus: z.string(), note: z.string().optional() });

const callHistoryEntry = z.looseObject({
  id: z.string(), shopId: z.string(), orderId: z.string(), auPayOrderId: z.string(), operation: z.string(),
  result: z.enum(['成功', 'エラー']), httpStatus: z.number().nullable(), calledAt: z.string(),
});

export const historyAnswer = z.looseObject({ entries: z.array(callHistoryEntry) });

/** An au PAY order as stored, its workflow, its failure and its last 50 calls. */
export const auPayOrderAnswer = z.looseObject({
  shopId: z.string(), orderId: z.string(), auPayOrderId: z.string(), managementClass: z.string(),
  shipDate: z.string().nullable(), carrier: z.string(), trackingNumber: z.string().nullable(),
  bundledInto: z.string().nullable(), splitFrom: z.string().nullable(), linkStatus: z.string(), lastError: z.string().nullable(),
  linkStatusManual: z.boolean(), workflowId: z.string(),
  failure: failureRecord,
  history: z.array(callHistoryEntry),
});

/** The operator's link status change, as the workflow applied it. */
export const resetAnswer = z.looseObject({ previous: z.string(), status: z.string() });
