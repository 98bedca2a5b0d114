import { z } from 'zod';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';
import { failureRecord } from '../openapi/common';

/** A Yahoo order id: the store account, a dash, the number (e.g. renkei-sandbox-store-10000001). */
const yahooOrderId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Yahoo order id: letters, digits, _ or -, at most 64');

export const yahooOrderParams = z.object({ shopId: z.string(), orderId: yahooOrderId });

/** The operator's decision: at the deadline cancel or keep; after a link error retry or keep. */
export const decisionBody = z.object({
  decision: z.enum(['cancel', 'keep', 'retry'], { message: 'cancel, keep or retry' }),
  // Yahoo's OperationUser; the acting operator's name when absent
  operator: z.string().trim().min(1, 'who decides (name or id)').max(120, 'at most 120 characters (Yahoo OperationUser)').optional(),
});

export const windowListQuery = z.object({
  status: z.enum(Object.values(WINDOW_STATUS) as [string, ...string[]], { message: `one of ${Object.values(WINDOW_STATUS).join(', ')}` }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// --- answers (the OpenAPI document's response schemas) ---

const windowRow = z.looseObject({
  shopId: z.string(), orderId: z.string(), windowStatus: z.string(), deadline: z.string(), deadlineSource: z.enum(['api', 'local']),
  orderStatus: z.string().nullable(), settleStatus: z.string().nullable(), payMethod: z.string().nullable(), shipStatus: z.string().nullable(),
  payMethodChangeDoneAt: z.string().nullable(), decision: z.string().nullable(), decidedBy: z.string().nullable(),
  lastError: z.string().nullable(), updatedAt: z.string(),
});

export const windowsAnswer = z.looseObject({ windows: z.array(windowRow) });

/** A window as stored, with what its running workflow adds (a pending decision, its checks). */
export const windowAnswer = windowRow.extend({
  workflowId: z.string(), failure: failureRecord, pendingDecision: z.unknown().nullable(), checks: z.number().nullable(), outbox: z.array(z.looseObject({})),
});

export const sweepAnswer = z.looseObject({ workflowId: z.string(), runId: z.string(), started: z.boolean() });

export const decisionAnswer = z.looseObject({ previous: z.string(), decision: z.enum(['cancel', 'keep', 'retry']) });
