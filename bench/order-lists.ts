/**
 * The console's per-process lists and the order timeline against N orders per process in one shop (issue 14: "at 10k
 * orders"), beside a second shop as large: the first page, a later page (by cursor), a status filter, an order id
 * prefix, the counts, one order (the timeline's processes), and one order's timeline over call histories, mails,
 * order data OUT and the audit. Prints EXPLAIN ANALYZE's execution time (the median of --runs) and every sequential
 * scan, per process.
 *
 *   npx tsx bench/order-lists.ts -- [--orders 10000] [--runs 5]   (DATABASE_URL: that server; default PGlite)
 */
import type { Pool } from 'pg';
import { ATTENTION_PROCESSES } from '../db/attention';
import { listOrders, orderCountsSql, orderListSql, type OrderListQuery } from '../db/order-lists';
import { orderTimelineSql } from '../db/order-timeline';
import { startTestDatabase } from '../tests/support/database';
import { parseIntFlags } from './args';
import { percentile } from './run-phase';

const USAGE = 'usage: npx tsx bench/order-lists.ts -- [--orders N] [--runs R]   (positive integers; defaults 10000 and 5)';
const SHOP = 'bench-0';
const ago = `now() - random() * interval '60 days'`;

/** Every process's table with $1 orders in each of two shops; the timeline's tables with a few rows per order. */
const SEED = [
  `INSERT INTO au_pay_orders (shop_id, order_id, au_pay_order_id, management_class, ship_date, carrier, link_status, updated_at)
    SELECT 'bench-' || s, 'AU-' || i, i::text, '通常', date '2026-11-01', '6',
      (ARRAY['空欄', '出荷情報反映済み', '受注完了ステータス反映済み', '出荷情報反映エラー'])[1 + i % 4], ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  `INSERT INTO oplux_orders (shop_id, order_id, status, order_data, updated_at)
    SELECT 'bench-' || s, 'OP-' || i, (ARRAY['審査中', 'OK', '目視審査待ち', 'NG'])[1 + i % 4], '{"amountJpy": 5000}', ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  `INSERT INTO yahoo_pay_method_windows (shop_id, order_id, window_status, deadline, deadline_source, updated_at)
    SELECT 'bench-' || s, 'YH-' || i, (ARRAY['変更待ち', '変更完了・出荷可', '連携エラー'])[1 + i % 3], now() + interval '3 days', 'api', ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  `INSERT INTO order_cancellations (shop_id, order_id, payment_method, payment_ref, order_status, status, state_since)
    SELECT 'bench-' || s, 'CX-' || i, 'credit-gmo-pg', '{}', 'キャンセル', (ARRAY['canceled', 'provider-failed', 'canceling'])[1 + i % 3], ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  // two rows per order: order data OUT lists orders, not rows
  `INSERT INTO order_outbox (shop_id, order_id, event, payload, dedupe_key, status, attempts, created_at)
    SELECT 'bench-' || s, 'AU-' || i, 'e' || k, '{}', 'bench:' || s || ':' || i || ':' || k,
      CASE WHEN k = 2 AND i % 20 = 0 THEN 'failed' ELSE 'delivered' END, 1, ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s, generate_series(1, 2) k`,
  `INSERT INTO order_out_attempts (outbox_id, attempted_at, http_status, duration_ms) SELECT id, created_at, 200, 5 FROM order_outbox`,
  `WITH o AS (
      INSERT INTO amazon_pay_orders (shop_id, order_id, charge_permission_id, charge_id, amount_jpy, payment_status, updated_at)
      SELECT 'bench-' || s, 'AP-' || i, 'P-' || s || '-' || i, 'C-' || s || '-' || i, 1000, (ARRAY['審査中', '審査完了', '審査NG'])[1 + i % 3], ${ago}
      FROM generate_series(1, $1) i, generate_series(0, 1) s RETURNING shop_id, order_id)
    INSERT INTO amazon_pay_review_results (shop_id, order_id, outcome, state, dedupe_key)
    SELECT shop_id, order_id, CASE WHEN random() < 0.05 THEN 'ERROR' ELSE 'OK' END, 'Authorized', 'bench:' || shop_id || ':' || order_id FROM o`,
  `INSERT INTO amazon_pay_recurring_parents (shop_id, parent_order_id, charge_permission_id, amount_jpy, interval_unit, interval_value, status, expires_at, updated_at)
    SELECT 'bench-' || s, 'RC-' || i, 'RP-' || s || '-' || i, 3000, 'Month', 1, 'active', now() + interval '300 days', ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  `INSERT INTO amazon_pay_recurring_children (shop_id, parent_order_id, cycle, scheduled_at, outcome, amount_jpy, recorded_at)
    SELECT shop_id, parent_order_id, c, now() - make_interval(months => 3 - c), 'charged', 3000, now() - make_interval(months => 3 - c)
    FROM amazon_pay_recurring_parents, generate_series(1, 3) c`,
  `INSERT INTO order_amount_changes (shop_id, order_id, amount_jpy, outcome, created_at)
    SELECT 'bench-' || s, 'AC-' || i, 1000 - k * 100, 'changed', ${ago} FROM generate_series(1, $1) i, generate_series(0, 1) s, generate_series(1, 2) k`,
  `INSERT INTO order_shipments (shop_id, order_id, ship_date, carrier, tracking_number, import_id, line, capture_status, capture_since, updated_at)
    SELECT 'bench-' || s, 'SH-' || i, date '2026-11-01', 'yamato', '1234-5678-9012', 'bench-import', i,
      (ARRAY[NULL, '売上確定中', '売上確定済み', '売上確定エラー'])[1 + i % 4], ${ago}, ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  // the timeline's histories: calls, mails (three per order, keyed by the workflow), the audit
  `INSERT INTO au_pay_call_history (shop_id, order_id, au_pay_order_id, operation, result, http_status, called_at)
    SELECT 'bench-' || s, 'AU-' || i, i::text, 'updateTradeInfoProc', '成功', 200, ${ago} FROM generate_series(1, $1) i, generate_series(0, 1) s`,
  `INSERT INTO mail_log (shop_id, recipient, audience, subject, status, dedupe_key, created_at)
    SELECT 'bench-' || s, 'shop@example.jp', 'admin', 'subject', 'sent', format('au-pay-shipment:bench-%s:AU-%s:%s:shop@example.jp', s, i, k), ${ago}
    FROM generate_series(1, $1) i, generate_series(0, 1) s, generate_series(1, 3) k`,
  `INSERT INTO audit_log (operator_id, operator, shop_id, process, order_id, action, outcome, at)
    SELECT 'op', 'op', 'bench-' || s, 'au-pay', 'AU-' || i, 'au-pay.link-status', 'applied', ${ago} FROM generate_series(1, $1) i, generate_series(0, 1) s`,
];

async function explain(pool: Pool, sql: { text: string; values: unknown[] }, runs: number): Promise<{ ms: number; seq: string[] }> {
  const times: number[] = [];
  let seq: string[] = [];
  for (let r = 0; r < runs; r += 1) {
    const plan = (await pool.query(`EXPLAIN (ANALYZE, COSTS off) ${sql.text}`, sql.values)).rows.map((x) => x['QUERY PLAN'] as string);
    times.push(Number(/Execution Time: ([\d.]+)/.exec(plan.at(-1) ?? '')?.[1]));
    seq = plan.filter((l) => /Seq Scan/.test(l)).map((l) => l.trim().replace(/^->\s*/, '').replace(/\s+\(actual.*$/, ''));
  }
  return { ms: percentile(times, 50), seq };
}

async function main(): Promise<void> {
  const args = parseIntFlags(process.argv.slice(2).filter((a) => a !== '--'), { orders: 10_000, runs: 5 }, USAGE);
  const db = await startTestDatabase();
  try {
    const pool = db.pool;
    const t0 = Date.now();
    for (const sql of SEED) await pool.query(sql, sql.includes('$1') ? [args.orders] : []);
    await pool.query('ANALYZE');
    console.log(`${args.orders} orders per process in each of 2 shops (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'PGlite'}), seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`EXPLAIN ANALYZE execution time, median of ${args.runs} (ms); sequential scans listed\n`);
    const prefix = { 'au-pay': 'AU-12', oplux: 'OP-12', yahoo: 'YH-12', cancel: 'CX-12', 'order-out': 'AU-12', 'amazon-pay': 'AP-12', 'amazon-pay-recurring': 'RC-12', 'amount-change': 'AC-12', shipment: 'SH-12' };
    for (const process of ATTENTION_PROCESSES) {
      const first: OrderListQuery = { shopId: SHOP, process, limit: 50 };
      const page = await listOrders(pool, first);
      const status = page.rows[0]?.status;
      const cases: Array<[string, { text: string; values: unknown[] }]> = [
        ['first page', orderListSql(first)],
        ['later page', orderListSql({ ...first, after: page.next ?? undefined })],
        ['status', orderListSql({ ...first, status })],
        ['prefix', orderListSql({ ...first, orderIdPrefix: prefix[process] })],
        ['counts', orderCountsSql(SHOP, process)],
        ['one order', orderListSql({ ...first, orderId: page.rows[0]?.orderId ?? 'none' })],
      ];
      const cells: string[] = [];
      const seqs = new Set<string>();
      for (const [name, sql] of cases) {
        const r = await explain(pool, sql, args.runs);
        cells.push(`${name} ${r.ms.toFixed(1)}`);
        r.seq.forEach((s) => seqs.add(s));
      }
      console.log(`${process.padEnd(22)} ${cells.join(' · ')}${seqs.size ? `\n${' '.repeat(23)}seq: ${[...seqs].join('; ')}` : ''}`);
    }
    const t = await explain(pool, orderTimelineSql(SHOP, 'AU-1234'), args.runs);
    console.log(`\ntimeline (one order)   ${t.ms.toFixed(1)} ms${t.seq.length ? `; seq: ${t.seq.join('; ')}` : ''}`);
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
