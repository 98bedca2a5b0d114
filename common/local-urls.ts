import { port } from './env';

/** The ports of the local stack (`npm start`), each set by the variable of the same name. */
export const DEFAULT_PORTS = {
  API_PORT: 3000,
  TEMPORAL_PORT: 7233,
  TEMPORAL_UI_PORT: 8233,
  SANDBOX_PORT: 7480,
  SANDBOX_TLS_PORT: 7443,
  SMTP_PORT: 2525,
  PGLITE_PORT: 5433,
  /** the worker's /metrics (Prometheus) */
  WORKER_METRICS_PORT: 9464,
  /** the Temporal SDK's own Prometheus exporter, on loopback; the worker's /metrics appends what it serves */
  TEMPORAL_SDK_METRICS_PORT: 9465,
} as const;

export type PortVariable = keyof typeof DEFAULT_PORTS;
export type LocalPorts = Record<PortVariable, number>;

/** The zod shape of every port variable, with its default. */
export const portsShape = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, value]) => [name, port(value)])) as {
  [K in PortVariable]: ReturnType<typeof port>;
};

const LOOPBACK = '127.0.0.1';

/** `127.0.0.1:<port>`: an address on this machine only (the Temporal SDK's metrics exporter binds one). */
export const loopbackAddress = (port: number): string => `${LOOPBACK}:${port}`;

/**
 * Every address of the local stack that follows from a port, derived here and nowhere else: the variables the worker,
 * the API and the sandbox read (a URL built from a port anywhere else would keep pointing at the default port when the
 * port is changed, and send credentials to whatever listens there), and the addresses `npm start` prints.
 */
export function localUrls(ports: LocalPorts = DEFAULT_PORTS, o: { host?: string; shopId?: string } = {}) {
  const host = o.host ?? LOOPBACK;
  const sandbox = `http://${host}:${ports.SANDBOX_PORT}`;
  const api = `http://${host}:${ports.API_PORT}`;
  return {
    /** the variables the processes read */
    env: {
      TEMPORAL_ADDRESS: `${host}:${ports.TEMPORAL_PORT}`,
      DATABASE_URL: `postgres://postgres@${host}:${ports.PGLITE_PORT}/postgres`,
      SMTP_URL: `smtp://${host}:${ports.SMTP_PORT}`,
      AUPAY_BASE_URL: `${sandbox}/au-pay/wmshopapi`,
      AMAZONPAY_BASE_URL: `${sandbox}/amazon-pay`,
      YAHOO_API_BASE_URL: `${sandbox}/yahoo/ShoppingWebService/V1`,
      YAHOO_TOKEN_URL: `${sandbox}/yahoo/yconnect/v2`,
      OPLUX_EVENT_URL: `${sandbox}/oplux/v2/event`,
      OPLUX_NORMALIZER_URL: `${sandbox}/oplux/name-normalizer/`,
      GMO_PG_BASE_URL: `${sandbox}/gmo-pg/payment/`,
      SANDBOX_PUBLIC_URL: sandbox,
      SANDBOX_IPN_TARGET: `${api}/shops/${o.shopId ?? 'demo-shop'}/amazon-pay/ipn`,
      /** the Web UI's origin, the one page allowed to call the API's codec endpoint from a browser */
      PAYLOAD_CODEC_ORIGINS: `http://${host}:${ports.TEMPORAL_UI_PORT}`,
      /** the Web UI the console links each order's workflows to */
      TEMPORAL_UI_URL: `http://${host}:${ports.TEMPORAL_UI_PORT}`,
    },
    /** what `npm start` prints */
    display: {
      api,
      temporalUi: `http://${host}:${ports.TEMPORAL_UI_PORT}`,
      /** the API's codec endpoint, given to the dev server's `--ui-codec-endpoint` */
      codecEndpoint: `${api}/codec`,
      sandbox,
      sandboxTls: `https://${host}:${ports.SANDBOX_TLS_PORT}`,
      mail: `${sandbox}/mail/messages`,
      smtp: `${host}:${ports.SMTP_PORT}`,
      pglite: `${host}:${ports.PGLITE_PORT}`,
      apiMetrics: `${api}/metrics`,
      workerMetrics: `http://${host}:${ports.WORKER_METRICS_PORT}/metrics`,
    },
  };
}

export type LocalUrlVariable = keyof ReturnType<typeof localUrls>['env'];

/** The defaults of the configuration shapes: the local stack at its default ports. */
export const DEFAULT_URLS = localUrls().env;

/**
 * The URL variables for the children of `npm start`: each one the environment sets explicitly (a real provider, an
 * external PostgreSQL) is kept; every other follows the ports.
 */
export function localStackEnv(ports: LocalPorts, env: NodeJS.ProcessEnv, o: { shopId?: string } = {}): Record<LocalUrlVariable, string> {
  const derived = localUrls(ports, { shopId: o.shopId }).env;
  const out = {} as Record<LocalUrlVariable, string>;
  for (const name of Object.keys(derived) as LocalUrlVariable[]) {
    const given = env[name]?.trim();
    out[name] = given ? given : derived[name];
  }
  // TEMPORAL_ADDRESS always follows TEMPORAL_PORT: `npm start` runs the dev server itself on that port
  out.TEMPORAL_ADDRESS = derived.TEMPORAL_ADDRESS;
  return out;
}
