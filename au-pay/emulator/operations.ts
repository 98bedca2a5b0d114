/**
 * The Wow! manager API operations the emulator serves: its routes, the names its fault rules take and the names its
 * ledger shows, all from this one list.
 */
export const AU_PAY_OPERATIONS = ['searchTradeInfoProc', 'searchTradeInfoListProc', 'searchTradeNoListProc', 'updateTradeInfoProc', 'updateTradeStsProc'] as const;
export type AuPayOperation = (typeof AU_PAY_OPERATIONS)[number];
