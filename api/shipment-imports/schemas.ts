import { z } from 'zod';
import { HEADERS } from '../../shipment-import/columns';
import { MAX_IMPORT_ROWS } from '../../shipment-import/file-rows';
import { IMPORT_STATUSES, ON_ERROR, ROW_OUTCOMES, SHIP_DATE_MODES } from '../../shipment-import/types';
import { idempotencyKey } from '../bulk-actions/schemas';

const cell = z.string().max(200);

/** One JSON row: the CSV's columns by their JSON names; the cells are checked by the import's validation (422). */
export const jsonShipmentRow = z.object({
  orderId: cell.describe('受注番号'),
  shipDate: cell.describe('出荷日: YYYY-MM-DD, YYYY/MM/DD, YYYY/M/D or YYYYMMDD'),
  carrier: cell.describe('配送会社: a carrier code (yamato, sagawa, japan-post, seino, fukuyama, other) or its Japanese name'),
  trackingNumber: cell.nullable().optional().describe('配送伝票番号'),
  mall: cell.optional().describe('モール: au-pay, yahoo or 自社; absent: renkei\'s records decide'),
  mallOrderId: cell.optional().describe('モール注文番号'),
  managementClass: cell.optional().describe('管理区分 (au PAY)'),
  paymentMethod: cell.optional().describe('決済方法: the shop\'s payment method code'),
  paymentRef: cell.optional().describe('決済番号: the provider\'s id of the payment'),
  shipDateMode: z.enum(SHIP_DATE_MODES).optional(),
  capture: z.boolean().optional(),
  trackingNumberApi: z.boolean().optional(),
}).strict();

const flagDefaults = z.object({
  shipDateMode: z.enum(SHIP_DATE_MODES).optional(),
  capture: z.boolean().optional(),
  trackingNumberApi: z.boolean().optional(),
}).strict();

/** POST as JSON: the rows, and the options a CSV gives as query parameters. */
export const importJsonBody = z.object({
  rows: z.array(jsonShipmentRow).min(1, 'at least one row').describe(`at most ${MAX_IMPORT_ROWS} rows (more: 413)`),
  onError: z.enum(ON_ERROR).optional(),
  defaults: flagDefaults.optional(),
}).strict();

/** POST as CSV: the file itself. */
export const importCsvBody = z.string().describe(
  `a CSV (RFC 4180) with a header row naming its columns (${HEADERS.join(', ')}), in UTF-8 (BOM or not) or Shift_JIS: `
  + `the Content-Type's charset, else detected. At most ${MAX_IMPORT_ROWS} data rows (more: 413).`,
);

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** The file's options (a JSON body's own win); each left out falls back to the shop's settings `shipment-import`. */
export const importQuery = z.object({
  onError: z.enum(ON_ERROR).optional().describe('reject: any bad row refuses the whole file (422); skip: valid rows go ahead'),
  shipDateMode: z.enum(SHIP_DATE_MODES).optional(),
  capture: bool.optional(),
  trackingNumberApi: bool.optional(),
});

export const importHeaders = z.object({ 'idempotency-key': idempotencyKey });

/** An import's id: anything else is no import of this shop (404). */
export const IMPORT_ID = /^[0-9a-f]{32}$/;
export const importParams = z.object({ shopId: z.string(), id: z.string().describe('an import id: 32 hex digits (anything else is 404)') });

// --- answers (the OpenAPI document's response schemas) ---

const rowProblem = z.looseObject({ line: z.number(), column: z.string(), reason: z.string() });

export const importCreatedAnswer = z.looseObject({
  id: z.string(), workflowId: z.string(), total: z.number(), valid: z.number(), invalid: z.number(), problems: z.array(rowProblem),
});
export const problemsAnswer = z.looseObject({ error: z.string(), problems: z.array(rowProblem) });
export const tooManyRowsAnswer = z.looseObject({ error: z.string(), rows: z.number().optional() });

export const importView = z.looseObject({
  id: z.string(), shopId: z.string(), status: z.enum(IMPORT_STATUSES), encoding: z.string(), onError: z.enum(ON_ERROR),
  total: z.number(), done: z.number(), counts: z.looseObject(Object.fromEntries(ROW_OUTCOMES.map((o) => [o, z.number()]))),
  createdAt: z.string(), finishedAt: z.string().nullable(), workflowId: z.string(),
});
export const importListAnswer = z.looseObject({ imports: z.array(importView) });
export const cancelAnswer = z.looseObject({ status: z.enum(['canceled', 'completed']) });
