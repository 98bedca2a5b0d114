/**
 * Every state-changing call an emulator accepted, with the order it touched and what it did. Tests read it to prove
 * that nothing was applied twice: `applied` is false for calls that changed nothing (a same-status update).
 */
export interface LedgerEntry {
  seq: number;
  at: string;
  operation: string;
  orderId: string;
  applied: boolean;
  effect: string;
  key?: string;
}

export class Ledger {
  private entries: LedgerEntry[] = [];

  record(entry: Omit<LedgerEntry, 'seq' | 'at'>, at: Date): LedgerEntry {
    const full = { ...entry, seq: this.entries.length + 1, at: at.toISOString() };
    this.entries.push(full);
    return full;
  }

  list(filter: { orderId?: string; operation?: string } = {}): LedgerEntry[] {
    return this.entries.filter(
      (e) => (!filter.orderId || e.orderId === filter.orderId) && (!filter.operation || e.operation === filter.operation),
    );
  }

  /** The entries after `seq` (a reader's cursor): what came since, without copying the rest. */
  since(seq: number): LedgerEntry[] {
    return this.entries.slice(seq);
  }

  reset(): void {
    this.entries = [];
  }
}
