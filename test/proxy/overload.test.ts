// The proxy's bounds on what clients can make it hold: request-body bytes in flight
// (MAX_BUFFERED_BYTES: over it, 503 OVERLOADED before the body is read) and
// connections (MAX_CONNECTIONS: more are closed as they arrive).
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { maxReviewBytes } from '../../functions/core/wire.js';
import { loadFixture } from '../helpers/fixtures.js';
import { send, serviceName } from '../helpers/proxy-harness.js';
import { type ProxyUnderTest, proxyForThisFile } from '../helpers/proxy-under-test.js';

const oneReview = proxyForThisFile({ MAX_BUFFERED_BYTES: String(maxReviewBytes) });
const threeConnections = proxyForThisFile({ MAX_CONNECTIONS: '3' });
const review = () => JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));

/** A TLS connection that declares a largest body and sends only its first bytes. */
async function startLargestBody(under: ProxyUnderTest): Promise<TLSSocket> {
  const socket = connectTls({
    host: '127.0.0.1',
    port: under.running.port,
    servername: serviceName,
    ca: under.certs.ca.cert,
  });
  socket.on('error', () => {}); // destroyed by the test
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  socket.write(
    `POST /admission HTTP/1.1\r\nhost: proxy\r\ncontent-type: application/json\r\ncontent-length: ${maxReviewBytes}\r\n\r\n{"apiVersion":`,
  );
  return socket;
}

describe('MAX_BUFFERED_BYTES', () => {
  it('answers 503 OVERLOADED at once while the budget is held, and serves again once it is freed', async () => {
    const holder = await startLargestBody(oneReview);
    await expect.poll(() => oneReview.running.proxy.inFlight()).toBe(1);
    const started = performance.now();
    const refused = await send(oneReview.running, oneReview.certs.ca.cert, { body: review() });
    expect(refused.status).toBe(503);
    expect(refused.text).toBe('OVERLOADED: too many request bytes in flight; retry shortly\n');
    expect(refused.headers.connection).toBe('close');
    expect(performance.now() - started).toBeLessThan(500);

    holder.destroy();
    await expect.poll(() => oneReview.running.proxy.inFlight()).toBe(0);
    const served = await send(oneReview.running, oneReview.certs.ca.cert, { body: review() });
    expect(served.json().response.allowed).toBe(true);
  });
});

describe('MAX_CONNECTIONS', () => {
  it('closes connections over the cap as they arrive, and serves again once there is room', async () => {
    const { port } = threeConnections.running;
    const held: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = connectTcp({ host: '127.0.0.1', port });
      await new Promise((resolve) => socket.once('connect', resolve));
      held.push(socket);
    }
    await expect(send({ port }, threeConnections.certs.ca.cert, { body: review() })).rejects.toThrow();
    for (const socket of held) socket.destroy();
    await expect
      .poll(async () => (await send({ port }, threeConnections.certs.ca.cert, { body: review() })).status)
      .toBe(200);
  });
});
