import { z } from 'zod';

/**
 * Fault rules, first match wins (as LocalStack's and stripe-mock's fault rules do). A rule with `times` is spent
 * after that many matches; a rule with `probability` fires on that share of calls.
 * - error:   answer `status` (5xx, 429, ...) without applying the call;
 * - timeout: hold the connection for `delayMs` and then drop it; with `afterEffect` the call is applied first,
 *            which is the case a client must handle by reading before it retries;
 * - slow:    answer normally after `delayMs`.
 */
export const faultRuleSchema = z
  .object({
    operation: z.string().min(1).default('*'),
    kind: z.enum(['error', 'timeout', 'slow']),
    status: z.coerce.number().int().min(400).max(599).optional(),
    delayMs: z.coerce.number().int().min(0).max(600_000).optional(),
    afterEffect: z.boolean().default(false),
    times: z.coerce.number().int().min(1).optional(),
    probability: z.coerce.number().min(0).max(1).optional(),
  })
  .refine((r) => r.kind !== 'error' || r.status !== undefined, { message: 'an error fault needs a status', path: ['status'] })
  .refine((r) => r.times === undefined || r.probability === undefined, { message: 'give times or probability, not both' });

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: number; remaining?: number };

/**
 * The rule schema of an emulator whose operations are `operations`: the names its ledger shows. Any other name is
 * refused with the list, since a rule for a name no call carries would silently never fire.
 */
export function faultRuleSchemaFor(operations: readonly string[]) {
  return faultRuleSchema.superRefine((r, ctx) => {
    if (r.operation === '*' || operations.includes(r.operation)) return;
    ctx.addIssue({ code: 'custom', path: ['operation'], message: `unknown operation; one of: ${operations.join(', ')}, or * for every one` });
  });
}

export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** `operations`: the emulator's operation names (the ledger's); without them any name is taken (unit tests) */
  constructor(readonly operations?: readonly string[]) {}

  add(input: FaultRuleInput): FaultRule {
    // built per call, not kept: the sandbox's state snapshot walks every field of the kit
    const parsed = (this.operations ? faultRuleSchemaFor(this.operations) : faultRuleSchema).parse(input);
    const rule: FaultRule = { ...parsed, id: this.nextId++, remaining: parsed.times };
    this.rules.push(rule);
    return rule;
  }

  /** The fault for this call, if any; spends one use of a counted rule. */
  take(operation: string, random: () => number = Math.random): FaultRule | undefined {
    const rule = this.rules.find((r) => r.operation === '*' || r.operation === operation);
    if (!rule) return undefined;
    if (rule.probability !== undefined && random() >= rule.probability) return undefined;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}
