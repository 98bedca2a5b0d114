import type { Logger as SdkLogger, LogLevel as SdkLogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';
import { rootLogger } from './logger';

const LEVELS: Record<SdkLogLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** Left out: an activity's task token completes the activity for whoever holds it. */
const DROPPED = new Set(['taskToken']);

/** The SDK's metadata as JSON fields: errors with their type, message and stack; symbols (its timestamp) left out. */
function fieldsOf(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (DROPPED.has(key)) continue;
    out[key] = value instanceof Error ? pino.stdSerializers.err(value) : typeof value === 'bigint' ? String(value) : value;
  }
  return out;
}

/**
 * The Temporal SDK's logger (Runtime.install({ logger })) on renkei's: the SDK's lines, the Core's forwarded ones and
 * workflow `log` calls each become one line with `component: temporal`, the SDK's `sdkComponent` and, when there is one,
 * the `workflowId` (a multi-line warning block is one JSON line, its newlines escaped). `quietest`: the lowest level it
 * writes, when it should be quieter than LOG_LEVEL (a benchmark wants the SDK's warnings only).
 */
export function temporalSdkLogger(quietest?: pino.Level): SdkLogger {
  const root = rootLogger();
  const louder = quietest && root.levels.values[quietest]! > root.levelVal; // never below LOG_LEVEL
  const base = root.child({ component: 'temporal' }, louder ? { level: quietest } : undefined);
  const log = (level: SdkLogLevel, message: string, meta?: LogMetadata) => base[LEVELS[level] ?? 'info'](fieldsOf(meta), message);
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}
