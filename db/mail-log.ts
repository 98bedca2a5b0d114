import type { Pool } from 'pg';

export interface ThrottleSettings {
  windowSeconds: number;
  threshold: number;
}

/** Until a shop sets its own: at most 20 admin mails an hour to one address. */
export const DEFAULT_THROTTLE: ThrottleSettings = { windowSeconds: 3600, threshold: 20 };

export async function getThrottleSettings(pool: Pool, shopId: string): Promise<ThrottleSettings> {
  const { rows } = await pool.query(`SELECT window_seconds, threshold FROM mail_throttle_settings WHERE shop_id = $1`, [shopId]);
  return rows[0] ? { windowSeconds: rows[0].window_seconds, threshold: rows[0].threshold } : DEFAULT_THROTTLE;
}

export async function setThrottleSettings(pool: Pool, shopId: string, s: ThrottleSettings): Promise<void> {
  await pool.query(
    `INSERT INTO mail_throttle_settings (shop_id, window_seconds, threshold) VALUES ($1, $2, $3)
     ON CONFLICT (shop_id) DO UPDATE SET window_seconds = EXCLUDED.window_seconds, threshold = EXCLUDED.threshold`,
    [shopId, s.windowSeconds, s.threshold],
  );
}

export interface Admission {
  logId: string;
  status: 'sending' | 'sent' | 'suppressed' | 'failed';
  /** the same activity asked before: nothing was counted again */
  replay: boolean;
}

/**
 * Counts a mail against its address's current window and logs it, in one statement: the window row's count decides
 * (atomically, however many workers send), and a repeated dedupe key finds the first decision instead of counting.
 */
export async function admitMail(
  pool: Pool,
  m: { shopId: string; recipient: string; subject: string; audience: 'admin' | 'end-user'; dedupeKey: string | null; at: Date },
  settings: ThrottleSettings,
): Promise<Admission> {
  const windowMs = settings.windowSeconds * 1000;
  const start = new Date(Math.floor(m.at.getTime() / windowMs) * windowMs);
  const end = new Date(start.getTime() + windowMs);
  const { rows } = await pool.query(
    `WITH existing AS (SELECT id, status FROM mail_log WHERE dedupe_key = $7),
     win AS (
       INSERT INTO mail_throttle_windows AS w (shop_id, recipient, window_start, window_end, accepted, suppressed)
       SELECT $1, $2, $5, $6, 1, 0 WHERE $4 = 'admin' AND NOT EXISTS (SELECT 1 FROM existing)
       ON CONFLICT (shop_id, recipient, window_start) DO UPDATE SET
         accepted = w.accepted + (CASE WHEN w.accepted < $8 THEN 1 ELSE 0 END),
         suppressed = w.suppressed + (CASE WHEN w.accepted < $8 THEN 0 ELSE 1 END),
         last_held = (w.accepted >= $8)
       RETURNING last_held AS held
     ),
     ins AS (
       INSERT INTO mail_log (shop_id, recipient, audience, subject, status, dedupe_key, created_at)
       SELECT $1, $2, $4, $3, CASE WHEN (SELECT held FROM win) THEN 'suppressed' ELSE 'sending' END, $7, $9
       WHERE NOT EXISTS (SELECT 1 FROM existing)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, status
     )
     SELECT id::text, status, false AS replay FROM ins UNION ALL SELECT id::text, status, true FROM existing`,
    [m.shopId, m.recipient, m.subject, m.audience, start, end, m.dedupeKey, settings.threshold, m.at],
  );
  const r = rows[0];
  if (!r) throw new Error(`mail to ${m.recipient} was neither logged nor found (dedupe key ${m.dedupeKey})`);
  return { logId: r.id, status: r.status, replay: r.replay };
}

export async function markMail(pool: Pool, logId: string, status: 'sent' | 'failed', error?: string): Promise<void> {
  await pool.query(
    `UPDATE mail_log SET status = $2, error = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END WHERE id = $1`,
    [logId, status, error ?? null],
  );
}

export interface DueSummary {
  shopId: string;
  recipient: string;
  windowStart: Date;
  windowEnd: Date;
  suppressed: number;
  subjects: string[];
}

/** Claims the ended windows that held mails back and have had no summary yet (a claim is one worker's). */
export async function claimDueSummaries(pool: Pool, asOf: Date, limit = 100): Promise<DueSummary[]> {
  const { rows } = await pool.query(
    `WITH due AS (
       SELECT shop_id, recipient, window_start FROM mail_throttle_windows
       WHERE suppressed > 0 AND summary_sent_at IS NULL AND window_end <= $1
       ORDER BY window_end LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE mail_throttle_windows w SET summary_sent_at = $1 FROM due
     WHERE w.shop_id = due.shop_id AND w.recipient = due.recipient AND w.window_start = due.window_start
     RETURNING w.shop_id, w.recipient, w.window_start, w.window_end, w.suppressed,
       (SELECT coalesce(array_agg(subject ORDER BY id), '{}') FROM (
          SELECT id, subject FROM mail_log l WHERE l.shop_id = w.shop_id AND l.recipient = w.recipient AND l.status = 'suppressed'
            AND l.created_at >= w.window_start AND l.created_at < w.window_end ORDER BY id LIMIT 20) s) AS subjects`,
    [asOf, limit],
  );
  return rows.map((r) => ({
    shopId: r.shop_id, recipient: r.recipient, windowStart: new Date(r.window_start), windowEnd: new Date(r.window_end),
    suppressed: r.suppressed, subjects: r.subjects,
  }));
}

/** A summary that could not be sent is due again. */
export async function releaseSummary(pool: Pool, s: { shopId: string; recipient: string; windowStart: Date }): Promise<void> {
  await pool.query(
    `UPDATE mail_throttle_windows SET summary_sent_at = NULL WHERE shop_id = $1 AND recipient = $2 AND window_start = $3`,
    [s.shopId, s.recipient, s.windowStart],
  );
}

export async function logSummary(pool: Pool, s: { shopId: string; recipient: string; subject: string }): Promise<void> {
  await pool.query(
    `INSERT INTO mail_log (shop_id, recipient, audience, subject, status, is_summary, sent_at) VALUES ($1, $2, 'admin', $3, 'sent', true, now())`,
    [s.shopId, s.recipient, s.subject],
  );
}

export interface MailLogEntry {
  id: string;
  recipient: string;
  audience: string;
  subject: string;
  status: string;
  isSummary: boolean;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

export async function listMails(pool: Pool, shopId: string, o: { status?: string; recipient?: string; limit: number }): Promise<MailLogEntry[]> {
  const { rows } = await pool.query(
    `SELECT id::text, recipient, audience, subject, status, is_summary, error, created_at, sent_at FROM mail_log
     WHERE shop_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR recipient = $3) ORDER BY id DESC LIMIT $4`,
    [shopId, o.status ?? null, o.recipient ?? null, o.limit],
  );
  return rows.map((r) => ({
    id: r.id, recipient: r.recipient, audience: r.audience, subject: r.subject, status: r.status, isSummary: r.is_summary, error: r.error,
    createdAt: new Date(r.created_at).toISOString(), sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
  }));
}
