// The call to the function, through http-proxy: the review goes out with the function
// key on a kept-alive connection, without the caller's hop-by-hop headers or
// credentials; the answer is read within its cap, timed, judged, and then relayed to
// the API server or failed per FAILURE_MODE.
import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import { wireHeaders } from '../functions/core/wire.js';
import type { ProxyConfig } from './config.js';
import { errorCode } from './error-code.js';
import { answerOnce, type Exchange, exchangeFields } from './exchange.js';
import type { FailExchange } from './fail-exchange.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { readStream } from './read-stream.js';
import { judgeUpstreamAnswer } from './upstream-verdict.js';

// An AdmissionReview answer is a few hundred bytes (a patch would be more; this is
// a validating webhook).
const maxResponseBytes = 1024 * 1024;

// http-proxy copies the caller's headers. Hop-by-hop ones describe the caller's
// connection, not ours (a "Connection: close" would defeat keep-alive, a
// "Transfer-Encoding" would contradict our Content-Length), and the caller's
// credentials are not the function's business.
const hopByHopHeaders = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'authorization',
  'cookie',
];

export interface UpstreamDependencies {
  readonly config: ProxyConfig;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly agent: HttpAgent;
  readonly fail: FailExchange;
}

/** Relays a checked request body to the function; the exchange gets its answer from there. */
export type ForwardToFunction = (
  req: IncomingMessage,
  res: ServerResponse,
  exchange: Exchange,
  body: Buffer,
  key: string,
) => void;

export function createUpstream({ config, metrics, logger, agent, fail }: UpstreamDependencies): ForwardToFunction {
  const proxy = httpProxy.createProxyServer({
    target: config.functionUrl.href,
    ignorePath: true, // the target is the function's full URL; the webhook path is ours
    changeOrigin: true, // Host must name the function app, or Azure's front end refuses it
    selfHandleResponse: true, // the answer is checked before the API server sees it
    xfwd: false,
    agent,
  });
  const exchanges = new WeakMap<IncomingMessage, Exchange>();

  // Without a listener http-proxy rethrows errors and the process dies; each call also
  // passes its own callback below, so this only catches what escapes those.
  proxy.on('error', (error) => logger.error({ failureReason: errorCode(error) }, 'proxy error outside a request'));

  proxy.on('proxyReq', (upstreamRequest, req) => {
    const exchange = exchanges.get(req);
    if (exchange) exchange.upstreamRequest = upstreamRequest;
    for (const name of hopByHopHeaders) upstreamRequest.removeHeader(name);
    upstreamRequest.setHeader('connection', 'keep-alive');
    upstreamRequest.setNoDelay(true);
  });

  proxy.on('proxyRes', async (upstream, req, res) => {
    const exchange = exchanges.get(req);
    if (!exchange) return;
    const read = await readStream(upstream, maxResponseBytes);
    const status = upstream.statusCode ?? 0;
    metrics.upstreamSeconds.observe({ status: String(status) }, (performance.now() - exchange.started) / 1000);
    const verdict = judgeUpstreamAnswer(status, read, exchange.identity);
    if ('failure' in verdict) return fail(exchange, res, verdict.failure, status);
    // A well-formed review, or the function's own 4xx for a request it refused.
    answerOnce(exchange, res, status, verdict.relay, upstream.headers['content-type'] ?? 'application/json');
    metrics.requests.inc({ outcome: 'relayed' });
    logger.info(exchangeFields(exchange, { status, upstreamStatus: status }), 'relayed');
  });

  return function forwardToFunction(req, res, exchange, body, key) {
    exchanges.set(req, exchange);
    const headers: Record<string, string> = {
      [wireHeaders.functionKey]: key, // replaces whatever the caller sent
      [wireHeaders.requestId]: exchange.requestId,
      'content-length': String(body.length),
      'accept-encoding': 'identity', // the answer is parsed and checked, so no gzip
    };
    if (config.clusterName) headers[wireHeaders.clusterName] = config.clusterName;
    proxy.web(req, res, { buffer: Readable.from([body]), headers }, (error) => {
      fail(exchange, res, { kind: 'unreachable', code: errorCode(error) });
    });
  };
}
