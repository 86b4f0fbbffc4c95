// The failure path: the function did not answer with a review the proxy can vouch for,
// or could not be asked, so the proxy answers the API server itself for the review's
// uid, per FAILURE_MODE (deny, or allow with a warning). Each failure is counted by
// reason and logged with allowlisted fields only.
import type { ServerResponse } from 'node:http';
import type { FailureMode } from './config.js';
import { answerOnce, type Exchange, exchangeFields } from './exchange.js';
import { type FailureReason, failureLabel, toFailureReview } from './failure-answer.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import type { UpstreamHealth } from './upstream-health.js';

/** Answers the exchange for the function, unless it was answered already. */
export type FailExchange = (
  exchange: Exchange,
  res: ServerResponse,
  reason: FailureReason,
  upstreamStatus?: number,
) => void;

export interface FailureDependencies {
  readonly failureMode: FailureMode;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly health: UpstreamHealth;
}

export function createFailExchange({ failureMode, metrics, logger, health }: FailureDependencies): FailExchange {
  return function failExchange(exchange, res, reason, upstreamStatus = 0) {
    if (exchange.answered) return;
    // A call cut because the API server went away says nothing about the function.
    if ((reason.kind === 'unreachable' || reason.kind === 'timeout') && !res.destroyed) health.record(false);
    const label = failureLabel(reason);
    metrics.upstreamFailures.inc({ reason: label });
    const log = exchangeFields(exchange, { upstreamStatus, failureReason: label });
    if (reason.kind === 'unauthorized' || reason.kind === 'no-key') {
      logger.error(log, `the function refused the key or none is loaded: every review fails ${failureMode}`);
    }
    const review = toFailureReview(exchange.identity, failureMode, reason);
    answerOnce(exchange, res, 200, JSON.stringify(review), 'application/json');
    metrics.requests.inc({ outcome: `failed_${failureMode}` });
    logger.warn({ ...log, status: 200 }, `upstream failed; answered per FAILURE_MODE=${failureMode}`);
  };
}
