import { Runtime } from '@temporalio/worker';
import { temporalSdkLogger } from '../common/temporal-logger';

/**
 * The Temporal SDK's Runtime of a worker process, installed before its first connection: the SDK's logs (the Core's
 * forwarded too, and workflow `log` calls) on renkei's logger, and its metrics (temporal_*: task slots, polls, latencies,
 * sticky cache, ...) on a Prometheus exporter at `sdkMetricsAddress` (host:port, loopback), which the worker's /metrics
 * appends to its own.
 */
export function installTemporalRuntime(o: { sdkMetricsAddress: string }): void {
  Runtime.install({
    logger: temporalSdkLogger(),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      metrics: { prometheus: { bindAddress: o.sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } },
    },
  });
}
