import { cancelRequestBody, decisionBody, paymentMethodBody } from '../../api/cancel/schemas';

/** The cancel API's input rules, without a server: what is accepted, and the field each refusal names. */
const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => r.error?.issues.map((i) => i.path.join('.')) ?? [];

test('a cancel request: the order, who asks, and the payment\'s provider ids', () => {
  const ok = cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'credit-gmo-pg', gmoPgOrderId: 'A-1-1' }, remindAfterHours: 12 });
  expect(ok.success).toBe(true);
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A 1', source: 'buyer', payment: { method: 'x' } }))).toEqual(['orderId']);
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'cs-phone', payment: { method: 'x' } }))).toEqual(['source']);
  // a GMO OrderID is at most 27 of A-Z a-z 0-9 -
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'x', gmoPgOrderId: 'A_1' } }))).toEqual(['payment.gmoPgOrderId']);
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'x', gmoPgOrderId: 'A'.repeat(28) } }))).toEqual(['payment.gmoPgOrderId']);
  // a recurring child is canceled through its own charge
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'amazon-pay-v2', recurringRole: 'child' } }))).toEqual(['payment.amazonPayChargeId']);
  expect(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'amazon-pay-v2', recurringRole: 'parent' } }).success).toBe(true);
  expect(issues(cancelRequestBody.safeParse({ orderId: 'A-1', source: 'buyer', payment: { method: 'x' }, remindAfterHours: 0 }))).toEqual(['remindAfterHours']);
});

test('a decision is one of the two choices; a payment method names its provider and flags', () => {
  expect(decisionBody.safeParse({ choice: 'cancel-locally' }).success).toBe(true);
  expect(decisionBody.safeParse({ choice: 'leave' }).success).toBe(true);
  expect(issues(decisionBody.safeParse({ choice: 'retry' }))).toEqual(['choice']);
  expect(paymentMethodBody.parse({ provider: 'manual', cancelApi: true })).toEqual({ provider: 'manual', cancelApi: true, amountChangeApi: false, autoCancelOnNg: false });
  expect(issues(paymentMethodBody.safeParse({ provider: 'zeus', cancelApi: 'yes' }))).toEqual(['provider', 'cancelApi']);
});
