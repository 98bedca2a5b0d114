import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The merchant's public keys by PublicKeyId, as Seller Central holds them (POST /_sandbox/keys). A key id that starts
 * with SANDBOX- or LIVE- belongs to that environment only (§1, §2.3).
 */
export class PublicKeys {
  private readonly keys = new Map<string, { key: KeyObject; pem: string }>();

  /** Throws on a PEM that is not an RSA public key (or a private key, whose public half is taken). */
  register(publicKeyId: string, pem: string): void {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`an RSA key is needed, not ${key.asymmetricKeyType ?? 'unknown'}`);
    this.keys.set(publicKeyId, { key, pem: key.export({ type: 'spki', format: 'pem' }).toString() });
  }

  get(publicKeyId: string): KeyObject | undefined {
    return this.keys.get(publicKeyId)?.key;
  }

  list(): Array<{ publicKeyId: string; publicKeyPem: string }> {
    return [...this.keys].map(([publicKeyId, { pem }]) => ({ publicKeyId, publicKeyPem: pem }));
  }

  remove(publicKeyId: string): boolean {
    return this.keys.delete(publicKeyId);
  }

  reset(): void {
    this.keys.clear();
  }
}
