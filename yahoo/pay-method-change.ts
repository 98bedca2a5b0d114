/**
 * The re-payment window of an オーソリエラー order (docs/providers/yahoo.md §5): 支払い方法変更期限 is
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

/** Yahoo's own methods that are paid the moment the buyer's change completes (ASSUMED in the spec, A.5). */
const PAID_WHEN_CHANGED: ReadonlySet<string> = new Set(['payment_a1', 'payment_a17', 'payment_a19']);

/**
 * The SettleStatus an order shows right after the buyer's change (spec part A, A.5, ASSUMED): 3 支払完了 for the card-like
 * methods, 2 支払待ち for the rest (コンビニ, ペイジー…; every non-Yahoo method stays at 2 for good). The sandbox sets it,
 * and the sweep's second recipe lists every value in CHANGE_DONE_SETTLE_STATUSES, so the two cannot drift apart.
 */
export function settleStatusAfterChange(payMethod: string): '2' | '3' {
  return PAID_WHEN_CHANGED.has(payMethod) ? '3' : '2';
}

/**
 * The SettleStatus values an order whose buyer completed the change can have (spec part A): the start states 2 支払待ち
 * and 3 支払完了, what follows them (4 入金待ち, 5 決済完了, set for every method once the order is 完了), and the states of a
 * new method still being applied for (1 決済申込, 9 決済申込中). Not 10 (still in, or past, the window) and not the ends
 * (6 キャンセル, 7 返金, 8 有効期限切れ, 11 売上取消, 12): those the window's own check reads. The seed's recipe names 3 only,
 * which misses every change to a method that starts at 2.
 */
export const CHANGE_DONE_SETTLE_STATUSES = ['1', '2', '3', '4', '5', '9'] as const;
