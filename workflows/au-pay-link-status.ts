/**
 * The au PAY API連携ステータス of an order, as seed 004 names them, and the pure rules about them. Workflow-safe.
 *
 *   空欄 ──push ship info──▶ 出荷情報反映済み ──push 完了──▶ 受注完了ステータス反映済み
 *     └─error─▶ 出荷情報反映エラー          └─error─▶ 受注完了ステータス反映エラー
 *
 * 対象外 marks an order the chain does not push (a bundled child, or a management class other than 通常); it is not
 * final: a later report that meets the condition starts the chain again. Before the ship-info push (and once a day
 * while a chain is held) the trade is read at the market: canceled or missing gives 注文情報ステータス取得エラー.
 */
export const LINK_STATUS = {
  blank: '空欄',
  shipped: '出荷情報反映済み',
  completed: '受注完了ステータス反映済み',
  shipError: '出荷情報反映エラー',
  completeError: '受注完了ステータス反映エラー',
  notTarget: '対象外',
  /** 自動注文情報ステータス取得 found the trade canceled at the market or missing; no push until an operator resets to 空欄 */
  statusError: '注文情報ステータス取得エラー',
} as const;
export type LinkStatus = (typeof LINK_STATUS)[keyof typeof LINK_STATUS];
export const LINK_STATUSES = Object.values(LINK_STATUS) as LinkStatus[];

/** The three statuses an operator may set by hand (seed 004 section 6). */
export const MANUAL_STATUSES = [LINK_STATUS.blank, LINK_STATUS.shipped, LINK_STATUS.completed] as const;
export type ManualStatus = (typeof MANUAL_STATUSES)[number];

export const isErrorStatus = (s: LinkStatus): boolean =>
  s === LINK_STATUS.shipError || s === LINK_STATUS.completeError || s === LINK_STATUS.statusError;

/** How an operator's status change is made: `completedBeforeAutomation` marks an order done by hand from 空欄. */
export interface ResetOptions {
  /** seed 004 section 6: 「自動連携を行う前に処理が完了している注文」; allows 受注完了ステータス反映済み from 空欄 */
  completedBeforeAutomation?: boolean;
}

/**
 * Why an operator's reset is refused, or undefined when it is allowed. `held`: the chain is waiting on the shop's
 * settings (or the OMS's completion report), not calling au PAY.
 */
export function resetRefusal(current: LinkStatus, target: string, held = false, options: ResetOptions = {}): string | undefined {
  if (!(MANUAL_STATUSES as readonly string[]).includes(target)) {
    return `「${target}」 cannot be set by hand; choose one of ${MANUAL_STATUSES.join(', ')}`;
  }
  if (current === LINK_STATUS.notTarget) return 'this order is not pushed to au PAY (対象外)';
  if (options.completedBeforeAutomation) {
    // the operator says the order was completed before automation: only 空欄 → 受注完了ステータス反映済み
    if (target !== LINK_STATUS.completed) return `completedBeforeAutomation sets ${LINK_STATUS.completed} only`;
    if (current !== LINK_STATUS.blank) return `completedBeforeAutomation applies to an order at ${LINK_STATUS.blank} (status ${current})`;
    return undefined;
  }
  // Seed 004 section 6: 受注完了ステータス反映済み is for 「自動連携を行う前に処理が完了している注文」, so an order the
  // settings hold may be marked done by hand. The other two are the seed's ways to reprocess after an error only.
  if (held && !isErrorStatus(current)) {
    return target === LINK_STATUS.completed ? undefined : `the order waits on the shop's settings (status ${current}); only ${LINK_STATUS.completed} may be set by hand now`;
  }
  if (!isErrorStatus(current)) {
    return `the order is being processed (status ${current}); a status can be reset only after an error`;
  }
  return undefined;
}

export const MANAGEMENT_CLASS_NORMAL = '通常';
export const MISSING_SHIP_DATE = '「発送日」が登録されていません';
export const TIMEOUT_MESSAGE = 'API接続でタイムアウトエラーが発生しました。再度処理を実施してください。';

/** What the OMS reports when an order ships. */
export interface ShipmentReport {
  shopId: string;
  /** the shop's (OMS) order number */
  orderId: string;
  auPayOrderId: string;
  /** 管理区分 */
  managementClass: string;
  /** 発送日, YYYY-MM-DD, or null when the OMS has none yet */
  shipDate: string | null;
  carrier: string;
  trackingNumber: string;
  /** 同梱: set on a child order bundled into this parent order */
  bundledInto?: string | null;
  /** 分割: set on an order split from another; both are pushed, the later push's tracking number wins */
  splitFrom?: string | null;
}

/** The shipping data a push sends: a report that changes one of these after a push is a correction. */
export interface ShipFields {
  shipDate: string | null;
  carrier: string;
  trackingNumber: string;
}
export const shipFields = (s: ShipFields): ShipFields => ({ shipDate: s.shipDate, carrier: s.carrier, trackingNumber: s.trackingNumber });
export const sameShipFields = (a: ShipFields, b: ShipFields): boolean =>
  a.shipDate === b.shipDate && a.carrier === b.carrier && a.trackingNumber === b.trackingNumber;

/** Seed 004 section 2: which orders the chain skips, and which fail before any call. */
export function shippingPrecondition(s: ShipmentReport): { skip: string } | { error: string } | { shipDate: string } {
  if (s.bundledInto) return { skip: `同梱済みの子注文です(親注文 ${s.bundledInto} のみ連携します)` };
  if (s.managementClass !== MANAGEMENT_CLASS_NORMAL) return { skip: `管理区分が「${s.managementClass}」のため連携対象外です` };
  if (!s.shipDate) return { error: MISSING_SHIP_DATE };
  return { shipDate: s.shipDate };
}

/** The shop's au PAY settings the chain decides with (shops/settings.ts validates them and gives the defaults). */
export interface AuPayChainSettings {
  /** 自動出荷情報反映 */
  autoShipInfo: '開始' | '停止';
  /** 自動受注完了ステータス反映 */
  autoCompletion: '開始' | '停止';
  /** 完了 right after the shipping push, or only once the OMS reports the order completed */
  completionTiming: 'after-ship' | 'oms-report';
}

/**
 * Seed 004 section 4: each automatic push runs only while the shop has it at 開始. Why the chain holds before a push,
 * or undefined when it may push now.
 */
export function holdReason(step: 'shipping' | 'completion', s: AuPayChainSettings, completionReported: boolean): string | undefined {
  if (step === 'shipping') return s.autoShipInfo === '停止' ? '自動出荷情報反映が停止中です' : undefined;
  if (s.autoCompletion === '停止') return '自動受注完了ステータス反映が停止中です';
  if (s.completionTiming === 'oms-report' && !completionReported) return 'OMSからの受注完了の報告を待っています';
  return undefined;
}
