import { z } from 'zod';
import { STORE_CANCEL_REASONS } from '../yahoo/schemas';
import { opluxSettingsSchema } from '../oplux/config';
import { ORDER_OUT_CONTROLS, PRODUCT_KEYS } from '../workflows/oplux-review-rules';
import { ON_ERROR, SHIP_DATE_MODES } from '../shipment-import/types';

const onOff = z.enum(['開始', '停止'], { message: '開始 or 停止' });

/**
 * A shop's settings per process, each with the defaults a new shop gets (the seeds' screens: 自動処理 開始/停止,
 * 初期設定, 決済方法, O-PLUX連携設定). Strict: a misspelt field is a 400, never a silently ignored setting.
 */
export const PROCESS_SETTINGS = {
  // seed 004 section 4: 自動出荷情報反映 and 自動受注完了ステータス反映, and when completion is pushed
  'au-pay': z.object({
    autoShipInfo: onOff.default('開始'),
    autoCompletion: onOff.default('開始'),
    completionTiming: z.enum(['after-ship', 'oms-report'], { message: 'after-ship (right after the shipping push) or oms-report (when the OMS reports completion)' }).default('after-ship'),
  }).strict(),
  // seed 002: the payment-method-change window's deadline and the sweep
  yahoo: z.object({
    deadlineAction: z.enum(['cancel', 'operator'], { message: 'cancel or operator' }).default('operator'),
    cancelReason: z.enum(STORE_CANCEL_REASONS).refine((r) => r !== '230', '230 needs a CancelReasonDetail; choose another').default('200'),
    sweepEveryMinutes: z.number().int().min(1).max(1440).default(10),
    pageSize: z.number().int().min(1).max(2000).default(2000),
    requestsPerSecond: z.number().int().min(1).max(10, 'Yahoo allows 10 calls per second per API').default(5),
  }).strict(),
  // seed 001: 受注OUT制御, 商品情報制御 and STEP5 items 10-14
  oplux: z.object({
    orderOutControl: z.enum(ORDER_OUT_CONTROLS).default('none'),
    productKey: z.enum(PRODUCT_KEYS).default('product-id'),
    review: opluxSettingsSchema.default(opluxSettingsSchema.parse({})),
  }).strict(),
  // seed 003: the review report, the recurring expiry warning, オーソリ時確定
  'amazon-pay': z.object({
    reviewReportEveryMinutes: z.number().int().min(5).max(1440).default(60),
    expiryWarningDays: z.number().int().min(1).max(90).default(30),
    captureOnAuthorization: z.boolean().default(false),
  }).strict(),
  // seed 000 #1110 #684 #1075: 出荷実績取込's per-shop defaults, overridable per file and per row
  'shipment-import': z.object({
    shipDateMode: z.enum(SHIP_DATE_MODES, { message: 'external (設定する) or ship-date-only (配送日のみ)' }).default('external'),
    capture: z.boolean().default(false),
    trackingNumberApi: z.boolean().default(false),
    onError: z.enum(ON_ERROR, { message: 'reject (nothing applied when a row is bad) or skip (valid rows go ahead)' }).default('reject'),
  }).strict(),
} as const;

export type SettingsProcess = keyof typeof PROCESS_SETTINGS;
export type ProcessSettings<P extends SettingsProcess> = z.infer<(typeof PROCESS_SETTINGS)[P]>;
export const SETTINGS_PROCESSES = Object.keys(PROCESS_SETTINGS) as SettingsProcess[];
export const isSettingsProcess = (p: string): p is SettingsProcess => Object.hasOwn(PROCESS_SETTINGS, p);

/** The defaults a new shop gets for a process. */
export const defaultSettings = <P extends SettingsProcess>(p: P): ProcessSettings<P> => PROCESS_SETTINGS[p].parse({}) as ProcessSettings<P>;
