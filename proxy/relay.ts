// The webhook path: check the request, relay it to the function with the function
// key, check the answer, and when the function cannot answer properly, answer the
// API server ourselves per FAILURE_MODE. Every request gets exactly one answer.
//
// The parts: request-intake.ts (the checks before relaying), upstream.ts (the call to
// the function) with upstream-headers.ts (what the function is sent) and
// upstream-verdict.ts (is its answer fit to relay), fail-exchange.ts (the answer when
// it is not), exchange.ts (one request's state and its one answer).
import { randomUUID } from 'node:crypto';
import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import { readRequestId, wireHeaders } from '../functions/core/wire.js';
import type { ByteBudget } from './byte-budget.js';
import type { ProxyConfig } from './config.js';
import type { Exchange } from './exchange.js';
import { createFailExchange, type FailExchange } from './fail-exchange.js';
import type { FunctionKeySource } from './function-key.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { invalidReview, sendRefusal, takeWebhookRequest } from './request-intake.js';
import { readReviewIdentity } from './review-identity.js';
import { createUpstream } from './upstream.js';
import type { SendToFunction } from './upstream-agent.js';
import { parseApiServerTimeout, upstreamDeadlineMs } from './upstream-deadline.js';
import type { UpstreamHealth } from './upstream-health.js';

export interface RelayDependencies {
  readonly config: ProxyConfig;
  readonly functionKey: FunctionKeySource;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly agent: HttpAgent;
  readonly budget: ByteBudget;
  readonly send: SendToFunction;
  readonly health: UpstreamHealth;
  /** The x-namespace-labels header for a namespace, when the namespace watch knows it. */
  readonly namespaceLabels: (namespace: string) => string | undefined;
}

/** `query`: the request target's query string, without the "?" (the API server sends ?timeout=10s). */
export type Relay = (req: IncomingMessage, res: ServerResponse, query: string) => Promise<void>;

export function createRelay(dependencies: RelayDependencies): Relay {
  const { config, functionKey, metrics, logger, budget, health, namespaceLabels } = dependencies;
  const fail = createFailExchange({ failureMode: config.failureMode, metrics, logger, health });
  const forwardToFunction = createUpstream({ ...dependencies, fail });

  return async function relay(req, res, query) {
    const started = performance.now();
    const requestId = readRequestId(req.headers[wireHeaders.requestId]) ?? randomUUID();
    const intake = await takeWebhookRequest(req, res, budget);
    if ('aborted' in intake) return void res.destroy();
    if ('refusal' in intake) return sendRefusal(res, metrics, intake.refusal);
    // Not sent on: the function would refuse it too, and there is no uid to answer for.
    const read = readReviewIdentity(intake.body);
    if ('invalid' in read) return sendRefusal(res, metrics, invalidReview(read.invalid));

    const deadlineMs = upstreamDeadlineMs(
      config.upstreamTimeoutMs,
      parseApiServerTimeout(query === '' ? null : new URLSearchParams(query).get('timeout')),
    );
    const labels = read.namespace === undefined ? undefined : namespaceLabels(read.namespace);
    const exchange: Exchange = {
      requestId,
      identity: read.identity,
      started,
      namespaceLabels: labels,
      answered: false,
    };
    const key = functionKey.current();
    if (key === undefined) return fail(exchange, res, { kind: 'no-key' });
    armDeadline(exchange, res, deadlineMs, fail);
    forwardToFunction(res, exchange, intake.body, key);
  };
}

/**
 * Answers for the function when the deadline passes, and stops the call to the function
 * once it no longer matters: after the deadline, or when the API server gave up (or
 * the answer is out) and the response closed.
 */
function armDeadline(exchange: Exchange, res: ServerResponse, deadlineMs: number, fail: FailExchange): void {
  const timer = setTimeout(() => {
    fail(exchange, res, { kind: 'timeout', afterMs: deadlineMs });
    exchange.upstreamRequest?.destroy();
  }, deadlineMs);
  res.once('close', () => {
    clearTimeout(timer);
    if (!exchange.answered) exchange.upstreamRequest?.destroy();
  });
}
