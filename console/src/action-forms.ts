/**
 * The operator actions' forms and routes, pure (no DOM): the inputs a catalog schema asks for, the arguments a filled
 * form gives, and the single-order route of each action.
 */
/** JSON Schema of an action's arguments, as console/build.ts writes it from the catalog's zod schema. */
export interface JsonSchema {
  type?: string;
  enum?: Array<string | number>;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maxLength?: number;
}
export interface ActionForm { process: string; schema: JsonSchema }

/** One input of a form: a dotted name for a nested object's property. */
export interface Field { name: string; kind: 'select' | 'checkbox' | 'number' | 'text'; options: string[]; required: boolean }

/** The inputs an action takes: an enum is a select (of a union, its first enum: the codes), a boolean a checkbox. */
export function fieldsOf(schema: JsonSchema, prefix = '', requiredHere = true): Field[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, s]): Field[] => {
    const name = prefix + key;
    const required = requiredHere && (schema.required ?? []).includes(key);
    if (s.type === 'object') return fieldsOf(s, `${name}.`, required);
    const e = s.enum ?? s.anyOf?.find((a) => a.enum)?.enum;
    if (e) return [{ name, kind: 'select', options: e.map(String), required }];
    if (s.type === 'boolean') return [{ name, kind: 'checkbox', options: [], required: false }];
    if (s.type === 'integer' || s.type === 'number') return [{ name, kind: 'number', options: [], required }];
    return [{ name, kind: 'text', options: [], required }];
  });
}

/** The form's values as the action's arguments: empty inputs left out, numbers as numbers, dotted names nested. */
export function argsOf(fields: Field[], values: Record<string, string | boolean>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (v === undefined || v === '' || v === false) continue;
    const value = f.kind === 'number' ? Number(v) : v;
    const path = f.name.split('.');
    let at = args;
    for (const p of path.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[path.at(-1)!] = value;
  }
  return args;
}

/**
 * The single-order route of an action (api/*\/routes.ts), or undefined when there is none (order data OUT redelivers
 * by delivery: from a list it runs as a bulk action of one order).
 */
export function singleRoute(base: string, action: string, orderId: string, args: Record<string, unknown>): { path: string; body: unknown } | undefined {
  const o = encodeURIComponent(orderId);
  const { cycle, ...rest } = args;
  const recurring = `${base}/amazon-pay/recurring/${o}`;
  switch (action) {
    case 'au-pay.link-status': return { path: `${base}/au-pay/orders/${o}/link-status`, body: args };
    case 'oplux.manual-review': return { path: `${base}/oplux/orders/${o}/manual-review`, body: args };
    case 'oplux.black-flag': return { path: `${base}/oplux/orders/${o}/black-flag`, body: args };
    case 'oplux.relink': return { path: `${base}/oplux/orders/${o}/relink`, body: args };
    case 'yahoo.decision': return { path: `${base}/yahoo/orders/${o}/decision`, body: args };
    case 'cancel.decision': return { path: `${base}/cancellations/${o}/decision`, body: args };
    case 'amazon-pay-recurring.skip-next': return { path: `${recurring}/skip-next`, body: args };
    case 'amazon-pay-recurring.plan': return { path: `${recurring}/plan`, body: args };
    case 'amazon-pay-recurring.cancel-child': return { path: `${recurring}/children/${String(cycle)}/cancel`, body: rest };
    case 'amazon-pay-recurring.child-shipped': return { path: `${recurring}/children/${String(cycle)}/shipped`, body: rest };
    case 'amazon-pay-recurring.close': return { path: `${recurring}/close`, body: args };
    default: return undefined;
  }
}

