// Readiness that follows the function, so that the Service sends reviews only to
// replicas that can pass them on:
// - the pool is exhausted: every connection to the function is busy and calls queue;
// - the function looks unreachable: the last UNREACHABLE_AFTER calls in a row could not
//   connect or timed out (an HTTP answer, even a 5xx, means it is reachable). While so,
//   the function's URL is probed every PROBE_INTERVAL_MS (any HTTP answer will do), and
//   readiness returns with the first answer, probed or relayed.
// With FAILURE_MODE=open an unreachable function does not make the proxy unready: with
// no ready replica the API server would apply the webhook's failurePolicy (Fail) and
// deny, turning "open" into "closed". The pool still counts.
import type { Agent as HttpAgent } from 'node:http';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import type { SendToFunction } from './upstream-agent.js';

export interface UpstreamHealth {
  /** A call got an HTTP answer (true) or could not connect or timed out (false). */
  record(reachable: boolean): void;
  ready(): boolean;
  close(): void;
}

export interface HealthDependencies {
  readonly agent: HttpAgent;
  /** Consecutive unreachable calls that make the proxy unready; 0: never. */
  readonly unreachableAfter: number;
  readonly probeIntervalMs: number;
  /** Sends a GET to the function's URL; the probe needs only to know if anything answers. */
  readonly send: SendToFunction;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
}

export function createUpstreamHealth(dependencies: HealthDependencies): UpstreamHealth {
  const { agent, unreachableAfter, probeIntervalMs, metrics, logger } = dependencies;
  let failuresInARow = 0;
  let probe: NodeJS.Timeout | undefined;

  const setReachable = (reachable: boolean) => {
    metrics.upstreamUnreachable.set(reachable ? 0 : 1);
    if (reachable) {
      clearInterval(probe);
      probe = undefined;
      logger.info('the function answers again: ready');
      return;
    }
    logger.warn({ failuresInARow }, 'the function looks unreachable: not ready until it answers');
    probe = setInterval(() => probeOnce(dependencies, health), probeIntervalMs).unref();
  };

  const health: UpstreamHealth = {
    record(reachable) {
      const wasUnreachable = probe !== undefined;
      failuresInARow = reachable ? 0 : failuresInARow + 1;
      if (reachable && wasUnreachable) setReachable(true);
      else if (!reachable && !wasUnreachable && unreachableAfter > 0 && failuresInARow >= unreachableAfter)
        setReachable(false);
    },
    ready: () => probe === undefined && !poolExhausted(agent),
    close: () => clearInterval(probe),
  };
  return health;
}

/** Calls are waiting for a connection: every one of maxSockets is busy. */
function poolExhausted(agent: HttpAgent): boolean {
  for (const queue of Object.values(agent.requests)) if (queue !== undefined && queue.length > 0) return true;
  return false;
}

function probeOnce({ send, probeIntervalMs }: HealthDependencies, health: UpstreamHealth): void {
  const call = send({ method: 'GET', timeout: probeIntervalMs, agent: false }, (answer) => {
    answer.resume();
    health.record(true);
  });
  call.on('timeout', () => call.destroy());
  call.on('error', () => undefined); // still unreachable: the next probe tries again
  call.end();
}
