import type { ApiOperation } from '../operation';

/** Every operation of the API, one file per area beside this one; the OpenAPI document is built from this list. */
export const API_OPERATIONS: ApiOperation[] = [
];
