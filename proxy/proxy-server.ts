// Puts the proxy together: the HTTPS server the API server calls, a plain health and
// metrics port, live reload of the TLS pair and the function key, and a drain on
// shutdown. main.ts reads the environment; tests build this directly.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createByteBudget } from './byte-budget.js';
import type { ProxyConfig } from './config.js';
import { createFunctionKeySource } from './function-key.js';
import { type Heartbeat, startHeartbeat } from './heartbeat.js';
import type { Logger } from './logger.js';
import { createProxyMetrics, type ProxyMetrics } from './metrics.js';
import { createNamespaceLabels } from './namespace-labels.js';
import type { WatchTimings } from './namespace-watch.js';
import { createRelay } from './relay.js';
import { reloadServedFiles } from './reload-files.js';
import {
  createHealthHandler,
  createWebhookHandler,
  type RequestHandler,
  type RouteDependencies,
  type Traffic,
} from './route-request.js';
import { loadTlsPair, servedContext, type TlsPair } from './tls-files.js';
import { createUpstreamAgent, sendToFunction } from './upstream-agent.js';
import { createUpstreamHealth } from './upstream-health.js';

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
  /** Backoffs and watch lengths of the namespace watch (tests shorten them). */
  readonly watchTimings?: WatchTimings;
}

export function createProxyServer(config: ProxyConfig, logger: Logger, options: ProxyOptions = {}): ProxyServer {
  const metrics = createProxyMetrics();
  const initial = loadTlsPair(config);
  if ('error' in initial) throw new Error(`tls: ${initial.error}`, { cause: initial.cause });
  const functionKey = createFunctionKeySource(config.functionKey);
  if (functionKey.current() === undefined)
    logger.error('function key file unreadable or empty; reviews fail until it is');

  const agent = createUpstreamAgent(config.functionUrl, options.upstreamCa);
  const budget = createByteBudget(config.maxBufferedBytes);
  const send = sendToFunction(config.functionUrl);
  const health = createUpstreamHealth({ agent, send, metrics, logger, ...healthSettings(config) });
  const { labelsHeader: namespaceLabels, ...namespaces } = createNamespaceLabels(config, metrics, logger, options);
  const relay = createRelay({ config, functionKey, metrics, logger, agent, budget, send, health, namespaceLabels });
  const traffic: Traffic = { shuttingDown: false, active: 0 };
  const ready = () => !traffic.shuttingDown && functionKey.current() !== undefined && health.ready();
  const routes: RouteDependencies = { webhookPath: config.webhookPath, metrics, logger, relay, traffic, ready };

  const server = createWebhookServer(config, initial.pair, createWebhookHandler(routes));
  const healthServer: Server = createHttpServer({ requestTimeout: 10_000 }, createHealthHandler(routes));
  for (const s of [server, healthServer]) s.on('clientError', (_error, socket) => socket.destroy());
  const watch = reloadServedFiles({ config, server, functionKey, metrics, logger }, initial.pair);
  let heartbeat: Heartbeat | undefined;

  return {
    metrics,
    inFlight: () => traffic.active,
    async listen() {
      await Promise.all([
        listenOn(server, config.port, config.host),
        listenOn(healthServer, config.healthPort, config.host),
      ]);
      heartbeat ??= startHeartbeat({ config, functionKey, metrics, logger, agent });
      namespaces.start();
      return { port: boundPort(server), healthPort: boundPort(healthServer) };
    },
    async shutdown() {
      traffic.shuttingDown = true;
      heartbeat?.stop();
      namespaces.stop();
      logger.info({ durationMs: config.shutdownDelayMs }, 'shutting down: not ready, still serving');
      await sleep(config.shutdownDelayMs);
      const closed = Promise.all([closeServer(server), closeServer(healthServer)]);
      server.closeIdleConnections();
      const drained = await Promise.race([closed.then(() => true), sleep(config.shutdownGraceMs).then(() => false)]);
      if (!drained) logger.warn({ inFlight: traffic.active }, 'grace period over; closing remaining connections');
      server.closeAllConnections();
      healthServer.closeAllConnections();
      watch.close();
      health.close();
      agent.destroy();
    },
  };
}

function healthSettings(config: ProxyConfig) {
  return {
    probeIntervalMs: config.probeIntervalMs,
    // Open: an unready proxy would make the API server deny (see upstream-health.ts).
    unreachableAfter: config.failureMode === 'closed' ? config.unreachableAfter : 0,
  };
}

/** The HTTPS server the API server calls, with every bound a hostile caller meets. */
function createWebhookServer(config: ProxyConfig, pair: TlsPair, handler: RequestHandler): HttpsServer {
  const server = createHttpsServer(
    {
      ...servedContext(pair), // TLS 1.2 with AEAD suites only, and TLS 1.3
      // Mutual TLS when CLIENT_CA_FILE is set: a caller without a certificate from that
      // CA is refused in the handshake, before a byte of HTTP is read.
      requestCert: config.clientCaFile !== undefined,
      rejectUnauthorized: config.clientCaFile !== undefined,
      keepAliveTimeout: 65_000,
      // Slow clients (slowloris) are cut off: headers, then the whole request, must arrive in time.
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs), // Node checks every 30 s otherwise
      // A connection that never completes its handshake is closed (the default is 120 s).
      handshakeTimeout: config.handshakeTimeoutMs,
    },
    handler,
  );
  server.maxConnections = config.maxConnections; // each TLS connection costs memory, idle or not
  return server;
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
}

/** The TCP port a listening server was given (PORT=0 asks the system for one). */
function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  return address.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
