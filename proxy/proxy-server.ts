// Puts the proxy together: the HTTPS server the API server calls, a plain health and
// metrics port, live reload of the TLS pair and the function key, and a drain on
// shutdown. main.ts reads the environment; tests build this directly.
import {
  createServer as createHttpServer,
  Agent as HttpAgent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ProxyConfig } from './config.js';
import { createFunctionKeySource } from './function-key.js';
import type { Logger } from './logger.js';
import { createProxyMetrics, type ProxyMetrics } from './metrics.js';
import { createRelay } from './relay.js';
import { loadTlsPair, type TlsPair } from './tls-files.js';
import { watchFiles } from './watch-files.js';

export interface ProxyServer {
  readonly metrics: ProxyMetrics;
  /** Resolves with the bound ports once both servers listen. */
  listen(): Promise<{ port: number; healthPort: number }>;
  /** Stops accepting, lets in-flight requests finish (bounded), closes everything. */
  shutdown(): Promise<void>;
  inFlight(): number;
}

export interface ProxyOptions {
  /** Extra CAs for an HTTPS upstream (tests); production trusts the public roots. */
  readonly upstreamCa?: string;
}

export function createProxyServer(config: ProxyConfig, logger: Logger, options: ProxyOptions = {}): ProxyServer {
  const metrics = createProxyMetrics();
  const initial = loadTlsPair(config.tlsCertFile, config.tlsKeyFile);
  if ('error' in initial) throw new Error(`tls: ${initial.error}`);
  let tls: TlsPair = initial.pair;
  const functionKey = createFunctionKeySource(config.functionKey);
  if (functionKey.current() === undefined)
    logger.error('function key file unreadable or empty; reviews fail until it is');

  // Keep-alive: a fresh TLS handshake to Azure per review costs tens of milliseconds.
  // Idle sockets are dropped after 60 s, before Azure's front end drops them. No
  // Nagle: headers and body go out as two writes, and waiting for the first ACK
  // would add the peer's delayed-ACK time (40 ms) to every review.
  const agentOptions = {
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    timeout: 60_000,
    scheduling: 'lifo' as const,
    noDelay: true,
  };
  const agent =
    config.functionUrl.protocol === 'https:'
      ? new HttpsAgent({ ...agentOptions, ...(options.upstreamCa ? { ca: options.upstreamCa } : {}) })
      : new HttpAgent(agentOptions);
  const relay = createRelay({ config, functionKey, metrics, logger, agent });

  let shuttingDown = false;
  let active = 0;
  const ready = () => !shuttingDown && functionKey.current() !== undefined;

  async function route(req: IncomingMessage, res: ServerResponse, webhook: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://proxy.invalid'); // match on the path, never the raw URL
    if (req.method === 'GET' && url.pathname === '/healthz') return void res.writeHead(200).end('ok\n');
    if (req.method === 'GET' && url.pathname === '/readyz') {
      return void res.writeHead(ready() ? 200 : 503).end(ready() ? 'ready\n' : 'not ready\n');
    }
    if (req.method === 'GET' && url.pathname === '/metrics') {
      const body = await metrics.registry.metrics();
      return void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    }
    if (!webhook || url.pathname !== config.webhookPath) {
      return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('NOT_FOUND\n');
    }
    active++;
    res.once('close', () => active--);
    if (shuttingDown) res.setHeader('connection', 'close');
    await relay(req, res, url);
  }

  const handle = (webhook: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, webhook).catch((error: unknown) => {
      logger.error({ failureReason: (error as Error)?.name ?? 'unknown' }, 'unexpected error in request handler');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };

  const server = createHttpsServer(
    {
      cert: tls.cert,
      key: tls.key,
      minVersion: 'TLSv1.2',
      keepAliveTimeout: 65_000,
      // Slow clients (slowloris) are cut off: headers, then the whole request, must arrive in time.
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs), // Node checks every 30 s otherwise
    },
    handle(true),
  );
  const healthServer: Server = createHttpServer({ requestTimeout: 10_000 }, handle(false));
  for (const s of [server, healthServer]) s.on('clientError', (_error, socket) => socket.destroy());

  const watch = watchFiles(
    [config.tlsCertFile, config.tlsKeyFile, ...('file' in config.functionKey ? [config.functionKey.file] : [])],
    config.reloadIntervalMs,
    () => {
      const next = loadTlsPair(config.tlsCertFile, config.tlsKeyFile);
      if ('error' in next) {
        metrics.reloads.inc({ what: 'tls', result: 'refused' });
        logger.warn({ failureReason: next.error }, 'new TLS pair refused; keeping the current one');
      } else if (next.pair.cert !== tls.cert || next.pair.key !== tls.key) {
        server.setSecureContext({ cert: next.pair.cert, key: next.pair.key, minVersion: 'TLSv1.2' });
        tls = next.pair;
        metrics.reloads.inc({ what: 'tls', result: 'loaded' });
        logger.info('TLS pair reloaded');
      }
      const keyChange = functionKey.refresh();
      if (keyChange === 'changed') logger.info('function key reloaded');
      if (keyChange === 'changed' || keyChange === 'unreadable' || keyChange === 'empty') {
        metrics.reloads.inc({ what: 'function_key', result: keyChange === 'changed' ? 'loaded' : keyChange });
      }
    },
  );

  return {
    metrics,
    inFlight: () => active,
    async listen() {
      await Promise.all([
        new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve)),
        new Promise<void>((resolve, reject) =>
          healthServer.once('error', reject).listen(config.healthPort, config.host, resolve),
        ),
      ]);
      return { port: (server.address() as AddressInfo).port, healthPort: (healthServer.address() as AddressInfo).port };
    },
    async shutdown() {
      shuttingDown = true;
      logger.info({ durationMs: config.shutdownDelayMs }, 'shutting down: not ready, still serving');
      await sleep(config.shutdownDelayMs);
      const closed = Promise.all([closeServer(server), closeServer(healthServer)]);
      server.closeIdleConnections();
      const drained = await Promise.race([closed.then(() => true), sleep(config.shutdownGraceMs).then(() => false)]);
      if (!drained) logger.warn({ inFlight: active }, 'grace period over; closing remaining connections');
      server.closeAllConnections();
      healthServer.closeAllConnections();
      watch.close();
      agent.destroy();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
