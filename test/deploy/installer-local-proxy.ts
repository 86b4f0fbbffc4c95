// A stand-in for the proxy run outside the cluster (--webhook-url): HTTPS on 127.0.0.1
// answering a GET of the webhook path as the proxy does (405, Allow: POST) with the pair in a certificates directory, and loading a new pair
// when the files change, as the proxy does (polled here every 50 ms). It can start
// before the files exist, like a proxy waiting for cluster:install to make them.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LocalProxy {
  /** The --webhook-url to register: https://127.0.0.1:<port>/admission. */
  readonly url: string;
  /** Paths requested so far. */
  readonly requested: string[];
  close(): Promise<void>;
}

export async function startLocalProxy(certsDir: string): Promise<LocalProxy> {
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(req.url === '/admission' ? 405 : 404, req.url === '/admission' ? { allow: 'POST' } : {}).end();
  });
  let served = '';
  const reload = () => {
    try {
      const cert = readFileSync(join(certsDir, 'tls.crt'), 'utf8');
      const key = readFileSync(join(certsDir, 'tls.key'), 'utf8');
      if (cert + key === served) return;
      server.setSecureContext({ cert, key });
      served = cert + key;
    } catch {
      // Not there yet, or half replaced (a key that does not match): keep what is served.
    }
  };
  reload();
  const poll = setInterval(reload, 50);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Trust boundary: a server listening on a TCP port has an AddressInfo address.
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/admission`,
    requested,
    close: () => {
      clearInterval(poll);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
