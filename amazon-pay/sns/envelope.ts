import { z } from 'zod';

/**
 * The SNS HTTP(S) envelope (docs/providers/amazon-pay.md §7.2), as Amazon Pay's IPNs arrive and as our emulator sends them.
 * `Message` is a JSON *string*: the Amazon Pay notification is parsed a second time (see ipn-message.ts).
 * Unknown keys are dropped, not rejected: AWS may add fields, and only the signed ones matter.
 */
export const SNS_MESSAGE_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;
export type SnsMessageType = (typeof SNS_MESSAGE_TYPES)[number];

/** "1" signs with RSA-SHA1, "2" with RSA-SHA256. */
export const SNS_SIGNATURE_VERSIONS = ['1', '2'] as const;
export type SnsSignatureVersion = (typeof SNS_SIGNATURE_VERSIONS)[number];

export const snsEnvelopeSchema = z
  .object({
    Type: z.enum(SNS_MESSAGE_TYPES),
    MessageId: z.string().min(1),
    TopicArn: z.string().min(1),
    Subject: z.string().optional(),
    Message: z.string(),
    Timestamp: z.string().min(1),
    SignatureVersion: z.enum(SNS_SIGNATURE_VERSIONS),
    Signature: z.string().min(1),
    SigningCertURL: z.string().min(1),
    UnsubscribeURL: z.string().optional(),
    SubscribeURL: z.string().optional(),
    Token: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.Type === 'Notification') return;
    for (const key of ['SubscribeURL', 'Token'] as const) {
      if (e[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a ${e.Type} needs ${key}` });
    }
  });

export type SnsEnvelope = z.infer<typeof snsEnvelopeSchema>;

/** An envelope before signing: what the signer is given. */
export type UnsignedSnsEnvelope = Omit<SnsEnvelope, 'Signature' | 'SignatureVersion'>;
