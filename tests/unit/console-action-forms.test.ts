import { z } from 'zod';
import { actionForms } from '../../console/build';
import { argsOf, fieldsOf, singleRoute, type ActionForm } from '../../console/src/action-forms';
import { OPERATOR_ACTIONS, OPERATOR_ACTION_NAMES } from '../../operators/action-catalog';

/**
 * The console's action forms are made from the catalog's zod schemas (console/build.ts): whatever a form can be
 * filled with must be arguments the action accepts, and every action has a way to run from the order page.
 */
let forms: Record<string, ActionForm>;
beforeAll(async () => {
  forms = await actionForms() as Record<string, ActionForm>;
});

/** The form filled as an operator would: the first choice of each select, 1 in a number, some text, boxes ticked. */
const filled = (name: string) => {
  const fields = fieldsOf(forms[name]!.schema);
  const values = Object.fromEntries(fields.map((f) => [f.name, f.kind === 'select' ? f.options[0]! : f.kind === 'number' ? '1' : f.kind === 'checkbox' ? true : '確認済み']));
  return { fields, args: argsOf(fields, values) };
};

test.each(OPERATOR_ACTION_NAMES)('%s: a filled form gives arguments the action accepts', (name) => {
  expect(forms[name]!.process).toBe(OPERATOR_ACTIONS[name].process);
  const { args } = filled(name);
  const parsed = (OPERATOR_ACTIONS[name].args as z.ZodType).safeParse(args);
  expect(parsed.error?.issues ?? []).toEqual([]);
});

test('enums are selects with their values, nested objects dotted, and an empty form leaves the optional out', () => {
  expect(fieldsOf(forms['au-pay.link-status']!.schema)).toEqual([
    { name: 'status', kind: 'select', options: ['空欄', '出荷情報反映済み', '受注完了ステータス反映済み'], required: true },
    { name: 'completedBeforeAutomation', kind: 'checkbox', options: [], required: false },
  ]);
  expect(fieldsOf(forms['oplux.manual-review']!.schema)[0]).toEqual({ name: 'result', kind: 'select', options: ['10', '20', '30'], required: true });
  const plan = fieldsOf(forms['amazon-pay-recurring.plan']!.schema);
  expect(plan.map((f) => f.name)).toEqual(['amountJpy', 'interval.unit', 'interval.value']);
  expect(argsOf(plan, { amountJpy: '', 'interval.unit': 'Month', 'interval.value': '2' })).toEqual({ interval: { unit: 'Month', value: 2 } });
});

test('each action runs from its own single-order route, order data OUT through a bulk action of one', () => {
  for (const name of OPERATOR_ACTION_NAMES) {
    const route = singleRoute('/shops/s1', name, 'O 1', filled(name).args);
    if (name === 'order-out.redeliver') expect(route).toBeUndefined();
    else expect(route?.path).toMatch(/^\/shops\/s1\/.+\/O%201(\/|$)/);
  }
  expect(singleRoute('/shops/s1', 'amazon-pay-recurring.cancel-child', 'P-1', { cycle: 3 })).toEqual({ path: '/shops/s1/amazon-pay/recurring/P-1/children/3/cancel', body: {} });
});
