/**
 * What the shop's external system receives: the outbox row's event with the order's values as the update left them
 * (#1319), cut to the fields the shop chose. A field is a top-level name or a dotted path, e.g. `delivery.freeField1`
 * for the delivery address's free fields (#1084); no field list means every field.
 */
export interface OrderOutMessage {
  id: string;
  event: string;
  shopId: string;
  orderId: string;
  occurredAt: string;
  order: Record<string, unknown>;
}

export function pickFields(payload: Record<string, unknown>, fields: readonly string[] | null): Record<string, unknown> {
  if (!fields) return payload;
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    const parts = path.split('.');
    let from: unknown = payload;
    for (const p of parts) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[p] : undefined;
    if (from === undefined) continue;
    let into = out;
    for (const p of parts.slice(0, -1)) into = (into[p] ??= {}) as Record<string, unknown>;
    into[parts[parts.length - 1]!] = from;
  }
  return out;
}
