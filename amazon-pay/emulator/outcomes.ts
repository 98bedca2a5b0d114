import { z } from 'zod';

/**
 * Scripted outcomes (POST /_sandbox/outcomes): the next N calls of an operation, optionally for one CP, end as
 * scripted instead of succeeding. First match wins; a rule is spent after `times` matches.
 * - decline: createCharge answers 422 with the reason code (no Charge is created); createRefund creates the Refund,
 *            which ends Declined with that code after the refund delay;
 * - pending: createCharge answers 201 AuthorizationInitiated (when the request allows pending authorization),
 *            captureCharge answers CaptureInitiated, createRefund RefundInitiated; each becomes `finalState` after
 *            `delayMs` on the emulator clock, or earlier through POST /_sandbox/charges/:id/resolve;
 * - error:   any operation answers `status` with Amazon's error body `{reasonCode, message}`, changing nothing.
 */
export const AMAZON_PAY_OPERATIONS = [
  'getChargePermission', 'updateChargePermission', 'closeChargePermission',
  'createCharge', 'getCharge', 'captureCharge', 'cancelCharge', 'createRefund', 'getRefund',
] as const;
export type AmazonPayOperation = (typeof AMAZON_PAY_OPERATIONS)[number];

const FINAL_STATES: Record<string, readonly string[]> = {
  createCharge: ['Authorized', 'Declined', 'Canceled'],
  captureCharge: ['Captured', 'Declined'],
  createRefund: ['Refunded', 'Declined'],
};

const common = {
  chargePermissionId: z.string().min(1).optional(),
  times: z.number().int().min(1).max(10_000).default(1),
};

export const scriptedOutcomeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('decline'), operation: z.enum(['createCharge', 'createRefund']), reasonCode: z.string().min(1), ...common }),
    z.object({
      kind: z.literal('pending'),
      operation: z.enum(['createCharge', 'captureCharge', 'createRefund']),
      delayMs: z.number().int().min(0).optional(),
      finalState: z.string().optional(),
      reasonCode: z.string().min(1).optional(),
      ...common,
    }),
    z.object({
      kind: z.literal('error'),
      operation: z.enum(AMAZON_PAY_OPERATIONS),
      status: z.number().int().min(400).max(599),
      reasonCode: z.string().min(1),
      message: z.string().optional(),
      ...common,
    }),
  ])
  .superRefine((o, ctx) => {
    if (o.kind !== 'pending' || o.finalState === undefined) return;
    const allowed = FINAL_STATES[o.operation] ?? [];
    if (!allowed.includes(o.finalState)) {
      ctx.addIssue({ code: 'custom', path: ['finalState'], message: `${o.operation} can end in ${allowed.join(', ')}` });
    }
  });

export type ScriptedOutcomeInput = z.input<typeof scriptedOutcomeSchema>;
export type ScriptedOutcome = z.infer<typeof scriptedOutcomeSchema> & { id: number; remaining: number };

/** Default reason codes when a scripted pending result ends Declined or Canceled without one. */
export const defaultReasonFor = (operation: string, finalState: string): string | null => {
  if (finalState === 'Canceled') return 'AmazonCanceled';
  if (finalState !== 'Declined') return null;
  return operation === 'createCharge' ? 'SoftDeclined' : 'ProcessingFailure';
};

export class ScriptedOutcomes {
  private rules: ScriptedOutcome[] = [];
  private nextId = 1;

  add(input: ScriptedOutcomeInput): ScriptedOutcome {
    const parsed = scriptedOutcomeSchema.parse(input);
    const rule: ScriptedOutcome = { ...parsed, id: this.nextId++, remaining: parsed.times };
    this.rules.push(rule);
    return { ...rule };
  }

  /** The outcome scripted for this call, if any; spends one use. */
  take(operation: AmazonPayOperation, chargePermissionId: string): ScriptedOutcome | undefined {
    const rule = this.rules.find((r) => r.operation === operation && (!r.chargePermissionId || r.chargePermissionId === chargePermissionId));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return { ...rule };
  }

  list(): ScriptedOutcome[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}
