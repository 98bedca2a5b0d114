import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createApiApp } from '../../api/app';
import { createSnsVerifier, hostPatternPolicy } from '../../amazon-pay/sns/sns-verifier';
import { SHOP_ID } from './au-pay-fixtures';
import type { AccountStore } from '../../db/provider-accounts';
import { amazonPayIpnAccounts, type AmazonPayIpnAccount } from '../../api/amazon-pay/ipn-account';
import { SANDBOX_MERCHANT_ID } from '../../amazon-pay/emulator/ipn-sender';
import { DEFAULT_SNS_TOPIC_ARN } from '../../amazon-pay/sns/sns-signer';
import type { CodecEndpoint } from '../../api/codec/routes';
import type { ShopDirectory } from '../../shops/shop-directory';

export const API_TOKEN = 'integration-test-token-0123456789';

/** The sandbox's IPNs: its merchant, its topic. */
export const SANDBOX_IPN_ACCOUNT: AmazonPayIpnAccount = { merchantId: SANDBOX_MERCHANT_ID, topicArns: [DEFAULT_SNS_TOPIC_ARN] };

/** The real API on a free loopback port, trusting IPN certificates from the sandbox on 127.0.0.1. */
export async function startTestApi(o: {
  temporal: Client; db: Pool; taskQueue: string; accounts?: AccountStore;
  /** the shop's IPN account; by default the sandbox's merchant and topic */
  ipnAccount?: AmazonPayIpnAccount;
  /** how long a request waits on Temporal before its 503 */
  temporalDeadlineMs?: number;
  /** the codec endpoint (POST /codec/decode, /codec/encode), as PAYLOAD_KEYS mounts it */
  payloadCodec?: CodecEndpoint;
  /** the shops this deployment serves; the test shop alone by default */
  knownShops?: readonly string[];
  /** shops read from the database instead, as the API's main does */
  shops?: ShopDirectory;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const ipnAccount = o.ipnAccount ?? SANDBOX_IPN_ACCOUNT;
  const app = createApiApp({
    temporal: o.temporal, db: o.db, apiToken: API_TOKEN, taskQueue: o.taskQueue, isKnownShop: o.shops ? o.shops.isKnown : (s) => (o.knownShops ?? [SHOP_ID]).includes(s), shops: o.shops,
    ipnVerifier: createSnsVerifier({ allowCertUrl: hostPatternPolicy(/^127\.0\.0\.1$/, { allowHttp: true }) }),
    amazonPayIpnAccount: amazonPayIpnAccounts({ accounts: o.accounts, fallback: (s) => (s === SHOP_ID ? ipnAccount : undefined) }),
    accounts: o.accounts, temporalDeadlineMs: o.temporalDeadlineMs, payloadCodec: o.payloadCodec,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ApiAnswer<B> {
  status: number;
  /** the JSON answer (the text when it is not JSON) */
  body: B;
  /** the raw answer; unlisted, so a test comparing the whole answer compares status and body */
  text: string;
}

/** One call to the API under test as a client makes it: bearer token (or none), JSON in, JSON out. */
export async function callApi<B = Record<string, unknown>>(url: string, method: string, body?: unknown, token: string | null = API_TOKEN): Promise<ApiAnswer<B>> {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text is the body
  }
  return Object.defineProperty({ status: res.status, body: parsed as B }, 'text', { value: text, enumerable: false }) as ApiAnswer<B>;
}
