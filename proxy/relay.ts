// The webhook path: check the request, relay it to the function with the function
// key, check the answer, and when the function cannot answer properly, answer the
// API server ourselves per FAILURE_MODE. Every request gets exactly one answer.
import { randomUUID } from 'node:crypto';
import type { ClientRequest, Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import { isJsonContentType, maxReviewBytes, readRequestId, wireHeaders } from '../functions/core/wire.js';
import type { ProxyConfig } from './config.js';
import { describeFailure, type FailureReason, failureLabel, toFailureReview } from './failure-answer.js';
import type { FunctionKeySource } from './function-key.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { readStream } from './read-stream.js';
import { checkReviewResponse, type ReviewIdentity, readReviewIdentity } from './review-identity.js';
import { parseApiServerTimeout, upstreamDeadlineMs } from './upstream-deadline.js';

// An AdmissionReview answer is a few hundred bytes (a patch would be more; this is
// a validating webhook).
const maxResponseBytes = 1024 * 1024;

export interface RelayDependencies {
  readonly config: ProxyConfig;
  readonly functionKey: FunctionKeySource;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly agent: HttpAgent;
}

interface Exchange {
  readonly requestId: string;
  readonly identity: ReviewIdentity | undefined;
  readonly started: number;
  answered: boolean;
  upstreamRequest?: ClientRequest;
}

export function createRelay({ config, functionKey, metrics, logger, agent }: RelayDependencies) {
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
  proxy.on('error', (error) => logger.error({ failureReason: codeOf(error) }, 'proxy error outside a request'));

  proxy.on('proxyReq', (upstreamRequest, req) => {
    const exchange = exchanges.get(req);
    if (exchange) exchange.upstreamRequest = upstreamRequest;
    // http-proxy copies the caller's headers. Hop-by-hop ones describe the caller's
    // connection, not ours (a "Connection: close" would defeat keep-alive, a
    // "Transfer-Encoding" would contradict our Content-Length), and the caller's
    // credentials are not the function's business.
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
    if (!('body' in read)) return fail(exchange, res, { kind: 'invalid-response' }, status);
    if (status === 401 || status === 403) return fail(exchange, res, { kind: 'unauthorized', status }, status);
    if (status >= 500) return fail(exchange, res, { kind: 'upstream-error', status }, status);
    if (status === 200 && exchange.identity) {
      const check = checkReviewResponse(read.body, exchange.identity);
      if (check !== 'ok') return fail(exchange, res, { kind: check }, status);
    } else if (status !== 200 && status < 400) {
      return fail(exchange, res, { kind: 'upstream-error', status }, status);
    }
    // A well-formed review, or the function's own 4xx for a request it refused.
    answer(exchange, res, status, read.body, upstream.headers['content-type'] ?? 'application/json');
    metrics.requests.inc({ outcome: 'relayed' });
    logger.info(fields(exchange, { status, upstreamStatus: status }), 'relayed');
  });

  function answer(exchange: Exchange, res: ServerResponse, status: number, body: Buffer | string, type: string) {
    if (exchange.answered) return;
    exchange.answered = true;
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      [wireHeaders.requestId]: exchange.requestId,
    });
    res.end(body);
  }

  function fail(exchange: Exchange, res: ServerResponse, reason: FailureReason, upstreamStatus = 0) {
    if (exchange.answered) return;
    const label = failureLabel(reason);
    metrics.upstreamFailures.inc({ reason: label });
    const log = fields(exchange, { upstreamStatus, failureReason: label });
    if (reason.kind === 'unauthorized' || reason.kind === 'no-key') {
      logger.error(log, `the function refused the key or none is loaded: every review fails ${config.failureMode}`);
    }
    if (!exchange.identity) {
      answer(
        exchange,
        res,
        502,
        `BAD_GATEWAY: the function ${describeFailure(reason)}, and the request has no AdmissionReview uid to answer for\n`,
        'text/plain; charset=utf-8',
      );
      metrics.requests.inc({ outcome: 'bad_gateway' });
      logger.warn({ ...log, status: 502 }, 'upstream failed');
      return;
    }
    const review = toFailureReview(exchange.identity, config.failureMode, reason);
    answer(exchange, res, 200, JSON.stringify(review), 'application/json');
    metrics.requests.inc({ outcome: `failed_${config.failureMode}` });
    logger.warn({ ...log, status: 200 }, `upstream failed; answered per FAILURE_MODE=${config.failureMode}`);
  }

  function fields(exchange: Exchange, extra: Record<string, unknown>) {
    const durationMs = Math.round((performance.now() - exchange.started) * 1000) / 1000;
    return { requestId: exchange.requestId, uid: exchange.identity?.uid, durationMs, ...extra };
  }

  function refuse(
    res: ServerResponse,
    status: number,
    outcome: string,
    message: string,
    extra: Record<string, string> = {},
  ) {
    metrics.requests.inc({ outcome });
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra }).end(`${message}\n`);
  }

  return async function relay(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const requestId = readRequestId(req.headers[wireHeaders.requestId]) ?? randomUUID();
    if (req.method !== 'POST')
      return refuse(res, 405, 'method_not_allowed', 'METHOD_NOT_ALLOWED: use POST', { allow: 'POST' });
    if (!isJsonContentType(req.headers['content-type'])) {
      return refuse(
        res,
        415,
        'unsupported_media_type',
        'UNSUPPORTED_MEDIA_TYPE: content type must be application/json',
      );
    }
    const tooLarge = `PAYLOAD_TOO_LARGE: request body over ${maxReviewBytes} bytes (2 x 3 MiB objects + 1 MiB envelope)`;
    if (Number(req.headers['content-length'] ?? 0) > maxReviewBytes) {
      return refuse(res, 413, 'payload_too_large', tooLarge, { connection: 'close' });
    }
    const read = await readStream(req, maxReviewBytes);
    if ('failure' in read) {
      if (read.failure === 'aborted') return void res.destroy();
      return refuse(res, 413, 'payload_too_large', tooLarge, { connection: 'close' });
    }

    const deadlineMs = upstreamDeadlineMs(
      config.upstreamTimeoutMs,
      parseApiServerTimeout(url.searchParams.get('timeout')),
    );
    const exchange: Exchange = { requestId, identity: readReviewIdentity(read.body), started, answered: false };
    exchanges.set(req, exchange);
    const key = functionKey.current();
    if (key === undefined) return fail(exchange, res, { kind: 'no-key' });

    const headers: Record<string, string> = {
      [wireHeaders.functionKey]: key, // replaces whatever the caller sent
      [wireHeaders.requestId]: requestId,
      'content-length': String(read.body.length),
      'accept-encoding': 'identity', // the answer is parsed and checked, so no gzip
    };
    if (config.clusterName) headers[wireHeaders.clusterName] = config.clusterName;

    const timer = setTimeout(() => {
      fail(exchange, res, { kind: 'timeout', afterMs: deadlineMs });
      exchange.upstreamRequest?.destroy();
    }, deadlineMs);
    res.once('close', () => {
      clearTimeout(timer);
      // The API server gave up (or the answer is out): stop any upstream call still going.
      if (!exchange.answered) exchange.upstreamRequest?.destroy();
    });
    proxy.web(req, res, { buffer: Readable.from([read.body]), headers }, (error) => {
      fail(exchange, res, { kind: 'unreachable', code: codeOf(error) });
    });
  };
}

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

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'UNKNOWN';
}
