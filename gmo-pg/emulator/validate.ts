import { sjisByteLength } from '../wire';

/** Request fields as decoded from the form. */
export type Fields = Record<string, string | undefined>;

/** One field's rule: the ErrInfo when it is missing (if required), then checks, the first failing one reported. */
export interface FieldRule {
  name: string;
  required?: string | ((f: Fields) => string | undefined);
  checks?: Array<[(v: string, f: Fields) => boolean, string]>;
}

/**
 * Every field is checked, in the API's field order, and every failure is reported (one ErrInfo per field), as GMO
 * does: `ErrCode=E01|E01&ErrInfo=E01050002|E01060006`. An empty value counts as absent.
 */
export function validateFields(f: Fields, rules: FieldRule[]): string[] {
  const infos: string[] = [];
  for (const rule of rules) {
    const v = f[rule.name];
    if (v === undefined || v === '') {
      const missing = typeof rule.required === 'function' ? rule.required(f) : rule.required;
      if (missing) infos.push(missing);
      continue;
    }
    const failed = rule.checks?.find(([ok]) => !ok(v, f));
    if (failed) infos.push(failed[1]);
  }
  return infos;
}

export const matches = (re: RegExp) => (v: string) => re.test(v);
export const digits = (v: string) => /^\d+$/.test(v);
export const maxLen = (n: number) => (v: string) => v.length <= n;
export const maxDigits = (n: number) => (v: string) => !/^\d+$/.test(v) || v.length <= n;
export const oneOf = (values: readonly string[]) => (v: string) => values.includes(v);
export const maxBytes = (n: number) => (v: string) => sjisByteLength(v) <= n;

/** The shop fields of EntryTran, AlterTran, ChangeTran and SearchTrade. */
export const shopRules: FieldRule[] = [
  { name: 'ShopID', required: 'E01010001', checks: [[matches(/^[A-Za-z0-9]{1,13}$/), 'E01010008']] },
  { name: 'ShopPass', required: 'E01020001', checks: [[matches(/^[A-Za-z0-9]{1,10}$/), 'E01020008']] },
];
export const accessRules: FieldRule[] = [
  { name: 'AccessID', required: 'E01090001', checks: [[matches(/^[0-9a-f]{32}$/), 'E01090008']] },
  { name: 'AccessPass', required: 'E01100001', checks: [[matches(/^[0-9a-f]{32}$/), 'E01100008']] },
];
export const orderIdRule: FieldRule = {
  name: 'OrderID', required: 'E01040001', checks: [[maxLen(27), 'E01040003'], [matches(/^[A-Za-z0-9-]+$/), 'E01040013']],
};
export const amountRule = (required?: FieldRule['required']): FieldRule => ({
  name: 'Amount', required, checks: [[digits, 'E01060006'], [maxDigits(7), 'E01060005']],
});
export const taxRule: FieldRule = { name: 'Tax', checks: [[digits, 'E01070006'], [maxDigits(7), 'E01070005']] };
export const methodRules = (methodRequired?: FieldRule['required']): FieldRule[] => [
  { name: 'Method', required: methodRequired, checks: [[oneOf(['1', '2', '3', '4', '5']), 'E01260002']] },
  {
    name: 'PayTimes',
    required: (f) => (f.Method === '2' || f.Method === '4' ? 'E01270001' : undefined),
    checks: [[digits, 'E01270006'], [maxLen(2), 'E01270005']],
  },
];

/** Amount+Tax must fit 7 digits (E01490005), checked once both are valid. */
export function totalCheck(f: Fields, fieldErrors: string[]): string[] {
  if (fieldErrors.some((e) => e.startsWith('E0106') || e.startsWith('E0107'))) return [];
  const total = Number(f.Amount || '0') + Number(f.Tax || '0');
  return total > 9_999_999 ? ['E01490005'] : [];
}
