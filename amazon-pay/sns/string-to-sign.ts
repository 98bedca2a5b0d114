import type { SnsMessageType } from './envelope';

/**
 * The keys SNS signs, in the order it signs them (AWS "Verifying the signatures of Amazon SNS messages").
 * A Notification's Subject is signed only when the message has one; the subscription types sign all their keys.
 */
export const NOTIFICATION_SIGNED_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
export const SUBSCRIPTION_SIGNED_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

export interface SnsSignableFields {
  Type: SnsMessageType;
  Message: string;
  MessageId: string;
  Timestamp: string;
  TopicArn: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/**
 * The canonical string SNS signs: `key\nvalue\n` for each signed key. Shared by our signer and our verifier, so the
 * two can never drift apart; the test against the npm `sns-validator` keeps both honest against AWS's own rule.
 */
export function snsStringToSign(fields: SnsSignableFields): string {
  const keys = fields.Type === 'Notification' ? NOTIFICATION_SIGNED_KEYS : SUBSCRIPTION_SIGNED_KEYS;
  let out = '';
  for (const key of keys) {
    const value = fields[key];
    if (value === undefined) {
      if (key === 'Subject') continue;
      // The verifier checks required keys first, so reaching here is a programming error, not bad input.
      throw new Error(`an SNS ${fields.Type} cannot be signed without ${key}`);
    }
    out += `${key}\n${value}\n`;
  }
  return out;
}
