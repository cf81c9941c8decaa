import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A web server on 127.0.0.1 answering every GET with `status` (the press archive, deployed or not). */
export async function startWebServer(status = 200): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Press</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago, and nobody took it since). */
export async function closedPort(): Promise<number> {
  const web = await startWebServer();
  await web.close();
  return Number(new URL(web.url).port);
}

/** An RSA key pair for DKIM (1024 bits: quick to make, and its record fits a plain DNS answer). */
export function dkimKeys(): { pem: string; publicKey: KeyObject; record: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    record: `v=DKIM1; k=rsa; p=${spki}`,
  };
}
