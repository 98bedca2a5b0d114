import { defineUpdate } from '@temporalio/workflow';

/** What a shipment-import workflow is started with; `afterLine` is where a continued run picks up. */
export interface ShipmentImportInput {
  shopId: string;
  importId: string;
  /** every row up to this line has its outcome recorded (earlier runs) */
  afterLine?: number;
}

export interface ShipmentImportResult {
  status: 'completed' | 'canceled';
}

/**
 * Stops the rows not yet taken (rows in flight finish); answers once they are all marked canceled. Refused when the
 * import is already finishing.
 */
export const cancelShipmentImportUpdate = defineUpdate<ShipmentImportResult, []>('cancelShipmentImport');
