// The built proxy as the container runs it (`node main.mjs` in dist/proxy-image, or
// wherever an image copy of it was made), in a child process, configured for the
// test's certificates and fake function.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';
import { type Certificates, type FakeFunction, makeCertificates, startFakeFunction } from './proxy-harness.js';

export const proxyImageDirectory = fileURLToPath(new URL('../../dist/proxy-image/', import.meta.url));

interface Listening {
  readonly port: number;
  readonly healthPort: number;
}

export function startBuiltProxy(
  certs: Certificates,
  upstream: FakeFunction,
  env: Record<string, string>,
  image: { readonly directory: string; readonly command: readonly string[] } = {
    directory: proxyImageDirectory,
    command: ['node', 'main.mjs'],
  },
) {
  const [, ...args] = image.command; // "node": this test's own Node
  const child = spawn(process.execPath, args, {
    cwd: image.directory,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      TLS_CERT_FILE: certs.certFile,
      TLS_KEY_FILE: certs.keyFile,
      FUNCTION_URL: upstream.url,
      FUNCTION_KEY_FILE: certs.keyFileForFunction,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  child.stderr.on('data', (chunk: Buffer) => lines.push(String(chunk)));
  const listening = vi.waitFor(
    (): Listening => {
      const entries: { msg?: string; port?: number; healthPort?: number }[] = lines.map((text) => JSON.parse(text));
      const line = entries.find((entry) => entry.msg === 'admission proxy listening');
      if (line?.port === undefined || line.healthPort === undefined) throw new Error('not listening yet');
      return { port: line.port, healthPort: line.healthPort };
    },
    { timeout: 10_000 },
  );
  return { child, lines, listening };
}

/** The heap options the proxy image sets (proxy/Dockerfile), to run the bundle as it runs there. */
export const imageNodeOptions = '--max-old-space-size=64 --max-semi-space-size=2';

/** A process's peak resident memory so far (VmHWM in /proc/<pid>/status), in bytes. */
export function peakResidentBytes(pid: number): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line?.[1]) throw new Error(`no VmHWM for process ${pid}`);
  return Number(line[1]) * 1024;
}

export interface BuiltProxyUnderTest {
  readonly certs: Certificates;
  readonly upstream: FakeFunction;
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * The built proxy for a whole test file, with its certificates and fake function:
 * started before the first test, killed after the last. The fields are set once
 * beforeAll has run.
 */
export function builtProxyForThisFile(env: Record<string, string>): BuiltProxyUnderTest {
  const under: { certs?: Certificates; upstream?: FakeFunction; child?: ChildProcess; port?: number } = {};
  beforeAll(async () => {
    under.certs = await makeCertificates();
    under.upstream = await startFakeFunction();
    const started = startBuiltProxy(under.certs, under.upstream, env);
    under.child = started.child;
    ({ port: under.port } = await started.listening);
  }, 20_000);
  afterAll(async () => {
    under.child?.kill('SIGKILL');
    await under.upstream?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the built proxy is not started yet: read it inside a test');
    return value;
  };
  return {
    get certs() {
      return ready(under.certs);
    },
    get upstream() {
      return ready(under.upstream);
    },
    get child() {
      return ready(under.child);
    },
    get port() {
      return ready(under.port);
    },
  };
}
