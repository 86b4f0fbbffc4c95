// npm run bench, last: the whole local path as `npm start` runs it (TLS proxy ->
// development function host -> decision -> queued text -> notify), at concurrency 16,
// with autocannon. Every review creates a Deployment that is allowed and announced, so
// each one also puts a text on the queue. Results: bench/results/local-path.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 16;
const root = new URL('../../', import.meta.url);

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const state = mkdtempSync(join(tmpdir(), 'local-path-bench-'));
const ports = {
  FUNCTIONS_PORT: String(await freePort()),
  PROXY_PORT: String(await freePort()),
  PROXY_HEALTH_PORT: String(await freePort()),
};
const stack = spawn(process.execPath, [new URL('dist/deploy/local/start-stack.js', root).pathname], {
  env: { PATH: process.env.PATH, LOCAL_STATE_DIR: state, CLUSTER_NAME: 'bench', ...ports },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let queuedTexts = 0;
const lines = createInterface({ input: stack.stdout });
await new Promise((resolve, reject) => {
  stack.once('exit', () => reject(new Error('the local stack exited before it was ready')));
  lines.on('line', (line) => {
    if (line === 'ready') resolve();
    if (line.includes('sms.console')) queuedTexts++;
  });
});

const body = readFileSync(new URL('test/fixtures/v1-create-deployment-3-replicas.json', root), 'utf8');
const options = {
  url: `https://127.0.0.1:${ports.PROXY_PORT}/admission?timeout=10s`,
  connections,
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json' },
  tlsOptions: { ca: readFileSync(join(state, 'certs', 'ca.crt'), 'utf8'), servername: 'localhost' },
};
await autocannon({ ...options, duration: 2 }); // warm-up
const result = await autocannon({ ...options, duration: seconds });
stack.kill('SIGTERM');

const summary = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  seconds,
  connections,
  path: 'TLS proxy -> development function host -> decision -> queued text -> notify (console sink)',
  requestsPerSecond: Math.round(result.requests.average),
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  p999Ms: result.latency.p99_9,
  errors: result.errors + result.non2xx + result.timeouts,
  textsSent: queuedTexts, // one: the same Deployment again is a duplicate within the window
};
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL('bench/results/local-path.json', root), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `local path at c=${connections}: ${summary.requestsPerSecond} reviews/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, p99.9 ${summary.p999Ms} ms, ${summary.errors} errors; written to bench/results/local-path.json`,
);
