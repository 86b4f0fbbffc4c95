// What each port serves. The TLS port, which the API server calls, serves the webhook
// path and nothing else. The plain port, for the kubelet and Prometheus, serves
// /healthz, /readyz and /metrics: they say nothing to a caller on the webhook port, and
// /metrics (which tells an attacker how the proxy fares) stays on a port the
// NetworkPolicy opens only to monitoring. Anything else is 404. Webhook requests are
// counted while in flight, so that shutdown can wait for them.
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

/** The TLS port's handler: the webhook path only. */
export function createWebhookHandler(dependencies: RouteDependencies): RequestHandler {
  return guarded(dependencies.logger, (req, res) => serveWebhook(dependencies, req, res));
}

/** The plain port's handler: health, readiness and metrics only. */
export function createHealthHandler(dependencies: RouteDependencies): RequestHandler {
  return guarded(dependencies.logger, (req, res) => serveHealth(dependencies, req, res));
}

function guarded(logger: Logger, serve: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestHandler {
  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      const failureReason = error instanceof Error ? error.name : 'unknown';
      logger.error({ failureReason }, 'unexpected error in request handler');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

/** The request target's path and query. The path is compared as sent: no decoding, no dot segments. */
function splitTarget(target: string | undefined): { path: string; query: string } {
  const raw = target ?? '/';
  const mark = raw.indexOf('?');
  return mark < 0 ? { path: raw, query: '' } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('NOT_FOUND\n');
}

async function serveWebhook(
  { webhookPath, relay, traffic }: RouteDependencies,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { path, query } = splitTarget(req.url);
  if (path !== webhookPath) return notFound(res);
  traffic.active++;
  res.once('close', () => traffic.active--);
  if (traffic.shuttingDown) res.setHeader('connection', 'close');
  await relay(req, res, query);
}

async function serveHealth({ metrics, ready }: RouteDependencies, req: IncomingMessage, res: ServerResponse) {
  const { path } = splitTarget(req.url);
  if (req.method !== 'GET') return notFound(res);
  if (path === '/healthz') return void res.writeHead(200).end('ok\n');
  if (path === '/readyz') {
    const isReady = ready();
    return void res.writeHead(isReady ? 200 : 503).end(isReady ? 'ready\n' : 'not ready\n');
  }
  if (path === '/metrics') {
    const body = await metrics.registry.metrics();
    return void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  }
  notFound(res);
}
