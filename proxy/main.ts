// Entry point of the proxy container: `node dist/proxy/main.js` (npm run start:proxy).
import { loadProxyConfig, type ProxyConfig, ProxyConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createProxyServer } from './proxy-server.js';

/** The configuration, or exit 2 with a message that names every bad variable. */
function loadConfigOrExit(): ProxyConfig {
  try {
    return loadProxyConfig(process.env);
  } catch (error) {
    if (!(error instanceof ProxyConfigError)) throw error;
    console.error(`${error.code}: ${error.message}`); // the code leads to the README's Error codes table
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
