import { LINK_STATUS } from '../../workflows/au-pay-link-status';
import { callApi } from './test-api';
import { until } from './until';

/**
 * An au PAY order reported through the API without a ship date: its chain stops at 出荷情報反映エラー before any call
 * to the market, and mails the shop. Waits until the API shows the status.
 */
export async function auPayOrderInShipError(api: string, shopId: string, orderId: string, auPayOrderId: string): Promise<void> {
  const report = { orderId, auPayOrderId, managementClass: '通常', shipDate: null, carrier: '1', trackingNumber: '1234' };
  const answer = await callApi(`${api}/shops/${shopId}/au-pay/shipments`, 'POST', report);
  if (answer.status !== 202) throw new Error(`the shipment report answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  await until(async () => (await callApi<{ linkStatus: string }>(`${api}/shops/${shopId}/au-pay/orders/${orderId}`, 'GET')).body.linkStatus === LINK_STATUS.shipError, 30_000);
}
