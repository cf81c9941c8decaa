import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fatal } from '../core/catalogue/index.js';

/** Starts listening; a busy or forbidden port is a clear error, not a crash. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why: Record<string, string> = {
        EADDRINUSE: `port ${port} on ${host} is already in use`,
        EACCES: `port ${port} needs privileges this user does not have`,
        EADDRNOTAVAIL: `${host} is not an address of this machine`,
      };
      reject(fatal(1, 'serve-listen-failed', { host, port, reason: why[e.code ?? ''] ?? e.message }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops taking new connections, lets running requests finish (at most `graceMs`), and closes idle
 * keep-alive connections; then lets a server with work of its own after the replies (the confirmation
 * mails of `scs serve`) finish it, at most `graceMs` more.
 */
export async function shutdown(
  server: Server & { drain?(graceMs: number): Promise<void> },
  graceMs = 10000,
): Promise<void> {
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
  await server.drain?.(graceMs);
}
