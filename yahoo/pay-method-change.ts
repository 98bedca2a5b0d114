/**
 * The re-payment window of an オーソリエラー order (specs/jp-marketplaces.md A.5): 支払い方法変更期限 is
 * 「オーソリエラー発生時点の翌日から7日後の23:59」. Read literally: the JST calendar date D of the error, the next
 * day D+1, N days after that D+1+N, and the deadline 23:59:59 JST that day (emitted with `:59` seconds, ASSUMED).
 * The time of day of the error does not matter. The API's own value is authoritative; this is the emulator's rule
 * and a client's fallback.
 */
export const DEFAULT_PAY_METHOD_CHANGE_DAYS = 7;

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;

export function payMethodChangeDeadline(authErrorAt: Date, days: number = DEFAULT_PAY_METHOD_CHANGE_DAYS): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0, got ${days}`);
  const jstWall = authErrorAt.getTime() + JST_OFFSET_MS;
  const jstMidnightOfD = Math.floor(jstWall / DAY_MS) * DAY_MS; // as a wall-clock value in UTC terms
  const endOfDeadlineDay = jstMidnightOfD + (1 + days) * DAY_MS + DAY_MS - 1000; // 23:59:59 on D+1+N
  return new Date(endOfDeadlineDay - JST_OFFSET_MS);
}

/** Whether the buyer may still change the method at `now`: the deadline itself (23:59:59) is still inside. */
export function isWithinPayMethodChangeWindow(deadline: Date, now: Date): boolean {
  return now.getTime() <= deadline.getTime() + 999;
}
