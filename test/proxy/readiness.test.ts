// /readyz follows the function: UNREACHABLE_AFTER calls in a row that cannot connect
// make the proxy unready (FAILURE_MODE=closed only), a probe brings it back when the
// function answers again; and a pool with every connection busy makes it unready.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../proxy/logger.js';
import { createProxyMetrics } from '../../proxy/metrics.js';
import { sendToFunction } from '../../proxy/upstream-agent.js';
import { createUpstreamHealth } from '../../proxy/upstream-health.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  makeCertificates,
  type RunningProxy,
  send,
  startFakeFunction,
  startProxy,
} from '../helpers/proxy-harness.js';

const review = JSON.stringify(loadFixture('v1-create-deployment-2-replicas.json'));

let certs: Certificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

const readyz = async (running: RunningProxy) => (await fetch(`http://127.0.0.1:${running.healthPort}/readyz`)).status;

describe.each([
  ['closed', 503],
  ['open', 200],
])('FAILURE_MODE=%s: after 3 unreachable calls in a row', (mode, expected) => {
  let upstream: FakeFunction;
  let running: RunningProxy;
  beforeAll(async () => {
    upstream = await startFakeFunction();
    const env = { FAILURE_MODE: mode, UNREACHABLE_AFTER: '3', PROBE_INTERVAL_MS: '100' };
    running = await startProxy(certs, upstream, env);
  });
  afterAll(async () => {
    await running.proxy.shutdown();
    await upstream.close();
  });

  it(`/readyz answers ${expected}, and 200 again once the function answers`, async () => {
    upstream.answer = 'reset'; // the connection is cut: "could not connect"
    for (let call = 0; call < 2; call++)
      expect((await send(running, certs.ca.cert, { body: review })).status).toBe(200);
    expect(await readyz(running)).toBe(200); // two are not three
    await send(running, certs.ca.cert, { body: review });
    expect(await readyz(running)).toBe(expected);
    upstream.answer = 'allow'; // the probe's GET gets the function's 400: an answer, so reachable
    await vi.waitFor(async () => expect(await readyz(running)).toBe(200), { timeout: 3000, interval: 50 });
    expect((await send(running, certs.ca.cert, { body: review })).json().response.allowed).toBe(true);
  });
});

describe('the upstream pool', () => {
  it('is not ready while calls wait for a connection, and ready once they have one', async () => {
    const held: import('node:http').ServerResponse[] = [];
    const server = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const logger = createLogger('fatal');
    const metrics = createProxyMetrics();
    const send = sendToFunction(url);
    const health = createUpstreamHealth({ agent, send, metrics, logger, unreachableAfter: 3, probeIntervalMs: 100 });
    const calls = [0, 1].map(() => request(url, { agent }).on('error', () => undefined));
    for (const call of calls) call.end();
    expect(health.ready()).toBe(false); // the second waits for the one socket
    await vi.waitFor(() => expect(held).toHaveLength(1));
    held[0]?.end();
    await vi.waitFor(() => expect(health.ready()).toBe(true));
    for (const res of held) res.end();
    agent.destroy();
    health.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
