import type { WorkerConfig } from '../common/config';
import type { OpluxShop } from '../activities/oplux-review-activities';

/** SCAFFOLD (issue 5): the shop's O-PLUX client from configuration. Owned by the O-PLUX helper. */
export function opluxShopsFromConfig(_config: WorkerConfig) {
  return (_shopId: string): OpluxShop | undefined => undefined;
}
