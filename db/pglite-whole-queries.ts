import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** pglite-socket's shared queue (0.2.x): one protocol message per item, from every connection. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}
interface MessageQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Frontend messages of an extended query before its Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const MID_QUERY = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * PGlite is one session behind all the socket server's connections, and the server queues each protocol message on
 * its own: a Bind large enough to come in several TCP reads let another connection's Parse in between, which replaced
 * the unnamed statement ("bind message supplies 10 parameters, but prepared statement "" requires 2"). The server keeps
 * a connection's messages together only inside a transaction; this keeps them together from an extended query's first
 * message to its Sync as well (the others wait, as they do behind a transaction). Replaces the queue's private
 * processQueue: tests/integration/embedded-postgres-connections.test.ts fails if an upgrade of pglite-socket changes
 * what it relies on.
 */
export function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: MessageQueue }).queryQueue;
  if (!Array.isArray(q?.queue) || typeof q.processQueue !== 'function' || typeof q.clearQueueForHandler !== 'function') {
    throw new Error('pglite-socket: its query queue is not the one keepExtendedQueriesWhole knows (0.2.x)');
  }
  /** the connection between its extended query's first message and its Sync */
  let midQuery: number | null = null;

  q.processQueue = async function processQueue(): Promise<void> {
    if (q.processing) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const holder = midQuery ?? (q.db.isInTransaction() ? q.lastHandlerId : null);
        const at = holder === null ? 0 : q.queue.findIndex((m) => m.handlerId === holder);
        if (at === -1) break; // the holder's next message has not arrived: the next enqueue starts this again
        const item = q.queue.splice(at, 1)[0]!;
        let bytes = 0;
        try {
          await q.db.runExclusive(() => q.db.execProtocolRawStream(item.message, {
            onRawData: (data) => {
              bytes += data.length;
              item.onData(data);
            },
          }));
        } catch (err) {
          midQuery = null;
          item.reject(err);
          continue;
        }
        midQuery = MID_QUERY.has(item.message[0]!) ? item.handlerId : null;
        q.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (midQuery === handlerId) {
      midQuery = null; // gone mid-query: the others go on
      void q.processQueue();
    }
  };
}
