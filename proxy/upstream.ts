// The call to the function: the review goes out with the function key on a kept-alive
// connection, with the proxy's own headers only (upstream-headers.ts); the answer is
// read within its cap, timed, judged, and then relayed to the API server or failed per
// FAILURE_MODE.
//
// node:http's request, not http-proxy or http-proxy-3: the body is already read and
// checked, the headers are the proxy's own, and the answer is read and judged before
// anything is relayed, so a proxy library's only job here would be to call request.
// Measured (README, Performance): the proxy on http-proxy used about 50% more CPU per
// review than on node:http, and forced forty times as many full GCs; on http-proxy-3, more.
import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyConfig } from './config.js';
import { errorCode } from './error-code.js';
import { answerOnce, type Exchange, exchangeFields } from './exchange.js';
import type { FailExchange } from './fail-exchange.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { readStream } from './read-stream.js';
import type { SendToFunction } from './upstream-agent.js';
import { toUpstreamHeaders } from './upstream-headers.js';
import type { UpstreamHealth } from './upstream-health.js';
import { judgeUpstreamAnswer, maxResponseBytes } from './upstream-verdict.js';

export interface UpstreamDependencies {
  readonly config: ProxyConfig;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly agent: HttpAgent;
  readonly send: SendToFunction;
  readonly health: UpstreamHealth;
  readonly fail: FailExchange;
}

/** Relays a checked request body to the function; the exchange gets its answer from there. */
export type ForwardToFunction = (res: ServerResponse, exchange: Exchange, body: Buffer, key: string) => void;

export function createUpstream(dependencies: UpstreamDependencies): ForwardToFunction {
  const { config, metrics, logger, agent, send, health, fail } = dependencies;
  const debug = logger.isLevelEnabled('debug');

  async function onAnswer(upstream: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<void> {
    health.record(true); // an HTTP answer, whatever it says: the function is reachable
    const read = await readStream(upstream, maxResponseBytes);
    // An answer over the cap is left unread: its connection is closed rather than
    // drained (up to the function's whim) or left paused in the pool for ever.
    if (!('body' in read)) upstream.destroy();
    const status = upstream.statusCode ?? 0;
    metrics.observeUpstream(status, (performance.now() - exchange.started) / 1000);
    const verdict = judgeUpstreamAnswer(status, read, exchange.identity);
    if ('failure' in verdict) return fail(exchange, res, verdict.failure, status);
    // A well-formed review for this request, checked as JSON: sent as the 200 the API server expects.
    answerOnce(exchange, res, 200, verdict.relay, 'application/json');
    metrics.countRelayed();
    // One line per review costs more CPU than the rest of the relay (a synchronous write
    // to stdout): successes are counted in /metrics, and logged at LOG_LEVEL=debug.
    if (debug) logger.debug(exchangeFields(exchange, { status: 200, upstreamStatus: status }), 'relayed');
  }

  return function forwardToFunction(res, exchange, body, key) {
    const { requestId } = exchange;
    // Only the proxy's own headers: nothing the caller sent is passed on (Node adds Host,
    // from the URL, and Connection, from the agent).
    const headers = toUpstreamHeaders({
      key,
      requestId,
      bodyLength: body.length,
      clusterName: config.clusterName,
      namespaceLabels: exchange.namespaceLabels,
    });
    const call = send({ method: 'POST', agent, headers }, (answer) => {
      onAnswer(answer, res, exchange).catch((error: unknown) => {
        logger.error({ failureReason: errorCode(error) }, 'unexpected error reading the answer');
        fail(exchange, res, { kind: 'invalid-response' });
      });
    });
    exchange.upstreamRequest = call;
    call.on('error', (error) => fail(exchange, res, { kind: 'unreachable', code: errorCode(error) }));
    call.end(body);
  };
}
