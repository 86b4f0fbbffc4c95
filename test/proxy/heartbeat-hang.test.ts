// A heartbeat the function never answers: reviews still go through at once, the
// proxy stays ready, no review failure is counted, and heartbeats do not pile up
// (each ends at its timeout, the interval here, and is counted as such).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  functionKey,
  makeCertificates,
  type RunningProxy,
  type SeenRequest,
  send,
  startProxy,
} from '../helpers/proxy-harness.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';

let certs: Certificates;
let running: RunningProxy;
let server: Server;
const heartbeats: SeenRequest[] = [];
const open = new Set<Socket>();

/** Answers reviews as the real function would (allowed), and never answers a heartbeat. */
async function startFunctionThatIgnoresHeartbeats(): Promise<FakeFunction> {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/api/heartbeat') return void heartbeats.push({ headers: req.headers, url: req.url, body });
    const review = JSON.parse(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        apiVersion: review.apiVersion,
        kind: 'AdmissionReview',
        response: { uid: review.request.uid, allowed: true },
      }),
    );
  });
  server.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admission`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, seen: [], connections: 0, openConnections: () => 0, answer: 'allow', close };
}

beforeAll(async () => {
  certs = await makeCertificates();
  const upstream = await startFunctionThatIgnoresHeartbeats();
  running = await startProxy(certs, upstream, { HEARTBEAT_INTERVAL_MS: '300', UPSTREAM_TIMEOUT_MS: '1500' });
});

afterAll(async () => {
  await running.proxy.shutdown();
  server.closeAllConnections();
  server.close();
  expect(secretsFoundIn(running.logs, { functionKey })).toEqual([]);
});

async function heartbeatResults(): Promise<Record<string, number>> {
  const metric = await running.proxy.metrics.heartbeats.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.result), value.value]));
}

describe('a heartbeat the function never answers', () => {
  it('delays no review, changes no readiness, and ends at its timeout without piling up', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400)); // a heartbeat is now hanging
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    for (let index = 0; index < 5; index++) {
      const review = loadFixture('v1-create-deployment-3-replicas.json');
      review.request.uid = `while-hung-${index}`;
      const started = Date.now();
      const answer = await send(running, certs.ca.cert, { body: JSON.stringify(review) });
      expect(answer.json().response.allowed).toBe(true);
      expect(Date.now() - started).toBeLessThan(500);
    }
    expect((await fetch(`http://127.0.0.1:${running.healthPort}/readyz`)).status).toBe(200);
    expect((await running.proxy.metrics.upstreamFailures.get()).values).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await heartbeatResults()).timeout).toBeGreaterThanOrEqual(2);
    expect((await heartbeatResults()).sent).toBeUndefined();
    expect(open.size).toBeLessThanOrEqual(3); // the reviews' kept-alive connection and at most one heartbeat
    expect(running.logs.filter((line) => line.includes('heartbeats to the function fail'))).toHaveLength(1);
  }, 20_000);
});
