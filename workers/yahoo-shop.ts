import type { WorkerConfig } from '../common/config';
import type { YahooShop } from '../activities/yahoo-window-activities';

/** SCAFFOLD (issue 5): the shop's Yahoo client from configuration. Owned by the Yahoo helper. */
export function yahooShopsFromConfig(_config: WorkerConfig) {
  return (_shopId: string): YahooShop | undefined => undefined;
}
