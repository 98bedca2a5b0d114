import { Gauge, type Registry } from 'prom-client';
import type { Pool } from 'pg';
import { ATTENTION_PROCESSES, countAttention } from '../db/attention';
import { listShops } from '../db/shops';
import { createLogger } from '../common/logger';

const log = createLogger('metrics');

/**
 * The attention list's size per shop and process, counted at each scrape with the list's own count query (every
 * process of every shop is written, 0 included, so an alert sees a list that empties). A database that does not
 * answer leaves the gauge empty for that scrape, and says so in the log.
 */
export function attentionGauge(registry: Registry, db: Pick<Pool, 'query'>): Gauge<'shop' | 'process'> {
  return new Gauge({
    name: 'renkei_attention_orders',
    help: 'Orders on the attention list (waiting for a person or stopped at an error), by shop and process',
    labelNames: ['shop', 'process'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const shop of await listShops(db, null)) {
          const sizes = new Map<string, number>(ATTENTION_PROCESSES.map((p) => [p, 0]));
          for (const c of await countAttention(db, shop.id)) sizes.set(c.process, (sizes.get(c.process) ?? 0) + c.count);
          for (const [process, size] of sizes) this.set({ shop: shop.id, process }, size);
        }
      } catch (err) {
        log.warn('attention list not counted for /metrics', { error: (err as Error).message });
      }
    },
  });
}
