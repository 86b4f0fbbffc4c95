// Live reload of what the proxy reads from mounted Secrets: the TLS pair (installed for
// new handshakes when a new one loads, refused when it does not) and the function key
// file. Each result is counted and logged, never the contents.
import type { Server as HttpsServer } from 'node:https';
import type { ProxyConfig } from './config.js';
import type { FunctionKeySource } from './function-key.js';
import type { Logger } from './logger.js';
import type { ProxyMetrics } from './metrics.js';
import { loadTlsPair, samePair, servedContext, type TlsPair } from './tls-files.js';
import { type FileWatch, watchFiles } from './watch-files.js';

export interface ReloadDependencies {
  readonly config: ProxyConfig;
  readonly server: HttpsServer;
  readonly functionKey: FunctionKeySource;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
}

/** Watches the files; `served` is the pair the server was started with. */
export function reloadServedFiles(dependencies: ReloadDependencies, served: TlsPair): FileWatch {
  const { config, functionKey } = dependencies;
  let tls = served;
  const files = [config.tlsCertFile, config.tlsKeyFile];
  if (config.clientCaFile !== undefined) files.push(config.clientCaFile);
  if ('file' in config.functionKey) files.push(config.functionKey.file);
  return watchFiles(files, config.reloadIntervalMs, () => {
    tls = reloadTlsPair(dependencies, tls);
    reloadFunctionKey(dependencies, functionKey);
  });
}

/** Installs a changed pair that loads; returns the pair now served. */
function reloadTlsPair({ config, server, metrics, logger }: ReloadDependencies, current: TlsPair): TlsPair {
  const next = loadTlsPair(config);
  if ('error' in next) {
    metrics.reloads.inc({ what: 'tls', result: 'refused' });
    logger.warn({ failureReason: next.error }, 'new TLS pair refused; keeping the current one');
    return current;
  }
  if (samePair(next.pair, current)) return current;
  server.setSecureContext(servedContext(next.pair));
  metrics.reloads.inc({ what: 'tls', result: 'loaded' });
  logger.info('TLS pair reloaded');
  return next.pair;
}

function reloadFunctionKey({ metrics, logger }: ReloadDependencies, functionKey: FunctionKeySource): void {
  const keyChange = functionKey.refresh();
  if (keyChange === 'changed') logger.info('function key reloaded');
  if (keyChange === 'changed' || keyChange === 'unreadable' || keyChange === 'empty') {
    metrics.reloads.inc({ what: 'function_key', result: keyChange === 'changed' ? 'loaded' : keyChange });
  }
}
