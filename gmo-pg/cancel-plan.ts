import { jstDayNumber, jstMonth, parseGmoDate } from './dates';
import { isCancelStatus, type CancelJobCd, type GmoStatus } from './schemas';

/** How many days after the last processing a RETURN/RETURNX is still possible (§3; GMO answers E11010010 after). */
export const CANCEL_LIMIT_DAYS = 180;

export type CancelPlan =
  /** nothing to do: the trade is already canceled, or never took money */
  | { action: 'none'; reason: 'already-canceled' | 'not-charged'; status: GmoStatus }
  /** AlterTran with this JobCd */
  | { action: 'alter'; jobCd: CancelJobCd; reason: 'same-day' | 'same-month' | 'auth-within-limit' | 'within-limit' }
  /** no API cancel: refund by hand (or the date is unusable) */
  | { action: 'refuse'; reason: 'over-limit' | 'no-process-date'; status: GmoStatus };

/**
 * Which cancel JobCd the official module picks for a trade last processed at `last` (§3, [cube] cancelOrder):
 * the same JST day → VOID; the same JST month → RETURN; within 180 days → RETURNX, but RETURN for an AUTH
 * (SAUTH is treated as AUTH: GUESS); later → none (undefined).
 */
export function cancelJobCdFor(status: GmoStatus, last: Date, now: Date): { jobCd: CancelJobCd; reason: 'same-day' | 'same-month' | 'auth-within-limit' | 'within-limit' } | undefined {
  const days = jstDayNumber(now) - jstDayNumber(last);
  if (days <= 0) return { jobCd: 'VOID', reason: 'same-day' };
  if (jstMonth(now) === jstMonth(last)) return { jobCd: 'RETURN', reason: 'same-month' };
  if (days > CANCEL_LIMIT_DAYS) return undefined;
  if (status === 'AUTH' || status === 'SAUTH') return { jobCd: 'RETURN', reason: 'auth-within-limit' };
  return { jobCd: 'RETURNX', reason: 'within-limit' };
}

/**
 * The worker's cancel decision from a SearchTrade result (§5.5), pure: already VOID/RETURN/RETURNX → nothing;
 * UNPROCESSED/AUTHENTICATED/CHECK → nothing (no money moved); AUTH/CAPTURE/SALES/SAUTH → the JobCd of
 * cancelJobCdFor from ProcessDate (the last processing, yyyyMMddHHmmss JST), or refuse past 180 days.
 */
export function planCancel(trade: { status: GmoStatus; processDate: string }, now: Date): CancelPlan {
  if (isCancelStatus(trade.status)) return { action: 'none', reason: 'already-canceled', status: trade.status };
  if (trade.status === 'UNPROCESSED' || trade.status === 'AUTHENTICATED' || trade.status === 'CHECK') {
    return { action: 'none', reason: 'not-charged', status: trade.status };
  }
  const last = parseGmoDate(trade.processDate);
  if (!last) return { action: 'refuse', reason: 'no-process-date', status: trade.status };
  const pick = cancelJobCdFor(trade.status, last, now);
  return pick ? { action: 'alter', ...pick } : { action: 'refuse', reason: 'over-limit', status: trade.status };
}
