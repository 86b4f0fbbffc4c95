// The proxy's heartbeat, for the function's dead man's switch: every
// HEARTBEAT_INTERVAL_MS a POST to the function app's `heartbeat` route (FUNCTION_URL
// with its last path segment replaced: .../api/admission -> .../api/heartbeat), with
// the function key, naming the cluster, the proxy's FAILURE_MODE and how many reviews
// it answered itself, by reason, since the last heartbeat that got through. When the
// heartbeats stop, the function texts ops; when they return, it says what the failure
// mode did meanwhile.
// A heartbeat never touches a review: its own unref'd timer, one call at a time on the
// shared pool (256 connections), nothing recorded in the upstream health that decides
// readiness. Its results are counted in /metrics; the log says only when heartbeats
// start failing and when they get through again, not each time.
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import type { FailureMode, ProxyConfig } from './config.js';
import type { FunctionKeySource } from './function-key.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { type SendToFunction, sendToFunction } from './upstream-agent.js';
import { toUpstreamHeaders } from './upstream-headers.js';

/** Reviews answered per FAILURE_MODE, by reason (the labels of admission_proxy_upstream_failures_total). */
export type FailureCounts = Readonly<Record<string, number>>;

/** What a heartbeat says (JSON). */
export interface HeartbeatBody {
  readonly version: 1;
  readonly cluster: string;
  readonly failureMode: FailureMode;
  readonly failures: FailureCounts;
}

export type BeatResult = 'sent' | 'refused' | 'unreachable' | 'timeout' | 'busy';

export interface Heartbeat {
  /** One heartbeat now; 'busy' when the last one is still under way. */
  beat(): Promise<BeatResult>;
  stop(): void;
}

export interface HeartbeatDependencies {
  readonly config: ProxyConfig;
  readonly functionKey: FunctionKeySource;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  /** The pool reviews use: the heartbeat proves the path they take. */
  readonly agent: Agent;
}

/** The function app's heartbeat route, beside the admission route. */
export function heartbeatUrl(functionUrl: URL): URL {
  return new URL('heartbeat', functionUrl);
}

/** Starts the timer (the first heartbeat after one interval); undefined when heartbeats are off. */
export function startHeartbeat(dependencies: HeartbeatDependencies): Heartbeat | undefined {
  const { config, logger } = dependencies;
  if (config.heartbeatIntervalMs === 0) return undefined;
  if (!config.clusterName) {
    logger.warn('CLUSTER_NAME is not set: no heartbeats, so the function cannot tell ops when this proxy goes silent');
    return undefined;
  }
  const heartbeat = createHeartbeat(dependencies, config.clusterName);
  const timer = setInterval(() => void heartbeat.beat(), config.heartbeatIntervalMs).unref();
  return { beat: heartbeat.beat, stop: () => clearInterval(timer) };
}

export function createHeartbeat(dependencies: HeartbeatDependencies, cluster: string): Pick<Heartbeat, 'beat'> {
  const { config, functionKey, metrics, logger, agent } = dependencies;
  const send = sendToFunction(heartbeatUrl(config.functionUrl));
  const timeoutMs = Math.max(100, Math.min(config.upstreamTimeoutMs, config.heartbeatIntervalMs || Infinity));
  let reported = new Map<string, number>(); // failure totals at the last heartbeat that got through
  let inFlight = false;
  let failing = false;

  async function beat(): Promise<BeatResult> {
    if (inFlight) return 'busy';
    inFlight = true;
    try {
      const totals = await readFailureTotals(metrics);
      const body: HeartbeatBody = {
        version: 1,
        cluster,
        failureMode: config.failureMode,
        failures: countsSince(totals, reported),
      };
      const key = functionKey.current();
      const result =
        key === undefined ? 'refused' : await post({ send, agent, key, cluster, timeoutMs }, JSON.stringify(body));
      metrics.heartbeats.inc({ result });
      if (result === 'sent') reported = totals;
      if ((result !== 'sent') !== failing) {
        failing = result !== 'sent';
        if (failing) logger.warn({ failureReason: result }, 'heartbeats to the function fail (counted in /metrics)');
        else logger.info('heartbeats to the function get through again');
      }
      return result;
    } finally {
      inFlight = false;
    }
  }
  return { beat };
}

async function readFailureTotals(metrics: ProxyMetrics): Promise<Map<string, number>> {
  const { values } = await metrics.upstreamFailures.get();
  return new Map(values.map(({ labels, value }) => [String(labels.reason), value]));
}

/** The counts that grew since `before`, and by how much. */
export function countsSince(totals: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): FailureCounts {
  const counts: Record<string, number> = {};
  for (const [reason, total] of totals) {
    const grown = total - (before.get(reason) ?? 0);
    if (grown > 0) counts[reason] = grown;
  }
  return counts;
}

interface Call {
  readonly send: SendToFunction;
  readonly agent: Agent;
  readonly key: string;
  readonly cluster: string;
  readonly timeoutMs: number;
}

function post({ send, agent, key, cluster, timeoutMs }: Call, body: string): Promise<BeatResult> {
  const bodyLength = Buffer.byteLength(body);
  const headers = toUpstreamHeaders({ key, requestId: randomUUID(), bodyLength, clusterName: cluster });
  return new Promise((resolve) => {
    const call = send({ method: 'POST', agent, headers, timeout: timeoutMs }, (answer) => {
      answer.resume(); // the answer's body says nothing the proxy needs; drained so the socket is reused
      const status = answer.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? 'sent' : 'refused');
    });
    call.on('timeout', () => {
      resolve('timeout');
      call.destroy();
    });
    call.on('error', () => resolve('unreachable')); // counted, not logged: see the file comment
    call.end(body);
  });
}
