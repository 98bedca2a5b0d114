import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { controlErrorHandler } from '../../sandbox/toolkit/control-errors';
import { formatAmazonPayIpnMessage } from '../sns/ipn-message';
import { DEFAULT_SNS_TOPIC_ARN, type SnsSigner } from '../sns/sns-signer';
import { SNS_SIGNATURE_VERSIONS, type SnsEnvelope } from '../sns/envelope';
import { createCertRoute, SNS_CERT_FILE } from './sns-cert-route';

export { createCertRoute, SNS_CERT_FILE } from './sns-cert-route';

/**
 * The emulator's IPN delivery (docs/providers/amazon-pay.md §7.2, §11): each change becomes a signed SNS Notification POSTed
 * to the shop's endpoint, with the misbehaviour a shop must survive, as settings: lost, duplicated, late and out of
 * order messages, and retries. Nothing here throws into the emulator's request path: every outcome lands in the
 * delivery log.
 *
 * Retries, by default as SNS retries an HTTP/S subscription (its documented default delivery policy: "up to three
 * retries with a delay between failed attempts set at 20 seconds", i.e. numRetries 3, minDelayTarget = maxDelayTarget
 * = 20 s, no immediate, pre- or post-backoff retries):
 *
 *   attempt 1 at 0 s → retry 1 at 20 s → retry 2 at 40 s → retry 3 at 60 s, then the message is discarded.
 *
 * As SNS does, only a server-side failure is retried: a 5xx answer, no answer within `timeoutMs` (SNS's own limit is
 * 15 s), or a network error; any other answer (2xx, and 4xx: the endpoint refused it) ends the delivery. Every retry
 * sends the same body: same MessageId, same Timestamp, same signature. Amazon's own v2 rule is not public (one account
 * says hourly for 3 hours), and an HTTP/S delivery policy can stretch retries to at most 3,600 s in all, so the
 * schedule is a setting: `retryDelaysMs` (waits before each retry; [] = none).
 */
export const ipnSettingsSchema = z.object({
  /** where IPNs go; null: they are only logged */
  targetUrl: z.url({ protocol: /^https?$/ }).nullable(),
  signatureVersion: z.enum(SNS_SIGNATURE_VERSIONS),
  /** share of messages never sent */
  dropRate: z.number().min(0).max(1),
  /** share of messages sent twice (same MessageId, as an SNS redelivery has) */
  duplicateRate: z.number().min(0).max(1),
  /** wait before the first attempt */
  delayMs: z.number().int().min(0).max(600_000),
  /** hold one message back and send it right after the next one */
  reorder: z.boolean(),
  /** waits before each retry after a 5xx answer, a timeout or a network error; [] = no retry (default: SNS's 3 × 20 s) */
  retryDelaysMs: z.array(z.number().int().min(0).max(86_400_000)).max(50),
  /** how long an attempt may take before it counts as a timeout */
  timeoutMs: z.number().int().min(1).max(120_000),
});
export type IpnSettings = z.infer<typeof ipnSettingsSchema>;

/** PUT /ipn: any subset of the settings; an unknown key is refused, so a typo never silently does nothing. */
export const ipnSettingsPatchSchema = ipnSettingsSchema.partial().strict();
export type IpnSettingsPatch = z.input<typeof ipnSettingsPatchSchema>;

/** SNS's default HTTP/S delivery policy: 3 retries, 20 s apart (linear backoff with min = max = 20 s). */
export const SNS_DEFAULT_RETRY_DELAYS_MS: readonly number[] = [20_000, 20_000, 20_000];

/** The sandbox's Amazon Pay merchant: the MerchantID of every IPN it sends, unless the sandbox is given another. */
export const SANDBOX_MERCHANT_ID = 'RENKEISANDBOXMERCHANT';

export const DEFAULT_IPN_SETTINGS: IpnSettings = {
  targetUrl: null,
  signatureVersion: '2',
  dropRate: 0,
  duplicateRate: 0,
  delayMs: 0,
  reorder: false,
  retryDelaysMs: [...SNS_DEFAULT_RETRY_DELAYS_MS],
  timeoutMs: 5000,
};

const changeSchema = z.object({
  objectType: z.enum(['CHARGE_PERMISSION', 'CHARGE', 'REFUND']),
  objectId: z.string().min(1),
  chargePermissionId: z.string().min(1),
  notificationType: z.enum(['STATE_CHANGE', 'ATTRIBUTE_CHANGE']).default('STATE_CHANGE'),
});
export type IpnChange = z.input<typeof changeSchema>;

export type IpnOutcome =
  | 'delivered' // a 2xx answer
  | 'failed' // 5xx, timeout or network error (a retry follows if the schedule has one left), or a 4xx (final, never retried)
  | 'dropped' // the dropRate chose it
  | 'held' // reorder: waits for the next message
  | 'not-sent' // no targetUrl
  | 'error'; // the notification could not be built or signed

export interface IpnDelivery {
  seq: number;
  /** the emulator clock at the attempt */
  at: string;
  messageId: string;
  objectType: string;
  objectId: string;
  notificationType: string;
  outcome: IpnOutcome;
  /** 1 = first try, 2 = first retry, ...; absent when nothing was sent */
  attempt?: number;
  /** true for the second copy of a duplicated message */
  duplicate?: boolean;
  targetUrl?: string;
  status?: number;
  error?: string;
}

export interface IpnSenderOptions {
  merchantId: string;
  /** the SigningCertURL, e.g. http://127.0.0.1:7480/amazon-pay/__sns/SimpleNotificationService-renkei-sandbox.pem */
  certUrl: string;
  /** UnsubscribeURL before its query, e.g. http://127.0.0.1:7480/amazon-pay/__sns/ */
  unsubscribeBaseUrl: string;
  signer: SnsSigner;
  topicArn?: string;
  /** the emulator's now, for the log (and Timestamp, unless `snsClock`) */
  clock?: () => Date;
  /** SNS's now, for Timestamp: real time in the sandbox, where Amazon Pay's clock can be moved */
  snsClock?: () => Date;
  /** waits between retries (default: real timers); a test may record the schedule instead of waiting it out */
  sleep?: (ms: number) => Promise<void>;
  /** in [0, 1); two draws per notify, drop first, then duplicate */
  random?: () => number;
  /** delivery log entries kept (default 1000) */
  logLimit?: number;
}

export interface IpnSender {
  /** Queues the IPN for a change; never throws, never waits. */
  notify(change: IpnChange): void;
  /** a copy of the current settings */
  readonly settings: IpnSettings;
  configure(patch: IpnSettingsPatch): IpnSettings;
  deliveries(): IpnDelivery[];
  /** Resolves when every queued delivery, delay and scheduled retry has finished. */
  flush(): Promise<void>;
  /** Default settings, empty log, nothing held; pending retries are abandoned. */
  reset(): void;
  /** control plane, mount at `/ipn`: GET (settings, held, log), PUT (settings), GET|DELETE /deliveries */
  router: Router;
  /** mount at `/__sns`: serves the certificate at SigningCertURL */
  certRouter: Router;
  /**
   * Moves SigningCertURL and UnsubscribeURL under another base (the TLS listener's `https://…/__sns/`): real SNS serves
   * them over https only, and standard validators refuse anything else. Later IPNs carry the new URLs.
   */
  useSnsBaseUrl(baseUrl: string): void;
  /** the SigningCertURL IPNs carry now */
  readonly certUrl: string;
}

interface Outgoing {
  messageId: string;
  message: string;
  change: z.infer<typeof changeSchema>;
  timestamp: Date;
  duplicate: boolean;
}

/** Real time, cut short when `signal` aborts (reset() abandons the waits of pending retries). */
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  if (signal?.aborted) return resolve();
  const timer = setTimeout(done, ms).unref();
  signal?.addEventListener('abort', done, { once: true });
  function done() {
    clearTimeout(timer);
    signal?.removeEventListener('abort', done);
    resolve();
  }
});

export function createIpnSender(options: IpnSenderOptions): IpnSender {
  const clock = options.clock ?? (() => new Date());
  const snsClock = options.snsClock ?? clock;
  // reset() aborts it: pending retries stop waiting and end
  let abandon = new AbortController();
  const wait = (ms: number) => (options.sleep ? options.sleep(ms) : sleep(ms, abandon.signal));
  const random = options.random ?? Math.random;
  const topicArn = options.topicArn ?? DEFAULT_SNS_TOPIC_ARN;
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  const unsubscribeFor = (base: string) => `${base}${base.includes('?') ? '&' : '?'}Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
  let certUrl = options.certUrl;
  let unsubscribeUrl = unsubscribeFor(options.unsubscribeBaseUrl);
  const logLimit = options.logLimit ?? 1000;

  let settings: IpnSettings = structuredClone(DEFAULT_IPN_SETTINGS);
  // reorder: the message (with its duplicate, if any) waiting for the next one
  let held: Outgoing[] | undefined;
  let log: IpnDelivery[] = [];
  let seq = 0;
  // reset() moves to a new generation; retries of an older one stop.
  let generation = 0;
  const inflight = new Set<Promise<void>>();

  function record(out: Pick<Outgoing, 'messageId' | 'change'>, entry: Pick<IpnDelivery, 'outcome'> & Partial<IpnDelivery>): void {
    log.push({
      seq: ++seq,
      at: clock().toISOString(),
      messageId: out.messageId,
      objectType: out.change.objectType,
      objectId: out.change.objectId,
      notificationType: out.change.notificationType,
      ...entry,
    });
    if (log.length > logLimit) log = log.slice(log.length - logLimit);
  }

  function track(work: Promise<void>): void {
    const guarded = work.catch(() => undefined); // every failure is already in the log
    inflight.add(guarded);
    void guarded.finally(() => inflight.delete(guarded));
  }

  async function sign(out: Outgoing, version: IpnSettings['signatureVersion']): Promise<SnsEnvelope> {
    return options.signer.notification({
      message: out.message,
      messageId: out.messageId,
      timestamp: out.timestamp,
      topicArn,
      signatureVersion: version,
      signingCertUrl: certUrl,
      unsubscribeUrl,
    });
  }

  /** One POST, logged: 'delivered' on a 2xx, 'final' on any other answer SNS does not retry, 'retry' otherwise. */
  async function attempt(out: Outgoing, body: string, target: string, n: number, s: IpnSettings): Promise<'delivered' | 'final' | 'retry'> {
    const at = clock();
    const base = { attempt: n, targetUrl: target, ...(out.duplicate ? { duplicate: true } : {}) };
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain; charset=UTF-8',
          'x-amz-sns-message-type': 'Notification',
          'x-amz-sns-message-id': out.messageId,
          'x-amz-sns-topic-arn': topicArn,
          'x-amz-sns-subscription-arn': subscriptionArn,
          'user-agent': 'Amazon Simple Notification Service Agent',
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(s.timeoutMs),
      });
      await res.body?.cancel();
      record(out, { ...base, at: at.toISOString(), outcome: res.ok ? 'delivered' : 'failed', status: res.status });
      if (res.ok) return 'delivered';
      return res.status >= 500 ? 'retry' : 'final';
    } catch (err) {
      record(out, { ...base, at: at.toISOString(), outcome: 'failed', error: describeFetchError(err, s.timeoutMs) });
      return 'retry';
    }
  }

  async function retry(out: Outgoing, body: string, target: string, s: IpnSettings, gen: number): Promise<void> {
    for (const [i, delay] of s.retryDelaysMs.entries()) {
      await wait(delay);
      if (gen !== generation) return;
      if ((await attempt(out, body, target, i + 2, s)) !== 'retry') return;
    }
  }

  /** Sends a batch in order (the reordered one last); a failed first try retries on its own, not blocking the rest. */
  async function send(batch: Outgoing[], s: IpnSettings): Promise<void> {
    const target = s.targetUrl;
    if (!target) return;
    const gen = generation;
    if (s.delayMs > 0) await sleep(s.delayMs); // a setting of the test, not of SNS: always real time
    if (gen !== generation) return; // reset() while it waited
    for (const out of batch) {
      let body: string;
      try {
        body = JSON.stringify(await sign(out, s.signatureVersion));
      } catch (err) {
        record(out, { outcome: 'error', error: `signing failed: ${messageOf(err)}` });
        continue;
      }
      if ((await attempt(out, body, target, 1, s)) === 'retry' && s.retryDelaysMs.length) track(retry(out, body, target, s, gen));
    }
  }

  function notify(input: IpnChange): void {
    const messageId = randomUUID();
    try {
      const change = changeSchema.parse(input);
      const s = structuredClone(settings);
      // Always two draws, in this order, so a scripted `random` maps to messages predictably.
      const drop = random() < s.dropRate;
      const duplicate = random() < s.duplicateRate;
      const out: Outgoing = {
        messageId,
        change,
        timestamp: snsClock(),
        duplicate: false,
        message: formatAmazonPayIpnMessage({
          merchantId: options.merchantId,
          objectType: change.objectType,
          objectId: change.objectId,
          chargePermissionId: change.chargePermissionId,
          notificationType: change.notificationType,
          notificationId: randomUUID(),
          notificationVersion: 'V2',
        }),
      };
      if (!s.targetUrl) return record(out, { outcome: 'not-sent' });
      if (drop) return record(out, { outcome: 'dropped', targetUrl: s.targetUrl });
      const batch = duplicate ? [out, { ...out, duplicate: true }] : [out];
      if (s.reorder) {
        if (!held) {
          held = batch;
          return record(out, { outcome: 'held', targetUrl: s.targetUrl });
        }
        batch.push(...held);
        held = undefined;
      }
      track(send(batch, s));
    } catch (err) {
      try {
        record({ messageId, change: describeChange(input) }, { outcome: 'error', error: messageOf(err) });
      } catch {
        // the emulator's request path must not fail because its IPN could not even be logged
      }
    }
  }

  function configure(patch: IpnSettingsPatch): IpnSettings {
    const next = ipnSettingsSchema.parse({ ...settings, ...ipnSettingsPatchSchema.parse(patch) });
    settings = next;
    // Turning reorder off, or removing the target, lets the held message go now rather than never.
    if (held && (!next.reorder || !next.targetUrl)) {
      const release = held;
      held = undefined;
      if (next.targetUrl) track(send(release, structuredClone(next)));
      else record(release[0]!, { outcome: 'not-sent' });
    }
    return structuredClone(settings);
  }

  function reset(): void {
    settings = structuredClone(DEFAULT_IPN_SETTINGS);
    held = undefined;
    log = [];
    generation += 1;
    abandon.abort();
    abandon = new AbortController();
  }

  const router = express.Router();
  router.use(express.json());
  router.get('/', (_req, res) => {
    res.json({ settings, held: held ? { messageId: held[0]!.messageId, objectType: held[0]!.change.objectType, objectId: held[0]!.change.objectId } : null, deliveries: log });
  });
  router.put('/', (req, res) => {
    res.json(configure(req.body as IpnSettingsPatch));
  });
  router.get('/deliveries', (_req, res) => {
    res.json({ deliveries: log });
  });
  router.delete('/deliveries', (_req, res) => {
    log = [];
    res.status(204).end();
  });
  router.use(controlErrorHandler);

  return {
    notify,
    get settings() {
      return structuredClone(settings);
    },
    configure,
    deliveries: () => log.map((d) => ({ ...d })),
    async flush() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    reset,
    router,
    certRouter: createCertRoute(options.signer),
    useSnsBaseUrl(baseUrl) {
      const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
      certUrl = `${base}${SNS_CERT_FILE}`;
      unsubscribeUrl = unsubscribeFor(base);
    },
    get certUrl() {
      return certUrl;
    },
  };
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (a test VM, a worker).
  const e = (err && typeof err === 'object' ? err : {}) as { name?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (typeof e.cause?.code === 'string') return `network error: ${e.cause.code}`;
  return `network error: ${typeof e.cause?.message === 'string' ? e.cause.message : messageOf(err)}`;
}

function messageOf(err: unknown): string {
  return err && typeof err === 'object' && 'message' in err && typeof err.message === 'string' ? err.message : String(err);
}

/** For the log of a change that failed validation: whatever the caller passed, as text. */
function describeChange(input: unknown): Outgoing['change'] {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  return { objectType: String(o.objectType), objectId: String(o.objectId), chargePermissionId: String(o.chargePermissionId), notificationType: String(o.notificationType ?? '') } as Outgoing['change'];
}
