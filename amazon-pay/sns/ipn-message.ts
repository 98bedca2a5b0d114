import { z } from 'zod';

/**
 * The Amazon Pay IPN inside the SNS `Message` string (docs/providers/amazon-pay.md §7.2). It names an object and carries no
 * state: the receiver calls the GET API for the real state. Current docs write the keys in PascalCase, an older v2
 * page in camelCase, so keys are matched case-insensitively.
 */
export const IPN_OBJECT_TYPES = ['CHARGE_PERMISSION', 'CHARGE', 'REFUND', 'CHARGEBACK'] as const;
export const IPN_NOTIFICATION_TYPES = ['STATE_CHANGE', 'ATTRIBUTE_CHANGE'] as const;

type Open<T extends string> = T | (string & {});
export type IpnObjectType = Open<(typeof IPN_OBJECT_TYPES)[number]>;
export type IpnNotificationType = Open<(typeof IPN_NOTIFICATION_TYPES)[number]>;

export interface AmazonPayIpnMessage {
  merchantId: string;
  objectType: IpnObjectType;
  objectId: string;
  chargePermissionId: string;
  notificationType: IpnNotificationType;
  /** "used for tracking only" */
  notificationId?: string;
  /** the IPN format version ("V2"), not the API version */
  notificationVersion?: string;
}

/** Lower-cased wire key → our field. PascalCase `MerchantID` and camelCase `merchantId` both lower to `merchantid`. */
const FIELD_BY_KEY: Record<string, keyof AmazonPayIpnMessage> = {
  merchantid: 'merchantId',
  objecttype: 'objectType',
  objectid: 'objectId',
  chargepermissionid: 'chargePermissionId',
  notificationtype: 'notificationType',
  notificationid: 'notificationId',
  notificationversion: 'notificationVersion',
};

// Types stay open strings (a new ObjectType must not make us drop the IPN); the ids that tell us what to GET are required.
const ipnMessageSchema = z.object({
  merchantId: z.string().min(1),
  objectType: z.string().min(1),
  objectId: z.string().min(1),
  chargePermissionId: z.string().min(1),
  notificationType: z.string().min(1),
  notificationId: z.string().min(1).optional(),
  notificationVersion: z.string().min(1).optional(),
});

export class AmazonPayIpnMessageError extends Error {
  override name = 'AmazonPayIpnMessageError';
  constructor(
    message: string,
    readonly issues: Array<{ field: string; reason: string }> = [],
  ) {
    super(message);
  }
}

/** Parses the SNS `Message` string of an Amazon Pay IPN; throws AmazonPayIpnMessageError naming each bad field. */
export function parseAmazonPayIpnMessage(message: string): AmazonPayIpnMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    throw new AmazonPayIpnMessageError('the IPN Message is not JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AmazonPayIpnMessageError('the IPN Message is not a JSON object');
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = FIELD_BY_KEY[key.toLowerCase()];
    if (field) fields[field] = value;
  }
  const parsed = ipnMessageSchema.safeParse(fields);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(message)', reason: i.message }));
    throw new AmazonPayIpnMessageError(`bad IPN Message: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`, issues);
  }
  return parsed.data;
}

/** The Message string as Amazon Pay writes it today (PascalCase), for the emulator. */
export function formatAmazonPayIpnMessage(m: AmazonPayIpnMessage): string {
  return JSON.stringify({
    MerchantID: m.merchantId,
    ObjectType: m.objectType,
    ObjectId: m.objectId,
    ChargePermissionId: m.chargePermissionId,
    NotificationType: m.notificationType,
    NotificationId: m.notificationId,
    NotificationVersion: m.notificationVersion ?? 'V2',
  });
}
