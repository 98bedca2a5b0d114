import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { amazonPayClientFor } from '../../workers/shop-clients';
import type { AmazonPayClient } from '../../amazon-pay/client-types';
import type { SandboxClock } from '../../sandbox/toolkit/clock';
import type { TestSandbox } from './sandbox';

export const AMAZON_KEY_ID = 'RENKEITESTKEY01';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** Our client, signing with a test key the sandbox knows (register again after each sandbox reset). */
export function amazonPayTestClient(sandbox: TestSandbox): AmazonPayClient {
  sandbox.amazonPay.keys.register(AMAZON_KEY_ID, publicPem);
  return amazonPayClientFor(
    { AMAZONPAY_BASE_URL: sandbox.amazonPayBaseUrl, AMAZONPAY_HOST: 'pay-api.amazon.jp', AMAZONPAY_TIMEOUT_MS: 5000 },
    { publicKeyId: AMAZON_KEY_ID, privateKey: privatePem, region: 'jp', environment: 'sandbox' },
  );
}

export const registerTestKey = (sandbox: TestSandbox) => sandbox.amazonPay.keys.register(AMAZON_KEY_ID, publicPem);

/** The test key as a PEM file, for a worker process configured by AMAZONPAY_PRIVATE_KEY_FILE. */
export function writeTestKeyFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'renkei-key-')), 'amazon-pay.pem');
  writeFileSync(file, privatePem, { mode: 0o600 });
  return file;
}

/**
 * Under the time-skipping server, months pass in seconds; the sandbox must see the same months (its monthly cap,
 * its 13-month expiry). This worker interceptor sets the emulator's clock to the server's time at each activity.
 */
export function followServerClock(...clocks: SandboxClock[]) {
  return {
    activity: [
      (): { inbound: ActivityInboundCallsInterceptor } => ({
        inbound: {
          execute(input, next) {
            const { info } = Context.current();
            // a local activity's scheduled time is its workflow task's, which may lag the server's skipped clock: setting
            // the sandboxes back to it would make another workflow's signed call look stale (O-PLUX E-AUTH-TIME)
            if (info.isLocal) return next(input);
            const now = new Date(info.currentAttemptScheduledTimestampMs);
            for (const clock of clocks) clock.set(now);
            return next(input);
          },
        },
      }),
    ],
  };
}

export async function mintChargePermission(sandbox: TestSandbox, body: Record<string, unknown>): Promise<string> {
  const cp = await sandbox.control<{ chargePermissionId: string }>('POST', '/amazon-pay/_sandbox/charge-permissions', body);
  return cp.chargePermissionId;
}
