import { z } from 'zod';

/** Trade statuses as SearchTrade reports them (docs/providers/gmo-pg.md §3). */
export const GMO_STATUSES = ['UNPROCESSED', 'AUTHENTICATED', 'CHECK', 'CAPTURE', 'AUTH', 'SALES', 'VOID', 'RETURN', 'RETURNX', 'SAUTH'] as const;
export type GmoStatus = (typeof GMO_STATUSES)[number];

/** JobCd of EntryTran (the card operation ExecTran will run). */
export const ENTRY_JOB_CDS = ['CHECK', 'CAPTURE', 'AUTH', 'SAUTH'] as const;
export type EntryJobCd = (typeof ENTRY_JOB_CDS)[number];
/** JobCd of AlterTran: capture of an auth, the three cancels, and re-auth of a canceled trade. */
export const ALTER_JOB_CDS = ['SALES', 'VOID', 'RETURN', 'RETURNX', 'CAPTURE', 'AUTH', 'SAUTH'] as const;
export type AlterJobCd = (typeof ALTER_JOB_CDS)[number];
/** JobCd of ChangeTran (amount change: cancel then re-auth inside GMO). */
export const CHANGE_JOB_CDS = ['CAPTURE', 'AUTH', 'SAUTH'] as const;
export type ChangeJobCd = (typeof CHANGE_JOB_CDS)[number];
export const CANCEL_JOB_CDS = ['VOID', 'RETURN', 'RETURNX'] as const;
export type CancelJobCd = (typeof CANCEL_JOB_CDS)[number];
/** Statuses that hold money (or a hold on it) and can be canceled. SAUTH is a GUESS (§3). */
export const CANCELABLE_STATUSES = ['AUTH', 'CAPTURE', 'SALES', 'SAUTH'] as const;

/** Method: 1 一括, 2 分割, 3 ボーナス一括, 4 ボーナス分割, 5 リボ. PayTimes is needed for 2 and 4. */
export const METHODS = ['1', '2', '3', '4', '5'] as const;
export type GmoMethod = (typeof METHODS)[number];

export const isCancelStatus = (s: string): s is CancelJobCd => (CANCEL_JOB_CDS as readonly string[]).includes(s);

/** Field limits of §2, shared by the client (before sending) and the emulator (as error codes). */
export const LIMITS = {
  orderId: /^[A-Za-z0-9-]{1,27}$/,
  shopId: /^[A-Za-z0-9]{1,13}$/,
  shopPass: /^[A-Za-z0-9]{1,10}$/,
  accessId: /^[0-9a-f]{32}$/,
  amountMaxDigits: 7,
  itemCode: /^\d{7}$/,
  expire: /^\d{2}(0[1-9]|1[0-2])$/,
  securityCode: /^\d{3,4}$/,
  clientFieldMaxBytes: 100,
} as const;

export const DEFAULT_ITEM_CODE = '0000990';

export const orderIdSchema = z.string().regex(LIMITS.orderId, 'OrderID: 1-27 chars of A-Z a-z 0-9 -');
export const accessIdSchema = z.string().regex(LIMITS.accessId, '32 hex chars');
export const amountSchema = z.number().int().min(0).max(9_999_999);

const str = z.string();
const opt = z.string().optional().default('');

/** EntryTran's answer. */
export const entryTranOutputSchema = z.object({ AccessID: accessIdSchema, AccessPass: accessIdSchema });

/** ExecTran's answer with ACS=0 (no 3DS). */
export const execTranOutputSchema = z.object({
  ACS: z.literal('0'),
  OrderID: str,
  Forward: str,
  Method: opt,
  PayTimes: opt,
  Approve: str,
  TranID: str,
  TranDate: z.string().regex(/^\d{14}$/),
  CheckString: z.string().regex(/^[0-9a-f]{32}$/),
  ClientField1: z.string().optional(),
  ClientField2: z.string().optional(),
  ClientField3: z.string().optional(),
});

/** AlterTran's and ChangeTran's answer. */
export const alterTranOutputSchema = z.object({
  AccessID: accessIdSchema,
  AccessPass: accessIdSchema,
  Forward: str,
  Approve: str,
  TranID: str,
  TranDate: z.string().regex(/^\d{14}$/),
});

/** SearchTrade's answer (SearchTradeOutput of the official module). */
export const searchTradeOutputSchema = z.object({
  OrderID: str,
  Status: z.enum(GMO_STATUSES),
  ProcessDate: opt,
  JobCd: opt,
  AccessID: accessIdSchema,
  AccessPass: accessIdSchema,
  ItemCode: opt,
  Amount: opt,
  Tax: opt,
  SiteID: opt,
  MemberID: opt,
  CardNo: opt,
  Expire: opt,
  Method: opt,
  PayTimes: opt,
  Forward: opt,
  TranID: opt,
  Approve: opt,
  ClientField1: opt,
  ClientField2: opt,
  ClientField3: opt,
});
