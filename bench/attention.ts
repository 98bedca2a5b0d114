/**
 * The attention list against 100,000 orders (issue 11 §2: "well under 100 ms"): orders spread over every process's
 * table and five shops, about 1.5% of them in an attention status; then, interleaved run by run, a plain primary-key
 * read (the baseline), the first page, a later page (by cursor), a filtered page and the counts. Figures are ratios
 * to the baseline from the same run, with milliseconds as context; EXPLAIN shows every branch on its index.
 *
 *   npm run bench:attention -- [--orders 100000] [--runs 200] [--failures 100]   (DATABASE_URL: that server; default PGlite)
 *
 * --failures: the failed amount changes in process_failures (besides half the oplux errors); a larger table shows
 * the failure check turning from a hash of the whole (small) table into primary-key probes.
 */
import type { Pool } from 'pg';
import { attentionCountsSql, attentionPageSql, countAttention, listAttention, type AttentionQuery } from '../db/attention';
import { startTestDatabase } from '../tests/support/database';
import { parseIntFlags } from './args';
import { percentile } from './run-phase';

const USAGE = 'usage: npm run bench:attention -- [--orders N] [--runs R] [--failures F]   (positive integers; defaults 100000, 200 and orders/1000)';
const SHOPS = 5;
const SHOP = 'bench-0';
/** One order in ATTENTION_EVERY is in an attention status: about 1.5%. */
const ATTENTION_EVERY = 67;

/** Each table's share of the orders, and the statement that inserts its `n` rows (i = 1..n, shop = i % SHOPS). */
const TABLES: Array<{ share: number; sql: string }> = [
  {
    share: 0.3,
    sql: `INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class, ship_date, carrier, link_status, last_error, updated_at)
      SELECT 'bench-' || i % ${SHOPS}, 'AU-' || i, i::text, '通常', date '2026-11-01', '6',
        CASE WHEN i % ${ATTENTION_EVERY} <> 0 THEN '受注完了ステータス反映済み' WHEN i % 2 = 0 THEN '出荷情報反映エラー' ELSE '受注完了ステータス反映エラー' END,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 THEN 'E00001 タイムアウト' END, now() - random() * interval '30 days'
      FROM generate_series(1, $1) i`,
  },
  {
    share: 0.2,
    sql: `INSERT INTO oplux_orders (shop_id, order_id, status, error_message, order_data, updated_at)
      SELECT 'bench-' || i % ${SHOPS}, 'OP-' || i,
        CASE WHEN i % ${ATTENTION_EVERY} <> 0 THEN 'OK' ELSE (ARRAY['目視審査待ち', '目視審査HOLD', '審査エラー', '更新エラー'])[1 + i % 4] END,
        NULL, '{}', now() - random() * interval '30 days'
      FROM generate_series(1, $1) i`,
  },
  {
    share: 0.1,
    sql: `INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source, updated_at)
      SELECT 'bench-' || i % ${SHOPS}, 'YH-' || i,
        CASE WHEN i % ${ATTENTION_EVERY} <> 0 THEN '変更完了・出荷可' WHEN i % 2 = 0 THEN '期限切れ・担当者確認待ち' ELSE '連携エラー' END,
        now() + interval '3 days', 'api', now() - random() * interval '30 days'
      FROM generate_series(1, $1) i`,
  },
  {
    share: 0.1,
    sql: `INSERT INTO order_cancellations (shop_id, order_id, payment_method, payment_ref, order_status, status, provider_flagged, state_since)
      SELECT 'bench-' || i % ${SHOPS}, 'CX-' || i, 'credit-gmo-pg', '{}',
        CASE WHEN i % ${ATTENTION_EVERY} = 0 AND i % 2 = 0 THEN '受注' ELSE 'キャンセル' END,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 AND i % 2 = 0 THEN 'provider-failed' ELSE 'canceled' END,
        i % ${ATTENTION_EVERY} = 0 AND i % 2 = 1, now() - random() * interval '30 days'
      FROM generate_series(1, $1) i`,
  },
  {
    share: 0.1,
    sql: `INSERT INTO order_outbox (shop_id, order_id, event, payload, dedupe_key, status, failed_at, last_error)
      SELECT 'bench-' || i % ${SHOPS}, 'OUT-' || i, 'updated', '{}', 'bench:' || i,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 THEN 'failed' ELSE 'delivered' END,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 THEN now() - random() * interval '30 days' END,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 THEN 'HTTP 500' END
      FROM generate_series(1, $1) i`,
  },
  {
    share: 0.15,
    sql: `WITH o AS (
        INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, amount_jpy, payment_status, created_at, updated_at)
        SELECT 'bench-' || i % ${SHOPS}, 'AP-' || i, 'P-' || i, 1000,
          CASE WHEN i % 50 = 1 THEN '審査中' WHEN i % ${ATTENTION_EVERY} <> 0 THEN '審査完了' WHEN i % 3 = 0 THEN '審査エラー' ELSE '審査中' END,
          CASE WHEN i % 50 = 1 THEN now() - interval '1 hour' ELSE now() - interval '2 days' - random() * interval '28 days' END,
          now() - random() * interval '30 days'
        FROM generate_series(1, $1) i RETURNING shop_id, order_id, payment_status)
      INSERT INTO amazon_pay_review_results (shop_id, order_id, outcome, state, message, dedupe_key, recorded_at)
      SELECT shop_id, order_id, CASE WHEN random() < 0.01 THEN 'ERROR' ELSE 'OK' END, 'Authorized', 'Captured', 'bench:' || order_id,
        now() - random() * interval '30 days'
      FROM o WHERE payment_status = '審査完了'`,
  },
  {
    share: 0.05,
    sql: `INSERT INTO amazon_pay_recurring_parents (shop_id, parent_order_id, charge_permission_id, amount_jpy, interval_unit, interval_value, status, expires_at, updated_at)
      SELECT 'bench-' || i % ${SHOPS}, 'RC-' || i, 'RP-' || i, 3000, 'Month', 1,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 AND i % 2 = 0 THEN 'paused' ELSE 'active' END,
        CASE WHEN i % ${ATTENTION_EVERY} = 0 AND i % 2 = 1 THEN now() + random() * interval '29 days' ELSE now() + interval '60 days' + random() * interval '300 days' END,
        now() - random() * interval '30 days'
      FROM generate_series(1, $1) i`,
  },
];

async function seed(pool: Pool, orders: number, failures: number): Promise<void> {
  for (const t of TABLES) await pool.query(t.sql, [Math.round(orders * t.share)]);
  // failed processes: some of the oplux errors (shown once, as failures) and some amount changes
  await pool.query(`INSERT INTO process_failures (workflow_id, shop_id, order_id, process, reason, failed_at)
    SELECT 'oplux-fraud-review:' || shop_id || ':' || order_id, shop_id, order_id, 'opluxFraudReviewWorkflow', 'activity retries spent', updated_at
    FROM oplux_orders WHERE status = '審査エラー' AND random() < 0.5`);
  await pool.query(`INSERT INTO process_failures (workflow_id, shop_id, order_id, process, reason, failed_at)
    SELECT 'order-amount-change:bench-' || i % ${SHOPS} || ':AC-' || i || ':1000', 'bench-' || i % ${SHOPS}, 'AC-' || i, 'orderAmountChangeWorkflow',
      'the provider refused the amount', now() - random() * interval '30 days'
    FROM generate_series(1, $1) i`, [failures]);
  await pool.query('ANALYZE');
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function main(): Promise<void> {
  const args = parseIntFlags(process.argv.slice(2), { orders: 100_000, runs: 200, failures: 0 }, USAGE);
  const failures = args.failures || Math.round(args.orders / 1000);
  const db = await startTestDatabase();
  try {
    const pool = db.pool;
    const t0 = Date.now();
    await seed(pool, args.orders, failures);
    const { rows: [total] } = await pool.query(`SELECT
        (SELECT count(*) FROM au_pay_orders) + (SELECT count(*) FROM oplux_orders) + (SELECT count(*) FROM yahoo_pay_method_windows)
        + (SELECT count(*) FROM order_cancellations) + (SELECT count(*) FROM order_outbox) + (SELECT count(*) FROM amazon_pay_orders)
        + (SELECT count(*) FROM amazon_pay_recurring_parents) AS orders`);
    const counts = await countAttention(pool, SHOP);
    const shopRows = counts.reduce((n, c) => n + c.count, 0);
    const everyShop = (await Promise.all(Array.from({ length: SHOPS }, (_, s) => countAttention(pool, `bench-${s}`))))
      .flat().reduce((n, c) => n + c.count, 0);
    console.log(`${total.orders} orders in ${SHOPS} shops (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'PGlite'}), seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s;`
      + ` ${everyShop} need attention (${((everyShop / Number(total.orders)) * 100).toFixed(2)}%), ${shopRows} of them in ${SHOP}`);

    const first: AttentionQuery = { shopId: SHOP, limit: 100 };
    const firstPage = await listAttention(pool, first);
    const later: AttentionQuery = { ...first, after: firstPage.next ?? undefined };
    const filtered: AttentionQuery = { shopId: SHOP, process: 'oplux', olderThan: new Date(Date.now() - 3 * 86_400_000), limit: 100 };

    // EXPLAIN: every branch must read its partial index, never a whole table
    for (const [name, sql] of [['first page', attentionPageSql(first)!], ['later page', attentionPageSql(later)!], ['counts', attentionCountsSql(SHOP)]] as const) {
      const plan = (await pool.query(`EXPLAIN (COSTS off) ${sql.text}`, sql.values)).rows.map((r) => r['QUERY PLAN'] as string);
      const scans = plan.filter((l) => /Scan/.test(l)).map((l) => l.trim().replace(/^->\s*/, ''));
      const seq = scans.filter((l) => l.startsWith('Seq Scan'));
      // process_failures is small (a row per failed workflow, gone when it runs again): the planner may hash it whole
      const bad = seq.filter((l) => !/ on process_failures /.test(l));
      console.log(`\nEXPLAIN ${name}: ${scans.length} scans; sequential: ${bad.length} on order tables${bad.length ? ` (${bad.join('; ')})` : ''},`
        + ` ${seq.length - bad.length} on process_failures`);
      for (const s of scans) console.log(`  ${s}`);
    }

    const ids = Array.from({ length: args.runs }, (_, i) => `AU-${1 + ((i * 7919) % Math.round(args.orders * 0.3))}`);
    const shopOf = (id: string) => `bench-${Number(id.slice(3)) % SHOPS}`;
    const kinds = {
      'primary-key read (baseline)': (i: number) => pool.query(`SELECT * FROM au_pay_orders WHERE shop_id = $1 AND order_id = $2`, [shopOf(ids[i]!), ids[i]]),
      'first page (100 rows)': () => listAttention(pool, first),
      'later page (cursor)': () => listAttention(pool, later),
      'filtered page (oplux, 3d)': () => listAttention(pool, filtered),
      counts: () => countAttention(pool, SHOP),
      'whole answer (page + counts)': () => Promise.all([listAttention(pool, first), countAttention(pool, SHOP)]),
    };
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
    for (let i = 0; i < 20; i += 1) for (const run of Object.values(kinds)) await run(i); // warm-up
    for (let i = 0; i < args.runs; i += 1) {
      for (const [k, run] of Object.entries(kinds)) ms[k]!.push(await time(() => run(i)));
    }

    const base = ms['primary-key read (baseline)']!;
    const [b50, b99] = [percentile(base, 50), percentile(base, 99)];
    const width = Math.max(...Object.keys(kinds).map((k) => k.length));
    const cell = (s: string) => s.padStart(12);
    console.log(`\n${args.runs} runs each, interleaved, sequential on one shop's ${shopRows} rows`);
    console.log(`${''.padEnd(width)} ${cell('p50 ms')} ${cell('p99 ms')} ${cell('p50 ratio')} ${cell('p99 ratio')}`);
    for (const [k, v] of Object.entries(ms)) {
      const [p50, p99] = [percentile(v, 50), percentile(v, 99)];
      console.log(`${k.padEnd(width)} ${cell(p50.toFixed(2))} ${cell(p99.toFixed(2))} ${cell(`${(p50 / b50).toFixed(1)}x`)} ${cell(`${(p99 / b99).toFixed(1)}x`)}`);
    }
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
