import { z } from 'zod';

/**
 * Scripted GMO answers (HTTP 200 with ErrCode/ErrInfo), beside the shared HTTP-level faults: E90010001 (double
 * submission), E91020001 (communication error), 42C010000 (card network), E92000001 (throttled), or any other code.
 * First match wins; a rule is spent after `times` matches (1 by default). With `afterEffect` the call is applied
 * first and the error is answered anyway: the 状態 不明 case a client must settle with SearchTrade.
 */
export const scriptedErrorSchema = z.object({
  operation: z.enum(['*', 'EntryTran', 'ExecTran', 'AlterTran', 'ChangeTran', 'SearchTrade']).default('*'),
  errInfo: z.union([z.string().regex(/^[A-Z0-9]{9}$/), z.array(z.string().regex(/^[A-Z0-9]{9}$/)).min(1)]),
  afterEffect: z.boolean().default(false),
  times: z.number().int().min(1).default(1),
});
export type ScriptedErrorInput = z.input<typeof scriptedErrorSchema>;
export interface ScriptedError {
  id: number;
  operation: string;
  infos: string[];
  afterEffect: boolean;
  remaining: number;
}

export class ScriptedErrors {
  private rules: ScriptedError[] = [];
  private nextId = 1;

  add(input: ScriptedErrorInput): ScriptedError {
    const p = scriptedErrorSchema.parse(input);
    const rule = { id: this.nextId++, operation: p.operation, infos: typeof p.errInfo === 'string' ? [p.errInfo] : p.errInfo, afterEffect: p.afterEffect, remaining: p.times };
    this.rules.push(rule);
    return rule;
  }

  take(operation: string): ScriptedError | undefined {
    const rule = this.rules.find((r) => r.operation === '*' || r.operation === operation);
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return { ...rule };
  }

  list(): ScriptedError[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}
