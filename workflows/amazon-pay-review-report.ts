import { proxyActivities } from '@temporalio/workflow';
import type { AmazonPayActivities } from '../activities/amazon-pay-activities';
import { localIo } from './retry-policies';

const local = proxyActivities<AmazonPayActivities>(localIo);

/** The 審査結果取得バッチ終了メール as a periodic summary, run by a Temporal Schedule per shop. */
export async function amazonPayReviewReportWorkflow(shopId: string): Promise<{ ok: number; errors: number }> {
  return local.sendReviewReport({ shopId });
}
