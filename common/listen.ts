import type { Server } from 'node:http';
import type { Express } from 'express';
import { ConfigError } from './env';

/** Listens, and names the variable to change when the port is taken instead of failing with a bare EADDRINUSE. */
export function listen(app: Express, port: number, host: string, portVariable: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`port ${port} on ${host} is already taken: set ${portVariable} to a free port`) : err);
    });
  });
}
