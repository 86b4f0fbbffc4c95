// Entry point of the proxy container: `node dist/proxy/main.js` (npm run start:proxy).
import { loadProxyConfig, ProxyConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createProxyServer } from './proxy-server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadProxyConfig(process.env);
  } catch (error) {
    if (!(error instanceof ProxyConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const proxy = createProxyServer(config, logger);
  const { port, healthPort } = await proxy.listen();
  logger.info({ port, healthPort, failureMode: config.failureMode }, 'admission proxy listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    proxy.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`admission proxy failed to start: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
