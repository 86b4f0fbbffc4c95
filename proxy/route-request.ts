// What each port serves: /healthz, /readyz and /metrics on both, the webhook path on
// the TLS port only, and 404 for anything else. Webhook requests are counted while in
// flight, so that shutdown can wait for them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import type { Relay } from './relay.js';

/** Shared with shutdown: set `shuttingDown`, then wait for `active` to drain. */
export interface Traffic {
  shuttingDown: boolean;
  active: number;
}

export interface RouteDependencies {
  readonly webhookPath: string;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly relay: Relay;
  readonly traffic: Traffic;
  /** Whether /readyz says ready. */
  readonly ready: () => boolean;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The handler of one port; `webhook` says whether it serves the webhook path. */
export function createRequestHandler(dependencies: RouteDependencies, webhook: boolean): RequestHandler {
  const { logger } = dependencies;
  return (req, res) => {
    routeRequest(dependencies, req, res, webhook).catch((error: unknown) => {
      const failureReason = error instanceof Error ? error.name : 'unknown';
      logger.error({ failureReason }, 'unexpected error in request handler');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

async function routeRequest(
  { webhookPath, metrics, relay, traffic, ready }: RouteDependencies,
  req: IncomingMessage,
  res: ServerResponse,
  webhook: boolean,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://proxy.invalid'); // match on the path, never the raw URL
  if (req.method === 'GET' && url.pathname === '/healthz') return void res.writeHead(200).end('ok\n');
  if (req.method === 'GET' && url.pathname === '/readyz') {
    return void res.writeHead(ready() ? 200 : 503).end(ready() ? 'ready\n' : 'not ready\n');
  }
  if (req.method === 'GET' && url.pathname === '/metrics') {
    const body = await metrics.registry.metrics();
    return void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  }
  if (!webhook || url.pathname !== webhookPath) {
    return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('NOT_FOUND\n');
  }
  traffic.active++;
  res.once('close', () => traffic.active--);
  if (traffic.shuttingDown) res.setHeader('connection', 'close');
  await relay(req, res, url);
}
