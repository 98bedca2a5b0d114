import { decisionRefusal, releaseAfterChange, WINDOW_STATUS, windowOutcome, type WindowOrderView } from '../../workflows/yahoo-window-status';

const open: WindowOrderView = {
  orderStatus: '2', settleStatus: '10', payStatus: '0', shipStatus: '0', payMethod: 'payment_a1', payMethodName: 'クレジットカード',
  deadline: '2027-01-04T14:59:59.000Z', doneAt: null, changePossible: true,
};

test('the outcome of an order: open while 10; changed by the done date or SettleStatus 3; a cancel wins', () => {
  expect(windowOutcome(open)).toBe('open');
  expect(windowOutcome({ ...open, changePossible: false })).toBe('open'); // past the deadline: the deadline step decides
  expect(windowOutcome({ ...open, settleStatus: '3', changePossible: false })).toBe('changed'); // orderList: no done date there
  expect(windowOutcome({ ...open, settleStatus: '2', payMethod: 'payment_a7', doneAt: '2026-12-30T01:00:00.000Z' })).toBe('changed');
  expect(windowOutcome({ ...open, orderStatus: '4', settleStatus: '6', changePossible: false })).toBe('canceled');
  expect(windowOutcome({ ...open, orderStatus: '4', settleStatus: '3', doneAt: '2026-12-30T01:00:00.000Z' })).toBe('canceled');
});

test('after the change: paid methods and 代引 ship; a method still to be paid waits for its payment', () => {
  expect(releaseAfterChange({ ...open, settleStatus: '3', payMethod: 'payment_a19' })).toBe('ship');
  expect(releaseAfterChange({ ...open, settleStatus: '2', payMethod: 'payment_d1' })).toBe('ship');
  expect(releaseAfterChange({ ...open, settleStatus: '2', payMethod: 'payment_a7' })).toBe('awaitPayment');
  expect(releaseAfterChange({ ...open, settleStatus: '2', payMethod: 'payment_b1' })).toBe('awaitPayment');
});

test('a decision is refused with its reason when none is pending or it is not a choice', () => {
  expect(decisionRefusal(undefined, WINDOW_STATUS.waiting, 'cancel')).toBe('no decision is pending: the window is 変更待ち');
  const deadline = { kind: 'deadline', options: ['cancel', 'keep'] } as const;
  expect(decisionRefusal(deadline, WINDOW_STATUS.expiredAwaitingOperator, 'retry')).toBe('retry is not a choice at 期限切れ・担当者確認待ち; choose cancel or keep');
  expect(decisionRefusal(deadline, WINDOW_STATUS.expiredAwaitingOperator, 'keep')).toBeUndefined();
  expect(new Set(Object.values(WINDOW_STATUS)).size).toBe(Object.values(WINDOW_STATUS).length);
});
