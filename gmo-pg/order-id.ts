import { LIMITS } from './schemas';

/**
 * The OrderID of one payment attempt (§5.1): GMO has no idempotency key and an OrderID is unique per shop forever,
 * failed trades included, so a re-bill needs a new one: `<orderNo>-<attempt>`, at most 27 chars of [A-Za-z0-9-].
 * Throws a RangeError when the order number cannot make a valid OrderID (the caller must map it first).
 */
export function gmoOrderId(orderNo: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const id = `${orderNo}-${attempt}`;
  if (!LIMITS.orderId.test(id)) throw new RangeError(`"${id}" is not a GMO OrderID (1-27 chars of A-Z a-z 0-9 -)`);
  return id;
}

/** The order number and attempt of an OrderID made by gmoOrderId; undefined for any other OrderID. */
export function parseGmoOrderId(orderId: string): { orderNo: string; attempt: number } | undefined {
  const m = /^(.+)-([1-9]\d*)$/.exec(orderId);
  return m ? { orderNo: m[1] as string, attempt: Number(m[2]) } : undefined;
}
