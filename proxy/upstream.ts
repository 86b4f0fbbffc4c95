// The call to the function, through http-proxy: the review goes out with the function
// key on a kept-alive connection, with the proxy's own headers only (upstream-headers.ts);
// the answer is read within its cap, timed, judged, and then relayed to the API server
// or failed per FAILURE_MODE.
import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import type { ProxyConfig } from './config.js';
import { errorCode } from './error-code.js';
import { answerOnce, type Exchange, exchangeFields } from './exchange.js';
import type { FailExchange } from './fail-exchange.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { readStream } from './read-stream.js';
import { restrictUpstreamHeaders, toUpstreamHeaders } from './upstream-headers.js';
import { judgeUpstreamAnswer, maxResponseBytes } from './upstream-verdict.js';

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
  const calls = new WeakMap<IncomingMessage, { exchange: Exchange; headers: Record<string, string> }>();

  // Without a listener http-proxy rethrows errors and the process dies; each call also
  // passes its own callback below, so this only catches what escapes those.
  proxy.on('error', (error) => logger.error({ failureReason: errorCode(error) }, 'proxy error outside a request'));

  proxy.on('proxyReq', (upstreamRequest, req) => {
    const call = calls.get(req);
    if (!call) return; // every call is made by forwardToFunction below, which registers it first
    call.exchange.upstreamRequest = upstreamRequest;
    restrictUpstreamHeaders(upstreamRequest, call.headers);
    upstreamRequest.setNoDelay(true);
  });

  proxy.on('proxyRes', async (upstream, req, res) => {
    const exchange = calls.get(req)?.exchange;
    if (!exchange) return;
    const read = await readStream(upstream, maxResponseBytes);
    // An answer over the cap is left unread: its connection is closed rather than
    // drained (up to the function's whim) or left paused in the pool for ever.
    if (!('body' in read)) upstream.destroy();
    const status = upstream.statusCode ?? 0;
    metrics.upstreamSeconds.observe({ status: String(status) }, (performance.now() - exchange.started) / 1000);
    const verdict = judgeUpstreamAnswer(status, read, exchange.identity);
    if ('failure' in verdict) return fail(exchange, res, verdict.failure, status);
    // A well-formed review for this request, checked as JSON: sent as the 200 the API server expects.
    answerOnce(exchange, res, 200, verdict.relay, 'application/json');
    metrics.requests.inc({ outcome: 'relayed' });
    logger.info(exchangeFields(exchange, { status: 200, upstreamStatus: status }), 'relayed');
  });

  return function forwardToFunction(req, res, exchange, body, key) {
    const { requestId } = exchange;
    const headers = toUpstreamHeaders({ key, requestId, bodyLength: body.length, clusterName: config.clusterName });
    calls.set(req, { exchange, headers });
    // http-proxy builds the outgoing headers from the request's and cannot be told to
    // drop one; it also skips the proxyReq hook (where they are restricted again) when
    // the caller sent "Expect". So it is handed the proxy's own headers only: the
    // caller's have been read (request id, content type) and nothing reads them again.
    req.headers = { ...headers };
    proxy.web(req, res, { buffer: Readable.from([body]) }, (error) => {
      fail(exchange, res, { kind: 'unreachable', code: errorCode(error) });
    });
  };
}
