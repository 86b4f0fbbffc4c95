// npm run bench (after the in-process benchmarks): the same load, in one run, sent
// straight to a fast local upstream, through a bare Node TLS relay (bench/bare-relay.mjs:
// the Node floor), through our proxy (as it ships: node dist/proxy-image/main.mjs, the
// image's bundle, with its NODE_OPTIONS), through the same relay built on http-proxy and
// on http-proxy-3 (bench/library-relay.mjs: what a proxy library costs), and through nginx
// set up as a TLS reverse proxy when `nginx` is on PATH (the bench installs nothing:
// skipped, with a note, when missing; Debian's nginx-light will do).
// autocannon, concurrency 1, 16 and 64, 10 KB AdmissionReviews. Each server runs in a
// process of its own; for each, its CPU time (user+system, /proc/<pid>/stat; nginx: master
// and workers) over a run is divided by the reviews served in that run. Latency
// percentiles come from autocannon's per-response times (sub-millisecond; its own
// histogram rounds to whole milliseconds). The proxy's resident memory is sampled under
// load. The load generator runs in this process, on the same cores.
// Results: bench/results/proxy.json.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** [ppid, utime + stime in clock ticks] from /proc/<pid>/stat; the name may hold spaces. */
function processStat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3, state
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU microseconds (user + system, all threads) used so far by these processes together. */
function cpuMicros(pids) {
  return pids.reduce((sum, pid) => sum + (processStat(pid).ticks * 1e6) / clockTicksPerSecond, 0);
}

/** A process and its children (nginx: master and workers). */
function withChildren(pid) {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return processStat(name).ppid === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
  return [pid, ...children];
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

const round3 = (n) => Math.round(n * 1000) / 1000;

/** `pids`: the process(es) serving this path, whose CPU per review is reported. */
async function load(url, body, connections, tlsOptions, pids) {
  const options = {
    url,
    connections,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    ...(tlsOptions ? { tlsOptions } : {}),
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: connections open, code optimised
  const latencies = [];
  const cpuBefore = cpuMicros(pids);
  const upstreamBefore = cpuMicros([upstream.pid]);
  const benchBefore = process.cpuUsage();
  const instance = autocannon({ ...options, duration: seconds });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  const benchUsed = process.cpuUsage(benchBefore);
  const cpuUsed = cpuMicros(pids) - cpuBefore;
  const upstreamUsed = cpuMicros([upstream.pid]) - upstreamBefore;
  const served = Math.max(1, result.requests.total);
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    reviews: result.requests.total,
    meanMs: round3(mean),
    // Little's law: ~1.0 when the latencies are consistent with the throughput on `connections`.
    latencyCheck: Math.round(((latencies.length * mean) / 1000 / seconds / connections) * 100) / 100,
    p50Ms: round3(percentile(sorted, 50)),
    p99Ms: round3(percentile(sorted, 99)),
    p999Ms: round3(percentile(sorted, 99.9)),
    cpuUsPerReview: Math.round(cpuUsed / served),
    upstreamCpuUsPerReview: Math.round(upstreamUsed / served),
    loadGeneratorCpuUsPerReview: Math.round((benchUsed.user + benchUsed.system) / served),
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Whether nginx is on PATH. The bench never installs it. */
function nginxOnPath() {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
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
    # nginx closes a connection after 1000 requests by default; autocannon then times every
    # later response from a stale start (latencies grow with the run). The proxy sets no cap.
    keepalive_requests 10000000;
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
      await new Promise((r) => setTimeout(r, 200)); // the worker forks after the listen
      return { process: nginx, port, pids: withChildren(nginx.pid) };
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
/** A relay of bench/ (the bare relay, or one built on a library), with the proxy's Node flags. */
async function startRelay(script, extraEnv = {}) {
  const child = spawn(process.execPath, [new URL(script, root).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=2', // as the proxy runs
      TLS_CERT_FILE: join(directory, 'tls.crt'),
      TLS_KEY_FILE: join(directory, 'tls.key'),
      FUNCTION_URL: `http://127.0.0.1:${upstreamPort}/api/admission`,
      FUNCTION_KEY_FILE: join(directory, 'function-key'),
      ...extraEnv,
    },
  });
  return { child, port: await firstLine(child, (line) => (/^\d+$/.test(line) ? Number(line) : undefined)) };
}
const { child: bare, port: barePort } = await startRelay('bench/bare-relay.mjs');
// What the proxy would cost on a reverse-proxy library: each as a relay of its own.
const libraries = ['http-proxy', 'http-proxy-3'];
const libraryRelays = [];
for (const library of libraries)
  libraryRelays.push({ library, ...(await startRelay('bench/library-relay.mjs', { LIBRARY: library })) });
const nginxSkipped = nginxOnPath()
  ? undefined
  : 'nginx is not on PATH: the nginx path is skipped (the bench never installs it)';
const nginx = nginxSkipped ? undefined : await startNginx(directory, upstreamPort);
// A run that fails midway must not leave servers behind (a stale nginx would hold its port).
process.on('exit', () => {
  for (const child of [proxy, bare, ...libraryRelays.map((relay) => relay.child), upstream, nginx?.process])
    child?.kill();
});
if (nginxSkipped) console.log(nginxSkipped);

const body = tenKilobyteReview();
const tls = { ca: ca.cert, servername: 'localhost' };
console.log(
  `proxy load: ${seconds}s per run, ${Buffer.byteLength(body)} byte reviews, node ${process.version}, ${cpus().length} cores ` +
    '(the load generator runs in this process, on the same cores)',
);
const runs = [];
let peakMiB = residentMiB(proxy.pid);
for (const connections of concurrencies) {
  const direct = await load(`http://127.0.0.1:${upstreamPort}/api/admission`, body, connections, undefined, [
    upstream.pid,
  ]);
  const bareRelay = await load(`https://127.0.0.1:${barePort}/admission?timeout=10s`, body, connections, tls, [
    bare.pid,
  ]);
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, residentMiB(proxy.pid))), 250);
  const ours = await load(`https://127.0.0.1:${proxyPort}/admission?timeout=10s`, body, connections, tls, [proxy.pid]);
  clearInterval(sampler);
  const viaNginx = nginx
    ? await load(`https://127.0.0.1:${nginx.port}/admission`, body, connections, tls, nginx.pids)
    : undefined;
  const viaLibraries = {};
  for (const relay of libraryRelays) {
    const url = `https://127.0.0.1:${relay.port}/admission?timeout=10s`;
    viaLibraries[relay.library] = await load(url, body, connections, tls, [relay.child.pid]);
  }
  runs.push({ connections, direct, bareRelay, proxy: ours, nginx: viaNginx, libraries: viaLibraries });
}

const ratio = (a, b) => (b ? Math.round((a / b) * 100) / 100 : null);
const table = {};
for (const run of runs) {
  for (const [name, result] of [
    ['direct (upstream)', run.direct],
    ['bare relay', run.bareRelay],
    ['proxy', run.proxy],
    ['nginx', run.nginx],
    ...Object.entries(run.libraries).map(([library, result]) => [`${library} relay`, result]),
  ]) {
    if (!result) continue;
    table[`${name}, c=${run.connections}`] = {
      'req/s': result.requestsPerSecond,
      'p50 ms': result.p50Ms,
      'p99 ms': result.p99Ms,
      'CPU µs/review': result.cpuUsPerReview,
      'upstream CPU µs/review': result.upstreamCpuUsPerReview,
      'load gen CPU µs/review': result.loadGeneratorCpuUsPerReview,
      errors: result.errors,
    };
  }
}
console.table(table);

const byConnections = (c) => runs.find((run) => run.connections === c);
const addedP50 = (run, path) => run[path].p50Ms - run.direct.p50Ms;
const c1 = byConnections(1);
const targets = {
  proxyCpuPerReviewVsBareRelay: {
    target: '<= 1.3',
    byConnections: Object.fromEntries(
      runs.map((run) => [run.connections, ratio(run.proxy.cpuUsPerReview, run.bareRelay.cpuUsPerReview)]),
    ),
  },
  proxyThroughputVsNginx: {
    target: '>= 0.7 at c=16 and c=64',
    byConnections: nginx
      ? Object.fromEntries(
          [16, 64].map((c) => [
            c,
            ratio(byConnections(c).proxy.requestsPerSecond, byConnections(c).nginx.requestsPerSecond),
          ]),
        )
      : null,
    ...(nginxSkipped ? { skipped: nginxSkipped } : {}),
  },
  addedP50AtC1VsBareRelay: {
    target: '<= 1.2',
    proxyAddedMs: round3(addedP50(c1, 'proxy')),
    bareRelayAddedMs: round3(addedP50(c1, 'bareRelay')),
    ratio: ratio(addedP50(c1, 'proxy'), addedP50(c1, 'bareRelay')),
  },
};
targets.proxyCpuPerReviewVsBareRelay.met = Object.values(targets.proxyCpuPerReviewVsBareRelay.byConnections).every(
  (r) => r !== null && r <= 1.3,
);
targets.proxyThroughputVsNginx.met = nginx
  ? Object.values(targets.proxyThroughputVsNginx.byConnections).every((r) => r !== null && r >= 0.7)
  : null;
targets.addedP50AtC1VsBareRelay.met =
  targets.addedP50AtC1VsBareRelay.ratio !== null && targets.addedP50AtC1VsBareRelay.ratio <= 1.2;

const summary = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  note: 'the load generator (autocannon) runs in the bench process on the same cores as every server',
  seconds,
  bodyBytes: Buffer.byteLength(body),
  cpu: 'user+system time of the serving process(es) over the measured run (/proc/<pid>/stat, nginx: master + workers) / reviews served; upstreamCpuUsPerReview: the fast upstream over the same run, for reference',
  latency: 'from every 2xx response time autocannon reports (sub-millisecond), measured run only',
  ...(nginxSkipped ? { nginxSkipped } : {}),
  targets,
  runs: runs.map((run) => ({
    ...run,
    proxyVsBareRelay: {
      cpuPerReview: ratio(run.proxy.cpuUsPerReview, run.bareRelay.cpuUsPerReview),
      throughput: ratio(run.proxy.requestsPerSecond, run.bareRelay.requestsPerSecond),
      p50: ratio(run.proxy.p50Ms, run.bareRelay.p50Ms),
      p99: ratio(run.proxy.p99Ms, run.bareRelay.p99Ms),
    },
    libraryRelaysVsBareRelay: Object.fromEntries(
      Object.entries(run.libraries).map(([library, result]) => [
        library,
        { cpuPerReview: ratio(result.cpuUsPerReview, run.bareRelay.cpuUsPerReview) },
      ]),
    ),
    proxyVsNginx: run.nginx
      ? {
          throughput: ratio(run.proxy.requestsPerSecond, run.nginx.requestsPerSecond),
          cpuPerReview: ratio(run.proxy.cpuUsPerReview, run.nginx.cpuUsPerReview),
          p99: ratio(run.proxy.p99Ms, run.nginx.p99Ms),
        }
      : null,
    proxyVsDirect: {
      throughput: ratio(run.proxy.requestsPerSecond, run.direct.requestsPerSecond),
      addedMeanMs: round3(run.proxy.meanMs - run.direct.meanMs),
      addedP50Ms: round3(run.proxy.p50Ms - run.direct.p50Ms),
    },
  })),
  proxyPeakResidentMiB: Math.round(peakMiB),
};
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL('bench/results/proxy.json', root), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(targets, null, 1));
console.log(`proxy peak resident memory: ${summary.proxyPeakResidentMiB} MiB; written to bench/results/proxy.json`);

const children = [proxy, bare, ...libraryRelays.map((relay) => relay.child), upstream, nginx?.process].filter(Boolean);
for (const child of children) child.kill('SIGTERM');
await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
rmSync(directory, { recursive: true, force: true }); // the key, certificates and nginx's logs
const everyResult = (run) => [run.direct, run.bareRelay, run.proxy, run.nginx, ...Object.values(run.libraries)];
if (runs.some((run) => everyResult(run).some((result) => (result?.errors ?? 0) > 0))) {
  console.error('errors under load');
  process.exit(1);
}
