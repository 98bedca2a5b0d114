// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API: load it first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface SelfSignedCertificate {
  /** PKCS#8 PEM */
  privateKeyPem: string;
  certificatePem: string;
}

export interface SelfSignedOptions {
  commonName: string;
  /** subjectAltName entries, needed only when the certificate also serves TLS */
  dnsNames?: string[];
  ipAddresses?: string[];
  validDays?: number;
  now?: Date;
}

const RSA_2048_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/**
 * A fresh RSA 2048 key pair and a CA-less self-signed X.509 certificate for it (docs/providers/amazon-pay.md §11). Keys come
 * from Node's native WebCrypto, so this takes a fraction of a second, unlike pure-JS generators.
 */
export async function createSelfSignedCertificate(options: SelfSignedOptions): Promise<SelfSignedCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA_2048_SHA256, true, ['sign', 'verify']);
  const now = options.now ?? new Date();
  const altNames: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      // positive (high bit clear), as RFC 5280 wants
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: `CN=${options.commonName}`,
      notBefore: new Date(now.getTime() - 60_000), // a little slack for clocks that disagree
      notAfter: new Date(now.getTime() + (options.validDays ?? 3650) * 86_400_000),
      signingAlgorithm: RSA_2048_SHA256,
      keys,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        ...(altNames.length
          ? [new x509.SubjectAlternativeNameExtension(altNames), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])]
          : []),
      ],
    },
    webcrypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { privateKeyPem: toPem('PRIVATE KEY', pkcs8), certificatePem: cert.toString('pem') };
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
