// npm run bench (after the in-process benchmarks): the same load sent straight to a
// fast local upstream and through the proxy, in one run. autocannon, concurrency 64,
// 10 KB AdmissionReview bodies. The upstream and the proxy each run in a process of
// their own (the proxy as it ships: node dist/proxy/main.js); the proxy's resident
// memory is sampled while it is under load.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createCertificateAuthority, issueServingCertificate } from '../../dist/certs/issue-certificates.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const root = new URL('../../', import.meta.url);

function tenKilobyteReview() {
  const review = JSON.parse(readFileSync(new URL('test/fixtures/v1-create-deployment-3-replicas.json', root), 'utf8'));
  const size = Buffer.byteLength(JSON.stringify(review));
  review.request.object.metadata.annotations['bench/padding'] = 'x'.repeat(Math.max(0, 10 * 1024 - size - 20));
  return JSON.stringify(review);
}

async function firstLine(child, match) {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const found = match(line);
    if (found !== undefined) {
      child.stdout.resume(); // keep draining: the proxy logs every request
      return found;
    }
  }
  throw new Error('child exited before it was ready');
}

function residentMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(url, body, tlsOptions, connections = 64) {
  const options = { url, connections, method: 'POST', body, headers: { 'content-type': 'application/json' }, ...(tlsOptions ? { tlsOptions } : {}) };
  await autocannon({ ...options, duration: 2 }); // warm-up: connections open, code optimised
  const result = await autocannon({ ...options, duration: seconds });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    meanMs: Math.round(result.latency.mean * 100) / 100, p50Ms: result.latency.p50, p99Ms: result.latency.p99, p999Ms: result.latency.p99_9 ?? result.latency['p99.9'],
    errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts,
  };
}

const directory = mkdtempSync(join(tmpdir(), 'proxy-bench-'));
const ca = await createCertificateAuthority('bench CA', 1);
const pair = await issueServingCertificate(ca, { commonName: 'bench', names: ['127.0.0.1', 'localhost'], validDays: 1 });
writeFileSync(join(directory, 'tls.crt'), pair.cert);
writeFileSync(join(directory, 'tls.key'), pair.key);
writeFileSync(join(directory, 'function-key'), 'bench-function-key');

const upstream = spawn(process.execPath, [new URL('test/bench/fast-upstream.mjs', root).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const upstreamPort = await firstLine(upstream, (line) => (/^\d+$/.test(line) ? Number(line) : undefined));
const proxy = spawn(process.execPath, [...(process.env.PROXY_NODE_ARGS ? process.env.PROXY_NODE_ARGS.split(' ') : []), new URL('dist/proxy/main.js', root).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    PATH: process.env.PATH, PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'info',
    // As proxy/Dockerfile sets it: the live heap is under 20 MiB, so a small old space
    // keeps resident memory down at no cost in throughput.
    NODE_OPTIONS: process.env.PROXY_NODE_OPTIONS ?? '--max-old-space-size=64 --max-semi-space-size=2',
    TLS_CERT_FILE: join(directory, 'tls.crt'), TLS_KEY_FILE: join(directory, 'tls.key'),
    FUNCTION_URL: `http://127.0.0.1:${upstreamPort}/api/admission`, FUNCTION_KEY_FILE: join(directory, 'function-key'),
  },
});
const proxyPort = await firstLine(proxy, (line) => {
  const entry = JSON.parse(line);
  return entry.msg === 'admission proxy listening' ? entry.port : undefined;
});

const body = tenKilobyteReview();
console.log(`proxy load: ${seconds}s per run, concurrency 64 and 1, ${Buffer.byteLength(body)} byte reviews, node ${process.version}`);
const directUrl = `http://127.0.0.1:${upstreamPort}/api/admission`;
const proxyUrl = `https://127.0.0.1:${proxyPort}/admission?timeout=10s`;
const tls = { ca: ca.cert, servername: 'localhost' };
const direct = await load(directUrl, body);
let peakMiB = residentMiB(proxy.pid);
const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, residentMiB(proxy.pid))), 250);
const proxied = await load(proxyUrl, body, tls);
clearInterval(sampler);
// One request at a time: what the proxy adds to a single review, without queueing.
const directSerial = await load(directUrl, body, undefined, 1);
const proxiedSerial = await load(proxyUrl, body, tls, 1);

const summary = {
  direct,
  proxied,
  directSerial,
  proxiedSerial,
  addedP50Ms: Math.round((proxied.p50Ms - direct.p50Ms) * 100) / 100,
  addedMeanMsSerial: Math.round((proxiedSerial.meanMs - directSerial.meanMs) * 100) / 100,
  throughputKept: Math.round((proxied.requestsPerSecond / direct.requestsPerSecond) * 100) / 100,
  proxyPeakResidentMiB: Math.round(peakMiB),
};
console.table({ 'direct, c=64': direct, 'through proxy, c=64': proxied, 'direct, c=1': directSerial, 'through proxy, c=1': proxiedSerial });
console.log(JSON.stringify(summary, null, 2));

proxy.kill('SIGTERM');
upstream.kill('SIGTERM');
await Promise.all([once(proxy, 'exit'), once(upstream, 'exit')]);
if (direct.errors + proxied.errors + proxied.non2xx > 0) {
  console.error('errors under load');
  process.exit(1);
}
