import { z } from 'zod';
import { WINDOW_STATUS } from '../../workflows/yahoo-window-status';

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
