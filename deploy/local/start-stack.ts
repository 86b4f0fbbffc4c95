// npm start: the whole path on this machine. Development certificates in .local/certs
// (made once, by the certificate tool), Azurite (the storage emulator: the SMS queue
// and notify's shared state) on free ports, the development function host on :7071,
// the proxy on :8443 in front of it, texts to the console and to .local/sms.log.
// Ctrl-C stops everything. Settings: see local-settings.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AzuriteServer, startAzurite } from './azurite.js';
import { type DevelopmentCertificates, provideDevelopmentCertificates } from './development-certificates.js';
import { readSettingsOrExit, stackSettingSpecs } from './local-settings.js';
import { createProcessGroup, waitForOutput } from './process-group.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const settings = readSettingsOrExit(stackSettingSpecs, process.env, 'npm start');
// Absolute, so the children (which run in the repository) find the same files.
const state = resolve(settings.LOCAL_STATE_DIR ?? join(root, '.local'));
const ports = {
  FUNCTIONS_PORT: settings.FUNCTIONS_PORT,
  PROXY_PORT: settings.PROXY_PORT,
  PROXY_HEALTH_PORT: settings.PROXY_HEALTH_PORT,
};
const group = createProcessGroup(root);

async function main(): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isFree(port))) throw new Error(`port ${port} is in use (${name}); stop what uses it or set ${name}`);
  }
  mkdirSync(state, { recursive: true });
  const certs = await provideDevelopmentCertificates(join(state, 'certs'), (line) => console.log(`[certs] ${line}`));
  const keyFile = join(state, 'function-key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const smsLog = join(state, 'sms.log');
  mkdirSync(join(state, 'azurite'), { recursive: true });
  const azurite = await startAzurite(join(state, 'azurite'));
  group.adopt(azurite.process);
  console.log(`[azurite] queue and table storage ready in ${azurite.startMs} ms (in memory)`);

  const functionHost = group.start('functions', ['dist/deploy/local/dev-function-host.js'], {
    PORT: String(ports.FUNCTIONS_PORT),
    SMS_LOG_FILE: smsLog,
    CLUSTER_NAME: settings.CLUSTER_NAME,
    AzureWebJobsStorage: azurite.connectionString,
  });
  await waitForOutput(functionHost, /development function host ready/);
  const proxy = group.start('proxy', ['dist/proxy-image/main.mjs'], {
    HOST: '127.0.0.1',
    PORT: String(ports.PROXY_PORT),
    HEALTH_PORT: String(ports.PROXY_HEALTH_PORT),
    TLS_CERT_FILE: certs.tlsCertFile,
    TLS_KEY_FILE: certs.tlsKeyFile,
    FUNCTION_URL: `http://127.0.0.1:${ports.FUNCTIONS_PORT}/api/admission`,
    FUNCTION_KEY_FILE: keyFile,
    CLUSTER_NAME: settings.CLUSTER_NAME,
    SHUTDOWN_DELAY_MS: '0',
    LOG_LEVEL: settings.LOG_LEVEL,
  });
  await waitForReady();
  printBanner({ functionHostPid: functionHost.pid, proxyPid: proxy.pid, certs, smsLog, azurite });
}

function printBanner(started: {
  functionHostPid: number | undefined;
  proxyPid: number | undefined;
  azurite: AzuriteServer;
  certs: DevelopmentCertificates;
  smsLog: string;
}): void {
  const fixture = relative(process.cwd(), join(root, 'test/fixtures/v1-create-deployment-2-replicas.json'));
  const caFile = relative(process.cwd(), join(started.certs.directory, 'ca.crt'));
  console.log(`
serverless-admission is running locally:
  function host (development) http://127.0.0.1:${ports.FUNCTIONS_PORT}/api/admission   pid ${started.functionHostPid}
  proxy (TLS)                 https://127.0.0.1:${ports.PROXY_PORT}/admission          pid ${started.proxyPid}
  proxy health and metrics    http://127.0.0.1:${ports.PROXY_HEALTH_PORT}/metrics
  storage (Azurite)           queue :${started.azurite.ports.queue}, table :${started.azurite.ports.table}   pid ${started.azurite.process.pid}
  certificates                in ${started.certs.directory} (CA: ca.crt)
  texts                       console, and one JSON line each in ${started.smsLog}

Try it (a Deployment with 2 replicas: denied, and a BLOCKED text):
  curl --cacert ${caFile} -H 'content-type: application/json' --data @${fixture} 'https://127.0.0.1:${ports.PROXY_PORT}/admission?timeout=10s'

Ctrl-C stops everything.
ready`);
}

/** Until the proxy's /readyz (on its plain health port) says ready. */
async function waitForReady(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: ports.PROXY_HEALTH_PORT, path: '/readyz', timeout: 1000 }, (res) =>
        resolve(res.statusCode ?? 0),
      )
        .on('error', () => resolve(0))
        .end();
    });
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the proxy did not get ready within 15 s; see its output above');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

process.on('SIGINT', () => group.stop(0));
process.on('SIGTERM', () => group.stop(0));
main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : 'failed'}`);
  group.stop(1);
});
