import type { IpnDelivery, IpnSender } from '../amazon-pay/emulator/ipn-sender';

export interface DeliverySummary {
  /** log entries seen (each attempt, drop, hold... is one entry) */
  entries: number;
  byOutcome: Record<string, number>;
  /** delivered entries by HTTP status */
  deliveredStatus: Record<string, number>;
  /** failed entries, first few, as `status` or `error` */
  failures: string[];
  /** entries that left the sender's log (it keeps the last 1000) before they were read */
  lost: number;
}

/**
 * Collects the sandbox IPN sender's delivery log from now on. The log keeps only its last 1000 entries, so a run of
 * more IPNs than that is read every `everyMs` while it goes on, by sequence number; a gap is counted as lost.
 */
export function harvestDeliveries(sender: IpnSender, everyMs = 100) {
  const seen: IpnDelivery[] = [];
  let lastSeq = sender.deliveries().reduce((max, d) => Math.max(max, d.seq), 0);
  let lost = 0;
  const read = () => {
    for (const d of sender.deliveries()) {
      if (d.seq <= lastSeq) continue;
      lost += d.seq - lastSeq - 1;
      lastSeq = d.seq;
      seen.push(d);
    }
  };
  const timer = setInterval(read, everyMs);
  return {
    /** Reads what is left (after `sender.flush()`), stops, and sums up. */
    stop(): DeliverySummary {
      clearInterval(timer);
      read();
      const count = (key: (d: IpnDelivery) => string | undefined, of: IpnDelivery[]) =>
        of.reduce<Record<string, number>>((acc, d) => {
          const k = key(d) ?? '?';
          acc[k] = (acc[k] ?? 0) + 1;
          return acc;
        }, {});
      const failed = seen.filter((d) => d.outcome === 'failed' || d.outcome === 'error');
      return {
        entries: seen.length,
        byOutcome: count((d) => d.outcome, seen),
        deliveredStatus: count((d) => String(d.status), seen.filter((d) => d.outcome === 'delivered')),
        failures: failed.slice(0, 5).map((d) => `${d.objectType} ${d.objectId}: ${d.status ?? d.error ?? d.outcome}`),
        lost,
      };
    },
  };
}
