import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/**
 * The SQLite settings `npm start`'s dev server runs with (bench/dev-server-settings.ts measured them against the
 * alternatives). WAL with synchronous=NORMAL: a committed transaction is in the WAL file (the OS's cache) before the
 * server acknowledges it, so a crash or kill -9 of the server loses nothing acknowledged; only a power loss or an OS
 * crash can lose the last transactions before the next checkpoint's fsync, and it never corrupts the file. The CLI's
 * default (a rollback journal, synchronous=FULL) fsyncs every commit and runs at about a third of the speed.
 */
export const DEV_SERVER_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=WAL', 'synchronous=NORMAL'];

export interface DevServerArgsOptions {
  port: number;
  /** the SQLite file; without it the server keeps everything in memory (benchmarks only) */
  dbFile?: string;
  /** the Web UI's port; without it the server runs headless */
  uiPort?: number;
  namespace?: string;
  codecEndpoint?: string;
  /** `PRAGMA=VALUE` each; DEV_SERVER_SQLITE_PRAGMAS unless given (the benchmark tries others) */
  sqlitePragmas?: readonly string[];
  /** `KEY=JSON` each, passed as --dynamic-config-value */
  dynamicConfig?: readonly string[];
  logLevel?: string;
}

/** The `temporal server start-dev` arguments, the one place run-system.ts, the benchmark and the crash test build them. */
export function devServerArgs(o: DevServerArgsOptions): string[] {
  return [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port),
    ...(o.uiPort === undefined ? ['--headless'] : ['--ui-port', String(o.uiPort), '--ui-disable-news-fetch']),
    ...(o.codecEndpoint ? ['--ui-codec-endpoint', o.codecEndpoint] : []),
    ...(o.dbFile ? ['--db-filename', o.dbFile, ...(o.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS).flatMap((p) => ['--sqlite-pragma', p])] : []),
    ...(o.dynamicConfig ?? []).flatMap((v) => ['--dynamic-config-value', v]),
    '--namespace', o.namespace ?? 'default', '--log-level', o.logLevel ?? 'error',
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${CLI_TYPE_NAMES[a.type]}`]),
  ];
}
