import { refuseSandboxInProduction } from '../common/sandbox-guard';
import { everyMinutes, seedConfiguredShop } from '../shops/configured-shop';
import { createShopDirectory } from '../shops/shop-directory';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { keyRingFromConfig } from '../common/accounts-config';
import { dataConverterFor, payloadCodecFromConfig } from '../common/payload-config';
import { createAccountStore } from '../db/provider-accounts';
import { ensureOrderOutDispatcher } from './order-out-dispatcher';
import { loadWorkerConfig } from '../config';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { runMain } from '../common/env';
import { createLogger } from '../common/logger';
import { listen } from '../common/listen';
import { loopbackAddress } from '../common/local-urls';
import { installTemporalRuntime } from '../metrics/temporal-runtime';
import { createWorkerMetricsApp } from '../metrics/worker-metrics';
import { createPool } from '../db/pool';
import { createMailer } from '../mail/mailer';
import { createRenkeiWorker } from './create-worker';
import { shopClients } from './shop-clients';
import { ensureSchedules } from './schedules';
import { runShopScheduleReconciler, syncAllShopSchedules } from '../shops/shop-schedules';

const log = createLogger('worker');

runMain(async () => {
  const config = loadWorkerConfig();
  refuseSandboxInProduction(config);
  // before the first connection: the SDK's logs on ours (one JSON line each), its metrics on a loopback exporter
  const sdkMetricsAddress = loopbackAddress(config.TEMPORAL_SDK_METRICS_PORT);
  installTemporalRuntime({ sdkMetricsAddress });
  const metricsServer = await listen(createWorkerMetricsApp({ sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics` }), config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST, 'WORKER_METRICS_PORT');
  log.info('worker metrics listening', { host: config.WORKER_METRICS_HOST, port: config.WORKER_METRICS_PORT, path: '/metrics' });
  // PAYLOAD_KEYS: what this worker hands Temporal is encrypted, through the worker and its own client alike
  const dataConverter = dataConverterFor(payloadCodecFromConfig(config));
  // TLS / API key from TEMPORAL_TLS_* and TEMPORAL_API_KEY: every connection below is made the same way
  const connectionOptions = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(connectionOptions);
  const db = createPool(config.DATABASE_URL);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const keyRing = keyRingFromConfig(config);
  const accounts = keyRing ? createAccountStore(db, keyRing) : undefined;
  const { gmoPgShop, ...clients } = shopClients(config, accounts);
  // the environment's business variables seed the configured shop's settings on the first start, and no more
  await seedConfiguredShop(db, { shopId: config.SHOP_ID, notifyEmail: config.SHOP_NOTIFY_EMAIL }, {
    yahoo: {
      deadlineAction: config.YAHOO_DEADLINE_ACTION, cancelReason: config.YAHOO_CANCEL_REASON, sweepEveryMinutes: everyMinutes(config.YAHOO_SWEEP_EVERY),
      pageSize: config.YAHOO_SWEEP_PAGE_SIZE, requestsPerSecond: config.YAHOO_REQUESTS_PER_SECOND,
    },
    oplux: { orderOutControl: config.OPLUX_ORDER_OUT_CONTROL, productKey: config.OPLUX_PRODUCT_KEY, review: config.OPLUX_SETTINGS },
  }).catch((err: unknown) => log.warn('configured shop not seeded (is the database migrated?)', { error: err instanceof Error ? err.message : String(err) }));
  // the dispatcher's signal-with-start and the schedules go through a plain client connection
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const worker = await createRenkeiWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    // npm start and the image build the bundle beforehand; without one, webpack bundles workflows/ here (seconds)
    ...(config.WORKER_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.WORKER_WORKFLOW_BUNDLE } } : {}),
    deps: {
      db, mailer, accounts,
      // each shop's settings as stored through the API, re-read within 5 s of a change
      shops: createShopDirectory(db),
      // each shop's clients from its sealed account; the environment's for the configured shop otherwise
      ...clients,
      notifyEmail: (shopId) => (shopId === config.SHOP_ID ? config.SHOP_NOTIFY_EMAIL : undefined),
      temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
      gmoPg: gmoPgShop && { shop: gmoPgShop },
    },
  });
  await ensureSchedules(config);
  // each shop's schedules (Yahoo sweep, Amazon Pay review report) as its record, settings and accounts say: now, then
  // every 5 minutes, which catches up what an API stored but could not tell Temporal (and a failure here at start)
  const shopSchedules = {
    db, accounts, taskQueue: config.TEMPORAL_TASK_QUEUE,
    configured: { shopId: config.SHOP_ID, yahoo: !!config.YAHOO_REFRESH_TOKEN, amazonPay: !!config.AMAZONPAY_PRIVATE_KEY_FILE },
  };
  await syncAllShopSchedules(client, shopSchedules).then(
    (r) => log.info('shop schedules synced', { shops: r.shops, failed: r.failed, changed: r.changes.filter((c) => c.change !== 'unchanged' && c.change !== 'absent').length }),
    (err) => log.warn('shop schedules not synced at start; the reconcile retries', { error: (err as Error).message }),
  );
  const scheduleReconciler = runShopScheduleReconciler(client, shopSchedules);
  if (keyRing) await ensureOrderOutDispatcher(client, config.TEMPORAL_TASK_QUEUE);
  log.info('worker polling', { taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, temporal: config.TEMPORAL_ADDRESS });
  // Worker.run handles SIGINT/SIGTERM itself: it stops polling and lets running activities finish.
  await worker.run();
  await scheduleReconciler.stop();
  await db.end();
  mailer.close();
  await connection.close();
  await clientConnection.close();
  metricsServer.close();
  log.info('worker stopped');
});
