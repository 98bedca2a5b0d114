import { Context } from '@temporalio/activity';
import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs (pino): one JSON object a line, or pretty lines in a terminal. Every line carries `component`; the
 * business fields are named `shopId`, `orderId`, `workflowId` and `operator`, and inside an activity the activity's
 * `workflowId` and `activityType` are added by themselves. Never pass secrets or a buyer's personal data in fields.
 */
export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** The same logger with `fields` on every line (an order's shop, order and workflow, say). */
  child(fields: Fields): Logger;
}

/** LOG_LEVEL's values, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_FORMAT: `pretty` in a terminal, `json` otherwise, unless set. */
export const LOG_FORMATS = ['json', 'pretty'] as const;

/** Keys whose value is replaced wherever they appear (top level or one level down): a safety net, not a licence. */
const REDACTED_KEYS = ['token', 'apiToken', 'apiKey', 'secret', 'secretKey', 'signingSecret', 'password', 'shopPass', 'authorization', 'privateKey', 'refreshToken'];

let root: pino.Logger | undefined;

/** The process's one pino logger, made on first use from LOG_LEVEL and LOG_FORMAT (the config validates both). */
export function rootLogger(): pino.Logger {
  if (root) return root;
  const level = (LOG_LEVELS as readonly string[]).includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info';
  const format = process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : process.stdout.isTTY ? 'pretty' : 'json';
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
    // inside an activity: which workflow (and activity) the line is about, without every call site passing it
    mixin: activityFields,
  };
  root = format === 'pretty' ? pino(options, prettyStream()) : pino(options, pino.destination({ dest: 1, sync: true }));
  return root;
}

/**
 * One line per event in a terminal too: a multi-line message (the SDK's bundler report, a warning block) and an error's
 * stack are kept on the event's line, so `npm start`'s processes do not interleave blocks.
 */
function prettyStream() {
  return pretty({
    sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,component', singleLine: true, errorLikeObjectKeys: [],
    messageFormat: (log, messageKey) => `[${String(log.component ?? '')}] ${String(log[messageKey] ?? '').replace(/\s*\n\s*/g, ' ⏎ ')}`,
  });
}

function activityFields(): Record<string, unknown> {
  try {
    const { info } = Context.current();
    return { workflowId: info.workflowExecution?.workflowId, activityType: info.activityType };
  } catch {
    return {}; // not in an activity
  }
}

/** Drops undefined values (pino would write them as absent anyway; this keeps `child` bindings clean). */
const defined = (fields?: Fields): Record<string, unknown> =>
  fields ? Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) : {};

function wrap(p: pino.Logger): Logger {
  return {
    debug: (m, f) => p.debug(defined(f), m),
    info: (m, f) => p.info(defined(f), m),
    warn: (m, f) => p.warn(defined(f), m),
    error: (m, f) => p.error(defined(f), m),
    child: (f) => wrap(p.child(defined(f))),
  };
}

/** The logger of one part of renkei (`worker`, `api`, `mail`, ...). */
export function createLogger(component: string): Logger {
  // the root is made at the first line written, so a process that sets LOG_* before logging is heard
  let bound: Logger | undefined;
  const get = () => (bound ??= wrap(rootLogger().child({ component })));
  return {
    debug: (m, f) => get().debug(m, f),
    info: (m, f) => get().info(m, f),
    warn: (m, f) => get().warn(m, f),
    error: (m, f) => get().error(m, f),
    child: (f) => get().child(f),
  };
}
