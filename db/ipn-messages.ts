import type { Pool } from 'pg';

/**
 * The IPN MessageIds each shop has taken in (migration 012): SNS redelivers a message with the same MessageId, and a
 * captured IPN can be replayed by anyone until its Timestamp leaves the window, so each is acted on once.
 *
 * claim → signal → complete, or release when the signal failed (the row goes, so SNS's retry is taken as new). A claim
 * left behind by a process that died between claim and signal is taken over after `abandonedAfterMs`.
 */
export type IpnClaim =
  | 'claimed' // new (or abandoned): act on it, then complete or release
  | 'done' // acted on before: a replay
  | 'in-flight'; // another request holds it right now

/** How long MessageIds are kept: far past the Timestamp window (4 h), so no replay outlives its id. */
export const IPN_MESSAGE_RETENTION_DAYS = 14;

export function createIpnMessageStore(pool: Pool, options: { abandonedAfterMs?: number; expireEveryMs?: number } = {}) {
  const abandonedAfterSeconds = (options.abandonedAfterMs ?? 30_000) / 1000;
  const expireEveryMs = options.expireEveryMs ?? 10 * 60_000;
  let lastExpiry = 0;

  return {
    /** One statement: insert the id, or take over an abandoned claim, or say why not. */
    async claim(shopId: string, messageId: string): Promise<IpnClaim> {
      const { rows } = await pool.query<{ state: IpnClaim }>(
        `WITH claim AS (
           INSERT INTO ipn_messages (shop_id, message_id) VALUES ($1, $2)
           ON CONFLICT (shop_id, message_id) DO UPDATE SET claimed_at = now()
             WHERE ipn_messages.done_at IS NULL AND ipn_messages.claimed_at < now() - make_interval(secs => $3)
           RETURNING 'claimed'::text AS state)
         SELECT state FROM claim
         UNION ALL
         SELECT CASE WHEN done_at IS NULL THEN 'in-flight' ELSE 'done' END FROM ipn_messages
          WHERE shop_id = $1 AND message_id = $2 AND NOT EXISTS (SELECT 1 FROM claim)`,
        [shopId, messageId, abandonedAfterSeconds],
      );
      // Nothing at all: a concurrent claim committed after this statement's snapshot. It is in flight.
      const state = rows[0]?.state ?? 'in-flight';
      if (state === 'claimed') expireSometimes();
      return state;
    },

    /** The message was acted on: from now on it is a replay. */
    async complete(shopId: string, messageId: string): Promise<void> {
      await pool.query(`UPDATE ipn_messages SET done_at = now() WHERE shop_id = $1 AND message_id = $2`, [shopId, messageId]);
    },

    /** Acting on it failed: forget the claim, so the sender's retry is taken as new. */
    async release(shopId: string, messageId: string): Promise<void> {
      await pool.query(`DELETE FROM ipn_messages WHERE shop_id = $1 AND message_id = $2 AND done_at IS NULL`, [shopId, messageId]);
    },

    /** Deletes ids older than the retention; returns how many. */
    async expire(retentionDays = IPN_MESSAGE_RETENTION_DAYS): Promise<number> {
      const { rowCount } = await pool.query(`DELETE FROM ipn_messages WHERE claimed_at < now() - make_interval(days => $1)`, [retentionDays]);
      return rowCount ?? 0;
    },
  };

  /** Opportunistic expiry: at most once per `expireEveryMs` per process, after a claim, never in the request's way. */
  function expireSometimes(): void {
    const now = Date.now();
    if (now - lastExpiry < expireEveryMs) return;
    lastExpiry = now;
    pool.query(`DELETE FROM ipn_messages WHERE claimed_at < now() - make_interval(days => $1)`, [IPN_MESSAGE_RETENTION_DAYS]).catch(() => {
      lastExpiry = 0; // try again with the next claim
    });
  }
}

export type IpnMessageStore = ReturnType<typeof createIpnMessageStore>;
