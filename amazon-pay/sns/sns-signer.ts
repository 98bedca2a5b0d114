import { createSign, randomUUID } from 'node:crypto';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './self-signed';
import { snsStringToSign } from './string-to-sign';
import type { SnsEnvelope, SnsSignatureVersion, UnsignedSnsEnvelope } from './envelope';

export const DEFAULT_SNS_TOPIC_ARN = 'arn:aws:sns:ap-northeast-1:000000000000:renkei-sandbox-amazon-pay-ipn';

/** The signing key and the certificate the emulator serves at SigningCertURL. */
export type SnsSigningMaterial = SelfSignedCertificate;

export interface SnsNotificationInput {
  /** the Amazon Pay notification, already a JSON string: SNS carries it as a string */
  message: string;
  signatureVersion: SnsSignatureVersion;
  signingCertUrl: string;
  unsubscribeUrl: string;
  topicArn?: string;
  /** when absent, the key is missing from the envelope altogether, as SNS does */
  subject?: string;
  messageId?: string;
  timestamp?: Date;
}

export interface SnsSigner {
  certificatePem(): Promise<string>;
  /** Signs any envelope type; the fields are kept as given. */
  sign(envelope: UnsignedSnsEnvelope, version: SnsSignatureVersion): Promise<SnsEnvelope>;
  /** A complete, signed Notification in the key order SNS uses. */
  notification(input: SnsNotificationInput): Promise<SnsEnvelope>;
}

const ALGORITHM: Record<SnsSignatureVersion, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

let processMaterial: Promise<SnsSigningMaterial> | undefined;

/**
 * One key pair and certificate per process, made on first use: every emulator and every IPN then share one
 * SigningCertURL, and nothing is generated at import time. A failed generation is forgotten so the next use retries.
 */
export function processSnsSigningMaterial(): Promise<SnsSigningMaterial> {
  processMaterial ??= createSelfSignedCertificate({ commonName: 'sns.renkei-sandbox.invalid' }).catch((err: unknown) => {
    processMaterial = undefined;
    throw err;
  });
  return processMaterial;
}

/**
 * Signs SNS envelopes as Amazon SNS does (SignatureVersion "1" = RSA-SHA1, "2" = RSA-SHA256 over the canonical
 * string-to-sign). `material` lets a test bring a different key; by default the per-process key is used.
 */
export function createSnsSigner(options: { material?: () => Promise<SnsSigningMaterial> } = {}): SnsSigner {
  const material = options.material ?? processSnsSigningMaterial;

  async function sign(envelope: UnsignedSnsEnvelope, version: SnsSignatureVersion): Promise<SnsEnvelope> {
    const { privateKeyPem } = await material();
    const signature = createSign(ALGORITHM[version]).update(snsStringToSign(envelope), 'utf8').sign(privateKeyPem, 'base64');
    return { ...envelope, SignatureVersion: version, Signature: signature };
  }

  return {
    certificatePem: async () => (await material()).certificatePem,
    sign,
    async notification(input) {
      const signed = await sign(
        {
          Type: 'Notification',
          MessageId: input.messageId ?? randomUUID(),
          TopicArn: input.topicArn ?? DEFAULT_SNS_TOPIC_ARN,
          ...(input.subject === undefined ? {} : { Subject: input.subject }),
          Message: input.message,
          Timestamp: (input.timestamp ?? new Date()).toISOString(),
          SigningCertURL: input.signingCertUrl,
          UnsubscribeURL: input.unsubscribeUrl,
        },
        input.signatureVersion,
      );
      // SNS's own key order, so a body diffed against a real IPN lines up.
      return {
        Type: signed.Type,
        MessageId: signed.MessageId,
        TopicArn: signed.TopicArn,
        ...(signed.Subject === undefined ? {} : { Subject: signed.Subject }),
        Message: signed.Message,
        Timestamp: signed.Timestamp,
        SignatureVersion: signed.SignatureVersion,
        Signature: signed.Signature,
        SigningCertURL: signed.SigningCertURL,
        UnsubscribeURL: signed.UnsubscribeURL,
      };
    },
  };
}
