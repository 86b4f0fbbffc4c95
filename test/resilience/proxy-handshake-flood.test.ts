// 2,000 TCP connections to the built proxy that never send a ClientHello: each is
// closed once HANDSHAKE_TIMEOUT_MS passes, reviews are answered meanwhile, and the
// proxy's peak resident memory stays far below the container's limit.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { builtProxyForThisFile, imageNodeOptions, peakResidentBytes } from '../helpers/built-proxy.js';
import { loadFixture } from '../helpers/fixtures.js';
import { send } from '../helpers/proxy-harness.js';

const silentConnections = 2000;
const handshakeTimeoutMs = 1000;

const under = builtProxyForThisFile({
  NODE_OPTIONS: imageNodeOptions,
  HANDSHAKE_TIMEOUT_MS: String(handshakeTimeoutMs),
  // Above the flood, so that this test is about the timeout; the cap is tested beside the proxy.
  MAX_CONNECTIONS: '4096',
});

interface Silent {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  /** How long it stayed open once connected, or -1 when it never connected. */
  readonly closed: Promise<number>;
}

/** Opens a TCP connection that sends nothing. */
function silentConnection(): Silent {
  const socket = connect({ host: '127.0.0.1', port: under.port });
  let openedAt = 0;
  const connected = new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
  void connected.then(() => {
    openedAt = performance.now();
  });
  socket.on('error', () => {}); // a reset is a close too
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(openedAt === 0 ? -1 : performance.now() - openedAt)),
  );
  return { socket, connected, closed };
}

/**
 * Opens them in waves within the listen backlog (511): a burst beyond it has SYNs
 * dropped and retried by the kernel, seconds later, which would time the kernel.
 */
async function openSilentConnections(count: number): Promise<Silent[]> {
  const all: Silent[] = [];
  while (all.length < count) {
    const wave = Array.from({ length: Math.min(250, count - all.length) }, silentConnection);
    await Promise.all(wave.map(({ connected }) => connected));
    all.push(...wave);
  }
  return all;
}

describe('connections that never start a TLS handshake', () => {
  it('are closed after the handshake timeout while reviews are answered', async () => {
    const silent = await openSilentConnections(silentConnections);
    const review = JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send({ port: under.port }, under.certs.ca.cert, { body: review })),
    );
    expect(answers.map((answer) => answer.json().response.allowed)).toEqual(Array(10).fill(true));
    expect(performance.now() - started).toBeLessThan(handshakeTimeoutMs);

    const openFor = await Promise.all(silent.map(({ closed }) => closed));
    for (const { socket } of silent) socket.destroy();
    expect(openFor.filter((ms) => ms < 0)).toEqual([]); // every one was accepted
    // Timed from the client's connect callback, which a loaded machine runs late: the
    // server's timer started earlier. Closed by the timeout, not at once, is what counts.
    expect(Math.min(...openFor)).toBeGreaterThanOrEqual(handshakeTimeoutMs - 250);
    expect(Math.max(...openFor)).toBeLessThan(handshakeTimeoutMs + 2000);

    const after = await send({ port: under.port }, under.certs.ca.cert, { body: review });
    expect(after.json().response.allowed).toBe(true);
    const peak = peakResidentBytes(under.child.pid ?? 0);
    console.info(
      `proxy peak resident memory with ${silentConnections} silent connections: ${(peak / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(peak).toBeLessThan(256 * 1024 * 1024);
  }, 30_000);
});
