// npm run bench (after the in-process benchmarks): the same load, in one run, sent
// straight to a fast local upstream (the floor), through our proxy (as it ships:
// node dist/proxy-image/main.mjs, the image's bundle, with its NODE_OPTIONS), and through nginx set up as
// a TLS reverse proxy (Debian's nginx-light, installed when missing and allowed).
// autocannon, concurrency 1, 16 and 64, 10 KB AdmissionReviews. Each server runs in a
// process of its own; the proxy's resident memory is sampled under load.
// Results: bench/results/proxy.json.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createCertificateAuthority, issueServingCertificate } from '../../dist/certs/issue-certificates.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrencies = [1, 16, 64];
const root = new URL('../../', import.meta.url);
const functionKey = 'bench-function-key';

function tenKilobyteReview() {
  const review = JSON.parse(readFileSync(new URL('test/fixtures/v1-create-deployment-3-replicas.json', root), 'utf8'));
  const size = Buffer.byteLength(JSON.stringify(review));
  review.request.object.metadata.annotations['bench/padding'] = 'x'.repeat(Math.max(0, 10 * 1024 - size - 20));
  return JSON.stringify(review);
}

async function firstLine(child, match) {
  for await (const line of createInterface({ input: child.stdout })) {
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

async function load(url, body, connections, tlsOptions) {
  const options = {
    url,
    connections,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    ...(tlsOptions ? { tlsOptions } : {}),
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: connections open, code optimised
  const result = await autocannon({ ...options, duration: seconds });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    meanMs: Math.round(result.latency.mean * 100) / 100,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p999Ms: result.latency.p99_9,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** nginx on PATH, installing Debian's nginx-light when root and it is missing. */
function ensureNginx() {
  const found = () => {
    try {
      execFileSync('nginx', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (found()) return true;
  if (process.getuid?.() !== 0) return false;
  console.log('installing nginx-light (Debian) for the comparison');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    return false;
  }
  return found();
}

async function startNginx(directory, upstreamPort) {
  const port = 18_443;
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(directory, sub), { recursive: true });
  writeFileSync(
    join(directory, 'nginx.conf'),
    `
worker_processes 1;
daemon off;
user root;
pid ${directory}/nginx.pid;
error_log ${directory}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${directory}/access.log combined buffer=64k;
  client_body_temp_path ${directory}/body; proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi; uwsgi_temp_path ${directory}/uwsgi; scgi_temp_path ${directory}/scgi;
  client_max_body_size 7m; client_body_buffer_size 7m;
  upstream function { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${directory}/tls.crt; ssl_certificate_key ${directory}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /admission {
      proxy_pass http://function/api/admission;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header x-functions-key "${functionKey}";
      proxy_read_timeout 8s;
    }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-c', join(directory, 'nginx.conf'), '-p', directory], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let tries = 0; tries < 50; tries++) {
    try {
      execFileSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
      return { process: nginx, port };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nginx did not start; see ${directory}/error.log`);
}

const directory = mkdtempSync(join(tmpdir(), 'proxy-bench-'));
const ca = await createCertificateAuthority('bench CA', 1);
const pair = await issueServingCertificate(ca, {
  commonName: 'bench',
  names: ['127.0.0.1', 'localhost'],
  validDays: 1,
});
writeFileSync(join(directory, 'tls.crt'), pair.cert);
writeFileSync(join(directory, 'tls.key'), pair.key);
writeFileSync(join(directory, 'function-key'), functionKey);

const upstream = spawn(process.execPath, [new URL('test/bench/fast-upstream.mjs', root).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const upstreamPort = await firstLine(upstream, (line) => (/^\d+$/.test(line) ? Number(line) : undefined));
const proxy = spawn(process.execPath, [new URL('dist/proxy-image/main.mjs', root).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    PATH: process.env.PATH,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_DELAY_MS: '0',
    LOG_LEVEL: 'info',
    // As proxy/Dockerfile sets it: the live heap stays under 20 MiB.
    NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=2',
    TLS_CERT_FILE: join(directory, 'tls.crt'),
    TLS_KEY_FILE: join(directory, 'tls.key'),
    FUNCTION_URL: `http://127.0.0.1:${upstreamPort}/api/admission`,
    FUNCTION_KEY_FILE: join(directory, 'function-key'),
  },
});
const proxyPort = await firstLine(proxy, (line) => {
  const entry = JSON.parse(line);
  return entry.msg === 'admission proxy listening' ? entry.port : undefined;
});
const nginx = ensureNginx() ? await startNginx(directory, upstreamPort) : undefined;
if (!nginx) console.log('nginx not available: comparing with the direct upstream only');

const body = tenKilobyteReview();
const tls = { ca: ca.cert, servername: 'localhost' };
console.log(
  `proxy load: ${seconds}s per run, ${Buffer.byteLength(body)} byte reviews, node ${process.version}, ${cpus().length} cores`,
);
const runs = [];
let peakMiB = residentMiB(proxy.pid);
for (const connections of concurrencies) {
  const direct = await load(`http://127.0.0.1:${upstreamPort}/api/admission`, body, connections);
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, residentMiB(proxy.pid))), 250);
  const ours = await load(`https://127.0.0.1:${proxyPort}/admission?timeout=10s`, body, connections, tls);
  clearInterval(sampler);
  const viaNginx = nginx ? await load(`https://127.0.0.1:${nginx.port}/admission`, body, connections, tls) : undefined;
  runs.push({ connections, direct, proxy: ours, nginx: viaNginx });
}

const ratio = (a, b) => (b ? Math.round((a / b) * 100) / 100 : null);
const table = {};
for (const run of runs) {
  table[`direct, c=${run.connections}`] = run.direct;
  table[`proxy, c=${run.connections}`] = run.proxy;
  if (run.nginx) table[`nginx, c=${run.connections}`] = run.nginx;
}
console.table(table);
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  seconds,
  bodyBytes: Buffer.byteLength(body),
  runs: runs.map((run) => ({
    ...run,
    proxyVsNginx: run.nginx
      ? {
          throughput: ratio(run.proxy.requestsPerSecond, run.nginx.requestsPerSecond),
          p99: ratio(run.proxy.p99Ms, run.nginx.p99Ms),
        }
      : null,
    proxyVsDirect: {
      throughput: ratio(run.proxy.requestsPerSecond, run.direct.requestsPerSecond),
      addedMeanMs: Math.round((run.proxy.meanMs - run.direct.meanMs) * 100) / 100,
    },
  })),
  proxyPeakResidentMiB: Math.round(peakMiB),
};
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL('bench/results/proxy.json', root), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  JSON.stringify(
    summary.runs.map((run) => ({ c: run.connections, vsNginx: run.proxyVsNginx, vsDirect: run.proxyVsDirect })),
    null,
    1,
  ),
);
console.log(`proxy peak resident memory: ${summary.proxyPeakResidentMiB} MiB; written to bench/results/proxy.json`);

for (const child of [proxy, upstream, nginx?.process].filter(Boolean)) child.kill('SIGTERM');
await Promise.all([once(proxy, 'exit'), once(upstream, 'exit'), ...(nginx ? [once(nginx.process, 'exit')] : [])]);
if (runs.some((run) => run.direct.errors + run.proxy.errors + (run.nginx?.errors ?? 0) > 0)) {
  console.error('errors under load');
  process.exit(1);
}
