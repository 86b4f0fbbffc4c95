// The built proxy as the container runs it (`node dist/proxy/main.js`), in a child
// process, configured for the test's certificates and fake function.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import type { Certificates, FakeFunction } from './proxy-harness.js';

const main = fileURLToPath(new URL('../../dist/proxy/main.js', import.meta.url));

export function startBuiltProxy(certs: Certificates, upstream: FakeFunction, env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH, PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1',
      TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.keyFile,
      FUNCTION_URL: upstream.url, FUNCTION_KEY_FILE: certs.keyFileForFunction, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  child.stderr.on('data', (chunk: Buffer) => lines.push(String(chunk)));
  const listening = vi.waitFor(() => {
    const line = lines.map((text) => JSON.parse(text)).find((entry) => entry.msg === 'admission proxy listening');
    if (!line) throw new Error('not listening yet');
    return { port: line.port as number, healthPort: line.healthPort as number };
  }, { timeout: 10_000 });
  return { child, lines, listening };
}
