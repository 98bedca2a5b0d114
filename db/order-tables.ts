/** The tables that hold an order whose workflow the API starts, and the column naming the order in each. */
export const ORDER_TABLES = {
  'au-pay': { table: 'au_pay_orders', key: 'order_id' },
  'amazon-pay': { table: 'amazon_pay_orders', key: 'order_id' },
  'amazon-pay-recurring': { table: 'amazon_pay_recurring_parents', key: 'parent_order_id' },
  oplux: { table: 'oplux_orders', key: 'order_id' },
  'bulk-action': { table: 'bulk_actions', key: 'id' },
  'shipment-import': { table: 'shipment_imports', key: 'id' },
} as const;
export type OrderTable = keyof typeof ORDER_TABLES;
