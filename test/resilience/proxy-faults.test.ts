// Resilience of the proxy: every fault of the function, under concurrent load, still
// gets each request a well-formed answer for its own uid; slow and huge requests are
// cut off without being buffered; no secret reaches a log line.
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type FakeFunction, type ReviewAnswer, send, serviceName } from '../helpers/proxy-harness.js';
import { proxyForThisFile } from '../helpers/proxy-under-test.js';

const perFault = Number(process.env.RESILIENCE_FAULT_REQUESTS ?? 200);
const concurrency = 32;

const under = proxyForThisFile({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });

afterEach(() => {
  under.upstream.answer = 'allow';
});

/** Sends `total` reviews, `concurrency` at a time, each with its own uid. */
async function underLoad(total: number, path = '/admission?timeout=10s') {
  const template = loadFixture('v1-create-deployment-3-replicas.json');
  const answers: { sent: string; received: ReviewAnswer | undefined; status: number; serial: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const uid = `load-${next++}`;
        template.request.uid = uid;
        const answer = await send(under.running, under.certs.ca.cert, { body: JSON.stringify(template), path });
        answers.push({
          sent: uid,
          received: answer.status === 200 ? answer.json() : undefined,
          status: answer.status,
          serial: answer.peerCertificateSerial,
        });
      }
    }),
  );
  return answers;
}

describe('faults of the function, under load', () => {
  it.each<[string, FakeFunction['answer'] | 'down', string]>([
    ['answers 500', 'status-500', 'answered HTTP 500'],
    ['throttles (429)', { status: 429, text: 'Too Many Requests' }, 'refused the review (HTTP 429)'],
    ['answers invalid JSON', 'not-json', 'not an AdmissionReview'],
    ['answers for the wrong uid', 'wrong-uid', 'uid mismatch'],
    ['resets connections mid-request', 'reset', 'could not connect (ECONNRESET)'],
    ['hangs', 'hang', 'timed out after 1s'],
  ])(
    'every review gets its own uid back, denied, when the function %s',
    async (_what, fault, reason) => {
      under.upstream.answer = fault as FakeFunction['answer'];
      const total = fault === 'hang' ? Math.min(perFault, 64) : perFault;
      const answers = await underLoad(total, fault === 'hang' ? '/admission?timeout=2s' : undefined);
      expect(answers).toHaveLength(total);
      for (const { sent, received, status } of answers) {
        expect(status).toBe(200);
        expect(received?.response).toMatchObject({ uid: sent, allowed: false, status: { code: 503 } });
        expect(received?.response.status?.message).toContain(reason);
      }
    },
    120_000,
  );

  it('every review gets its own uid back when the function is healthy', async () => {
    const answers = await underLoad(perFault);
    expect(new Set(answers.map((answer) => answer.received?.response.uid)).size).toBe(perFault);
    expect(
      answers.every(({ sent, received }) => received?.response.uid === sent && received.response.allowed === true),
    ).toBe(true);
  }, 120_000);
});

describe('rotation under load', () => {
  it('fails no handshake and no review while the certificate is rotated mid-load', async () => {
    let loading = true;
    let rotated = 0;
    const rotations = (async () => {
      while (loading) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await under.certs.rotate();
        rotated++;
      }
    })();
    const answers = await underLoad(perFault); // every request opens a new TLS connection
    loading = false;
    await rotations;
    expect(rotated).toBeGreaterThanOrEqual(3);
    expect(new Set(answers.map((answer) => answer.serial)).size).toBeGreaterThan(1); // the new pairs were served
    expect(answers.every(({ sent, received, status }) => status === 200 && received?.response.uid === sent)).toBe(true);
  }, 120_000);
});

describe('hostile clients', () => {
  function rawConnection() {
    return connect({ host: '127.0.0.1', port: under.running.port, servername: serviceName, ca: under.certs.ca.cert });
  }

  function closed(socket: ReturnType<typeof rawConnection>): Promise<{ afterMs: number; received: string }> {
    const started = Date.now();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += String(chunk)));
    return new Promise((resolve) => socket.on('close', () => resolve({ afterMs: Date.now() - started, received })));
  }

  it('cuts off a client that sends its headers too slowly (slowloris)', async () => {
    const socket = rawConnection();
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const result = closed(socket);
    socket.write('POST /admission HTTP/1.1\r\nhost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('x-slow: 1\r\n'), 200);
    const { afterMs, received } = await result;
    clearInterval(drip);
    expect(afterMs).toBeLessThan(4000);
    expect(received).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('cuts off a body that trickles in', async () => {
    const socket = rawConnection();
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const result = closed(socket);
    socket.write(
      'POST /admission HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    const { afterMs } = await result;
    clearInterval(drip);
    expect(afterMs).toBeLessThan(5000);
  });

  it('refuses a declared 100 MB body at once, before any of it is sent', async () => {
    const socket = rawConnection();
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const result = closed(socket);
    socket.write(
      `POST /admission HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n`,
    );
    const { received } = await result;
    expect(received).toMatch(/^HTTP\/1\.1 413/);
  });

  it('stops reading a streamed 100 MB body at the 7 MiB limit, without buffering the rest', async () => {
    const before = process.memoryUsage().rss;
    const socket = rawConnection();
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const result = closed(socket);
    socket.on('error', () => {}); // the proxy hangs up while we are still writing
    socket.write(
      'POST /admission HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n',
    );
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    while (sent < 100 && socket.writable) {
      const written = [socket.write(`${chunk.length.toString(16)}\r\n`), socket.write(chunk), socket.write('\r\n')];
      const ok = written.every(Boolean);
      sent++;
      if (!ok) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), result]);
    }
    const { received } = await result;
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(100); // it hung up long before the end
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});
