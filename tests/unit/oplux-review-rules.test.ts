import { loadWorkerConfig } from '../../config';
import { ConfigError } from '../../common/env';
import { shopItemId } from '../../activities/oplux-review-activities';
import { shopClients } from '../../workers/shop-clients';
import {
  blacklistRefusal, defaultReviewSettings, FRAUD_STATUS, manualReviewRefusal, outHeldBack, planReview, relinkRefusal,
  type OpluxReviewSettings,
} from '../../workflows/oplux-review-rules';

test('受注OUT制御: which results hold the order data OUT back in each of the three modes', () => {
  const table = (mode: OpluxReviewSettings['orderOutControl']) => ({
    auto: (['OK', 'NG', 'HOLD', 'REVIEW', 'ERROR'] as const).map((a) => outHeldBack(mode, a)),
    manual: (['OK', 'NG', 'HOLD'] as const).map((m) => outHeldBack(mode, 'NG', m)),
  });
  expect(table('none')).toEqual({ auto: [false, false, false, false, false], manual: [false, false, false] });
  expect(table('ng-review-hold')).toEqual({ auto: [false, true, false, true, true], manual: [false, true, true] });
  expect(table('ng-hold')).toEqual({ auto: [false, true, false, false, true], manual: [false, true, true] });
});

test('review targets: credit card only by default; other payments need the flag, the mapping and a model', () => {
  const s = defaultReviewSettings();
  expect(planReview(s, { paymentMethodId: 'credit_card' })).toMatchObject({ target: true, modelId: 'CRD_01', settleMethod: '02' });
  expect(planReview(s, { paymentMethodId: 'atobarai' })).toMatchObject({ target: false, reason: expect.stringContaining('クレジットカード以外') });

  const enabled: OpluxReviewSettings = {
    ...s, nonCreditCardEnabled: true, paymentMapping: { cod: '03' }, modelMapping: { cod: 'COD_01', atobarai: 'ATB_01' }, deferredPaymentIds: ['atobarai'],
  };
  expect(planReview(enabled, { paymentMethodId: 'cod' })).toMatchObject({ target: true, modelId: 'COD_01', settleMethod: '03' });
  expect(planReview(enabled, { paymentMethodId: 'atobarai' })).toMatchObject({ target: true, modelId: 'ATB_01', settleMethod: '01' });
  expect(planReview(enabled, { paymentMethodId: 'bank' })).toMatchObject({ target: false, reason: expect.stringContaining('連携決済マッピング') });

  expect(planReview({ ...s, recurringReviewMode: 'first' }, { paymentMethodId: 'credit_card', recurring: { sequence: 1 } }).target).toBe(true);
  expect(planReview({ ...s, recurringReviewMode: 'first' }, { paymentMethodId: 'credit_card', recurring: { sequence: 2 } }).target).toBe(false);
  expect(planReview({ ...s, recurringReviewMode: 'none' }, { paymentMethodId: 'credit_card', recurring: { sequence: 1 } }).target).toBe(false);
});

test('O-PLUX商品情報制御 picks 商品ID, 商品コード or 購入時の商品属性コード', () => {
  const item = { productId: 'P-1', productCode: 'CODE-1', attributeCode: 'ATTR-1', name: 'x', priceJpy: 1, quantity: 1 };
  expect(['product-id', 'product-code', 'attribute-code'].map((k) => shopItemId(item, k as 'product-id'))).toEqual(['P-1', 'CODE-1', 'ATTR-1']);
  expect(shopItemId({ ...item, attributeCode: undefined }, 'attribute-code')).toBe('P-1');
});

test('operator actions are refused with a reason when they do not apply', () => {
  const v = (status: (typeof FRAUD_STATUS)[keyof typeof FRAUD_STATUS], eventId: string | null = 'E1') => ({ status, eventId, queued: false, relinkRequested: false });
  expect(manualReviewRefusal(v(FRAUD_STATUS.awaitingManual))).toBeUndefined();
  expect(manualReviewRefusal(v(FRAUD_STATUS.manualHold))).toBeUndefined();
  expect(manualReviewRefusal(v(FRAUD_STATUS.ok))).toMatch(/no manual review is awaited/);
  expect(manualReviewRefusal(v(FRAUD_STATUS.updateError))).toMatch(/手動再連携/);
  expect(blacklistRefusal(v(FRAUD_STATUS.reviewError, null))).toMatch(/no O-PLUX event/);
  expect(blacklistRefusal(v(FRAUD_STATUS.ng))).toBeUndefined();
  expect(relinkRefusal(v(FRAUD_STATUS.ok))).toMatch(/審査エラー or 更新エラー/);
  expect(relinkRefusal(v(FRAUD_STATUS.reviewError, null))).toBeUndefined();
});

test('configuration: the modes, the product key and the JSON settings are validated by name', async () => {
  const base = { DATABASE_URL: 'postgres://x/y', OPLUX_SHOP_ID: 'S1' };
  const config = loadWorkerConfig({
    ...base, OPLUX_ORDER_OUT_CONTROL: 'ng-hold', OPLUX_PRODUCT_KEY: 'product-code',
    OPLUX_SETTINGS: JSON.stringify({ nonCreditCardEnabled: true, paymentMapping: { cod: '03' }, modelMapping: { cod: 'COD_01' } }),
  });
  expect((await shopClients(config, undefined).opluxShop('demo-shop'))?.settings).toMatchObject({ orderOutControl: 'ng-hold', productKey: 'product-code', paymentMapping: { cod: '03' }, creditCardPaymentIds: ['credit_card'] });
  expect(await shopClients(loadWorkerConfig(base), undefined).opluxShop('other-shop')).toBeUndefined();
  expect(await shopClients(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' }), undefined).opluxShop('demo-shop')).toBeUndefined();

  const bad = () => loadWorkerConfig({ ...base, OPLUX_ORDER_OUT_CONTROL: 'always', OPLUX_SETTINGS: JSON.stringify({ nonCreditCardEnabled: true, paymentMapping: { cod: '03' } }) });
  expect(bad).toThrow(ConfigError);
  expect(bad).toThrow(/OPLUX_ORDER_OUT_CONTROL/);
  expect(bad).toThrow(/modelMapping\.cod: payment cod needs a 審査モデルID/);
  expect(() => loadWorkerConfig({ ...base, OPLUX_SETTINGS: '{nope' })).toThrow(/OPLUX_SETTINGS: must be a JSON object/);
});
