import type { ApiOperation } from '../operation';
import { ACCOUNT_OPERATIONS } from './accounts';
import { AMAZON_PAY_OPERATIONS } from './amazon-pay';
import { AMOUNT_CHANGE_OPERATIONS } from './amount-change';
import { ATTENTION_OPERATIONS } from './attention';
import { AU_PAY_OPERATIONS } from './au-pay';
import { AUDIT_OPERATIONS } from './audit';
import { BULK_ACTION_OPERATIONS } from './bulk-actions';
import { SHIPMENT_IMPORT_OPERATIONS } from './shipment-imports';
import { CANCEL_OPERATIONS } from './cancel';
import { CODEC_OPERATIONS } from './codec';
import { HEALTH_OPERATIONS } from './health';
import { MAIL_OPERATIONS } from './mail';
import { OPERATOR_OPERATIONS } from './operators';
import { OPLUX_OPERATIONS } from './oplux';
import { ORDER_OPERATIONS } from './orders';
import { ORDER_OUT_OPERATIONS } from './order-out';
import { SHOP_OPERATIONS } from './shops';
import { YAHOO_OPERATIONS } from './yahoo';

/** Every operation of the API, one file per area beside this one; the OpenAPI document is built from this list. */
export const API_OPERATIONS: ApiOperation[] = [
  ...HEALTH_OPERATIONS,
  ...OPERATOR_OPERATIONS,
  ...SHOP_OPERATIONS,
  ...AUDIT_OPERATIONS,
  ...ATTENTION_OPERATIONS,
  ...ORDER_OPERATIONS,
  ...BULK_ACTION_OPERATIONS,
  ...SHIPMENT_IMPORT_OPERATIONS,
  ...AU_PAY_OPERATIONS,
  ...OPLUX_OPERATIONS,
  ...YAHOO_OPERATIONS,
  ...AMAZON_PAY_OPERATIONS,
  ...CANCEL_OPERATIONS,
  ...AMOUNT_CHANGE_OPERATIONS,
  ...ORDER_OUT_OPERATIONS,
  ...MAIL_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...CODEC_OPERATIONS,
];
