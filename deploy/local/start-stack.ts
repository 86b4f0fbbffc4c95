// npm start: the whole path on this machine. Development certificates in .local/certs
// (made once), the development function host on :7071, the proxy on :8443 in front of
// it, texts to the console and to .local/sms.log. Ctrl-C stops everything.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateCertificates } from '../../certs/certificate-directory.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const state = process.env.LOCAL_STATE_DIR ?? join(root, '.local');
const ports = {
  functions: Number(process.env.FUNCTIONS_PORT ?? 7071),
  proxy: Number(process.env.PROXY_PORT ?? 8443),
  proxyHealth: Number(process.env.PROXY_HEALTH_PORT ?? 9090),
};
const children: ChildProcess[] = [];
let stopping = false;

async function main(): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isFree(port)))
      throw new Error(`port ${port} is in use (${settingFor(name)}); stop what uses it or set ${settingFor(name)}`);
  }
  const certs = join(state, 'certs');
  const material = await loadOrCreateCertificates(certs, {
    caName: 'serverless-admission development CA',
    commonName: 'localhost',
    names: ['localhost', '127.0.0.1'],
    validDays: 365,
  });
  const keyFile = join(state, 'function-key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  mkdirSync(state, { recursive: true });
  const smsLog = join(state, 'sms.log');

  const functionHost = start('functions', ['dist/deploy/local/dev-function-host.js'], {
    PORT: String(ports.functions),
    SMS_LOG_FILE: smsLog,
    CLUSTER_NAME: process.env.CLUSTER_NAME ?? 'local',
  });
  await waitFor(functionHost, /development function host ready/);
  const proxy = start('proxy', ['dist/proxy-image/main.mjs'], {
    HOST: '127.0.0.1',
    PORT: String(ports.proxy),
    HEALTH_PORT: String(ports.proxyHealth),
    TLS_CERT_FILE: join(certs, 'tls.crt'),
    TLS_KEY_FILE: join(certs, 'tls.key'),
    FUNCTION_URL: `http://127.0.0.1:${ports.functions}/api/admission`,
    FUNCTION_KEY_FILE: keyFile,
    CLUSTER_NAME: process.env.CLUSTER_NAME ?? 'local',
    SHUTDOWN_DELAY_MS: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  await waitForReady(material.caCert);

  const fixture = relative(process.cwd(), join(root, 'test/fixtures/v1-create-deployment-2-replicas.json'));
  const caFile = relative(process.cwd(), join(certs, 'ca.crt'));
  console.log(`
serverless-admission is running locally:
  function host (development) http://127.0.0.1:${ports.functions}/api/admission   pid ${functionHost.pid}
  proxy (TLS)                 https://127.0.0.1:${ports.proxy}/admission          pid ${proxy.pid}
  proxy health and metrics    http://127.0.0.1:${ports.proxyHealth}/metrics
  certificates                ${material.generated ? 'made in' : 'reused from'} ${certs} (CA: ca.crt)
  texts                       console, and one JSON line each in ${smsLog}

Try it (a Deployment with 2 replicas: denied, and a BLOCKED text):
  curl --cacert ${caFile} -H 'content-type: application/json' --data @${fixture} 'https://127.0.0.1:${ports.proxy}/admission?timeout=10s'

Ctrl-C stops everything.
ready`);
}

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) console.log(`[${name}] ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    console.log(
      name === 'functions'
        ? `[functions] exited (${how}); the proxy keeps running and answers per FAILURE_MODE`
        : `[${name}] exited (${how})`,
    );
  });
  return child;
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (pattern.test(String(chunk))) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`a process of the stack exited (code ${code}) before it was ready; see its output above`)),
    );
  });
}

async function waitForReady(ca: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const status = await new Promise<number>((resolve) => {
      request(
        { host: '127.0.0.1', port: ports.proxy, path: '/readyz', ca, servername: 'localhost', timeout: 1000 },
        (res) => resolve(res.statusCode ?? 0),
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

function settingFor(name: string): string {
  return { functions: 'FUNCTIONS_PORT', proxy: 'PROXY_PORT', proxyHealth: 'PROXY_HEALTH_PORT' }[name] ?? name;
}

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  const exits = children
    .filter((child) => child.exitCode === null && child.signalCode === null)
    .map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    );
  Promise.all(exits).then(() => process.exit(code));
  setTimeout(() => process.exit(code), 10_000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : 'failed'}`);
  stop(1);
});
