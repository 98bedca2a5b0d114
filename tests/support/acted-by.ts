import type { ActedBy } from '../../workflows/acted-by';

/** Who acts in a test that sends an operator update straight to a workflow (the API sends the signed-in operator). */
export const BY_TEST: ActedBy = { operator: 'test', operatorId: 'test' };
