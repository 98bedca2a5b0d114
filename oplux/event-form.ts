import type { OpluxSettleMethod, OpluxSettleStatus } from './codes';
import { opluxDatetime } from './signature';

/** A buyer or a delivery, already hashed where the wire wants hashes (see hashing.ts). */
export interface OpluxParty {
  id?: string;
  hashedName?: {
    firstName?: string;
    lastName?: string;
    normalizedFirstName?: string;
    normalizedLastName?: string;
    /** counts from the name normalizer: nameLength, kanjiCountInName, …; validName is 1 or 0 */
    counts?: Record<string, number>;
  };
  address?: { country?: string; zipcode?: string; addressA?: string; addressB?: string; addressC?: string };
  /** without hyphens */
  tel?: string;
  email?: { hashedAccount: string; domain: string };
  companyName?: string;
}

export interface OpluxItem {
  shopItemId: string;
  itemPrice: number;
  itemQuantity: number;
  itemName: string;
  itemCategory?: string;
}

/** The v2 event the shop registers (C.3); optional fields are left out of the form when absent. */
export interface OpluxEventInput {
  modelId: string;
  eventIdForShop: string;
  ipAddress?: string;
  deviceInfo?: string;
  cookie?: string;
  buyDatetime: Date;
  settle: {
    status?: OpluxSettleStatus;
    datetime?: Date;
    amount: number;
    method: OpluxSettleMethod;
    /** 999999 when there is no limit */
    limitPrice?: number;
    bincode?: string;
    /** YYYY/MM/DD */
    payDeadlineDate?: string;
  };
  buyer: OpluxParty;
  delivery?: OpluxParty & { shipping?: { specifiedDeliverDatetime?: string; deliverySpecifiedExistence?: string; items?: OpluxItem[] } };
  tenantName?: string;
}

type Form = Record<string, string>;
const put = (form: Form, key: string, value: string | number | undefined) => {
  if (value !== undefined) form[key] = String(value);
};

function putParty(form: Form, prefix: string, p: OpluxParty): void {
  put(form, `${prefix}.ID`, p.id);
  const n = p.hashedName;
  if (n) {
    put(form, `${prefix}.hashed_name.first_name`, n.firstName);
    put(form, `${prefix}.hashed_name.last_name`, n.lastName);
    put(form, `${prefix}.hashed_name.normalized_first_name`, n.normalizedFirstName);
    put(form, `${prefix}.hashed_name.normalized_last_name`, n.normalizedLastName);
    for (const [k, v] of Object.entries(n.counts ?? {})) put(form, `${prefix}.hashed_name.${k}`, v);
  }
  for (const [k, v] of Object.entries(p.address ?? {})) put(form, `${prefix}.address.${k}`, v);
  put(form, `${prefix}.tel.fixed_number`, p.tel);
  put(form, `${prefix}.email.pc.hashed_account`, p.email?.hashedAccount);
  put(form, `${prefix}.email.pc.domain`, p.email?.domain);
  put(form, `${prefix}.company.name`, p.companyName);
}

/** The event's keys without the `request.` prefix, e.g. `event.ec.settle.amount`. */
export function eventForm(e: OpluxEventInput): Form {
  const form: Form = {};
  put(form, 'event.model_id', e.modelId);
  put(form, 'event.event_id_for_shop', e.eventIdForShop);
  put(form, 'event.event_type', 'EC');
  put(form, 'event.ip_address_only', e.ipAddress);
  put(form, 'event.device_info', e.deviceInfo);
  put(form, 'event.cookie_only', e.cookie);
  put(form, 'event.ec.buy_datetime', opluxDatetime(e.buyDatetime));
  const s = 'event.ec.settle';
  put(form, `${s}.limit_price`, e.settle.limitPrice ?? 999999);
  put(form, `${s}.status`, e.settle.status ?? '00');
  put(form, `${s}.datetime`, opluxDatetime(e.settle.datetime ?? e.buyDatetime));
  put(form, `${s}.amount`, e.settle.amount);
  put(form, `${s}.currency`, 'JPY');
  put(form, `${s}.method`, e.settle.method);
  put(form, `${s}.credit_card.bincode`, e.settle.bincode);
  put(form, `${s}.pay_first.pay_deadline_date`, e.settle.payDeadlineDate);
  put(form, 'event.ec.customers.buyer.type', '10');
  putParty(form, 'event.ec.customers.buyer', e.buyer);
  if (e.delivery) {
    const d = 'event.ec.customers.delivery';
    put(form, `${d}.type`, '20');
    putParty(form, d, e.delivery);
    put(form, `${d}.shipping.specified_deliver_datetime`, e.delivery.shipping?.specifiedDeliverDatetime);
    put(form, `${d}.shipping.delivery_specified_existence`, e.delivery.shipping?.deliverySpecifiedExistence);
    // W2 numbers the items item0, item1, …; the server's convention is ASSUMED to match
    (e.delivery.shipping?.items ?? []).forEach((item, i) => {
      const p = `${d}.shipping.items.item${i}`;
      put(form, `${p}.shop_item_id`, item.shopItemId);
      put(form, `${p}.item_price`, item.itemPrice);
      put(form, `${p}.item_quantity`, item.itemQuantity);
      put(form, `${p}.item_name`, item.itemName);
      put(form, `${p}.item_category`, item.itemCategory);
    });
  }
  put(form, 'event.ec.tenant.tenant_name', e.tenantName);
  return form;
}
