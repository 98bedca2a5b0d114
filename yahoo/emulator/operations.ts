/**
 * The order API operations the emulator serves: its routes, the names its fault rules take and the names its ledger
 * shows for their changes, all from this one list. (The ledger also shows changes made through the control plane or by
 * time, under their own names: createOrder, payMethodChange, ...)
 */
export const YAHOO_OPERATIONS = ['orderList', 'orderInfo', 'orderStatusChange', 'orderPayStatusChange', 'orderShipStatusChange'] as const;
export type YahooOperation = (typeof YAHOO_OPERATIONS)[number];
