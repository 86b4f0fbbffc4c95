// SIGTERM on the built proxy (`node dist/proxy/main.js`, as the container runs it):
// it reports not ready, finishes what is in flight, and exits 0.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBuiltProxy } from '../helpers/built-proxy.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  makeCertificates,
  send,
  startFakeFunction,
} from '../helpers/proxy-harness.js';

const review = JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));

let certs: Certificates;
let upstream: FakeFunction;
beforeAll(async () => {
  certs = await makeCertificates();
  upstream = await startFakeFunction();
});
afterAll(() => upstream.close());

describe('proxy shutdown', () => {
  it('finishes an in-flight review after SIGTERM, fails readiness meanwhile, and exits 0', async () => {
    let release = () => {};
    upstream.answer = { gate: new Promise<void>((resolve) => (release = resolve)) };
    const { child, lines, listening } = startBuiltProxy(certs, upstream, {
      SHUTDOWN_DELAY_MS: '300',
      SHUTDOWN_GRACE_MS: '5000',
    });
    const { port, healthPort } = await listening;

    const inFlight = send({ port }, certs.ca.cert, { body: review });
    await vi.waitFor(() => expect(upstream.seen).toHaveLength(1));
    child.kill('SIGTERM');
    await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(503));

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.json().response.allowed).toBe(true);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines.join('\n')).not.toContain('fk_test_');
  });

  it('refuses to start with a bad setting, naming it and not its value', async () => {
    const { child, lines } = startBuiltProxy(certs, upstream, {
      FAILURE_MODE: 'sometimes',
      FUNCTION_KEY: 'secret-key-value',
      FUNCTION_KEY_FILE: '',
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(lines.join('')).toContain('FAILURE_MODE must be "closed" or "open"');
    expect(lines.join('')).not.toContain('sometimes');
    expect(lines.join('')).not.toContain('secret-key-value');
  });
});
