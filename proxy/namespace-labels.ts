// The proxy's source of x-namespace-labels: the cache, and the watch that fills it when
// NAMESPACE_LABELS and the environment say so (kube-api-settings.ts). Off, the cache
// stays empty and no review carries the header. Readiness never waits for the watch:
// see the README (The proxy, namespace labels).
import { existsSync } from 'node:fs';
import type { ProxyConfig } from './config.js';
import { createKubeApiGet } from './kube-api-request.js';
import { chooseNamespaceWatch } from './kube-api-settings.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { createNamespaceCache } from './namespace-cache.js';
import { type NamespaceWatch, startNamespaceWatch, type WatchTimings } from './namespace-watch.js';

export interface NamespaceLabelsSource {
  /** The header for a namespace, when the watch knows it. */
  labelsHeader(namespace: string): string | undefined;
  /** Starts the watch, when it is on. */
  start(): void;
  stop(): void;
}

export function createNamespaceLabels(
  config: ProxyConfig,
  metrics: ProxyMetrics,
  logger: Logger,
  { watchTimings: timings }: { readonly watchTimings?: WatchTimings | undefined } = {},
): NamespaceLabelsSource {
  const cache = createNamespaceCache();
  let watch: NamespaceWatch | undefined;
  metrics.namespaceLabelsSynced.set(0);
  return {
    labelsHeader: (namespace) => cache.labelsHeader(namespace),
    start() {
      const api = chooseNamespaceWatch(config.namespaceLabels, existsSync);
      if (api === undefined || watch !== undefined) return;
      logger.info('watching namespaces for their labels (x-namespace-labels)');
      watch = startNamespaceWatch({
        get: createKubeApiGet(api),
        cache,
        logger,
        onSynced: (synced) => metrics.namespaceLabelsSynced.set(synced ? 1 : 0),
        onRestart: (reason) => metrics.namespaceWatchRestarts.inc({ reason }),
        ...(timings ? { timings } : {}),
      });
    },
    stop: () => watch?.stop(),
  };
}
