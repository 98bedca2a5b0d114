import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Activity options, named once per kind of call. Errors that retrying cannot fix are thrown by the activities as
 * non-retryable ApplicationFailures; everything else (5xx, 429, timeouts, network) retries with backoff here.
 */

/** A marketplace API with a per-shop rate limit of about 1 call/s and night maintenance: patient backoff. */
export const marketplaceApi: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 6 },
};

/** Our own database and mail relay: quick retries, for longer. */
export const localIo: ActivityOptions = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
};

/**
 * A short database step run as a local activity, in the workflow task itself: no round trip through the server
 * (schedule, poll, complete, a new workflow task) for a read or write of a few milliseconds. Same timeout and retries
 * as localIo.
 */
export const localStep: LocalActivityOptions = { startToCloseTimeout: localIo.startToCloseTimeout, retry: localIo.retry };

/** A payment provider: transport errors retry a few times; declines and validation errors come back non-retryable. */
export const paymentApi: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 },
};

/** The shop's own external system: a few quick tries, then patient ones; about 20 minutes in all before it is failed. */
export const externalSystem: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 8, nonRetryableErrorTypes: ['Rejected', 'UnknownAccount', 'NotFound'] },
};
