// Prometheus metrics of the proxy, in a registry of its own (prom-client).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'outcome'>;
  readonly upstreamSeconds: Histogram<'status'>;
  readonly upstreamFailures: Counter<'reason'>;
  readonly reloads: Counter<'what' | 'result'>;
  readonly upstreamUnreachable: Gauge;
  readonly heartbeats: Counter<'result'>;
  /** The namespace watch (namespace-watch.ts): whether it is caught up, and why it restarted. */
  readonly namespaceLabelsSynced: Gauge;
  readonly namespaceWatchRestarts: Counter<'reason'>;
  // The hot path's updates, with their label children looked up once (prom-client
  // hashes the labels on every inc/observe otherwise).
  /** upstreamSeconds for this status. */
  observeUpstream(upstreamStatus: number, seconds: number): void;
  /** requests{outcome="relayed"}. */
  countRelayed(): void;
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'admission_proxy_requests_total',
    help: 'Webhook requests by outcome: relayed, failed_closed, failed_open, or the refusal (method_not_allowed, payload_too_large, unsupported_media_type, invalid_review, overloaded).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'admission_proxy_upstream_duration_seconds',
    help: 'Time from relaying a review to the function until its whole answer arrived, by HTTP status (0 when none came).',
    labelNames: ['status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const relayed = requests.labels({ outcome: 'relayed' });
  const timeByStatus = new Map<number, Histogram.Internal<'status'>>(); // statuses are 3 digits: bounded
  return {
    registry,
    requests,
    upstreamSeconds,
    countRelayed: () => relayed.inc(),
    observeUpstream(upstreamStatus, seconds) {
      let time = timeByStatus.get(upstreamStatus);
      if (time === undefined) {
        time = upstreamSeconds.labels({ status: String(upstreamStatus) });
        timeByStatus.set(upstreamStatus, time);
      }
      time.observe(seconds);
    },
    upstreamFailures: new Counter({
      name: 'admission_proxy_upstream_failures_total',
      help: 'Reviews the function did not answer properly, by reason: timeout, unreachable, upstream_error (5xx, 1xx, 3xx), upstream_refused (4xx but 401/403), unauthorized (401/403), invalid_response, response_too_large (over 1 MiB), uid_mismatch, no_key.',
      labelNames: ['reason'],
      registers: [registry],
    }),
    upstreamUnreachable: new Gauge({
      name: 'admission_proxy_upstream_unreachable',
      help: '1 while the function looks unreachable (UNREACHABLE_AFTER calls in a row could not connect or timed out; /readyz says not ready with FAILURE_MODE=closed), else 0.',
      registers: [registry],
    }),
    heartbeats: new Counter({
      name: 'admission_proxy_heartbeats_total',
      help: "Heartbeats to the function (its dead man's switch), by result: sent (2xx), refused (another HTTP status), unreachable, timeout.",
      labelNames: ['result'],
      registers: [registry],
    }),
    ...createWatchMetrics(registry),
    reloads: new Counter({
      name: 'admission_proxy_reloads_total',
      help: 'Reloads of the TLS pair and the function key from their files, by result.',
      labelNames: ['what', 'result'],
      registers: [registry],
    }),
  };
}

function createWatchMetrics(registry: Registry) {
  return {
    namespaceLabelsSynced: new Gauge({
      name: 'admission_proxy_namespace_labels_synced',
      help: '1 while the namespace watch has listed and is watching (x-namespace-labels are current), else 0 (off, starting, or listing again after an error).',
      registers: [registry],
    }),
    namespaceWatchRestarts: new Counter({
      name: 'admission_proxy_namespace_watch_restarts_total',
      help: 'Times the namespace watch listed again after a failure, by reason: gone (410), http_<status>, timeout, cut_off, invalid_stream, line_too_long, page_too_large, credential_unreadable, or a network error code (ECONNREFUSED).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
