// SIGTERM to the built proxy in the middle of load, as a rolling update does it: the
// pod turns not ready, Kubernetes stops sending it new connections, and whatever the
// proxy had already accepted must still be answered, each with its own uid.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltProxy } from '../helpers/built-proxy.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  functionKey,
  makeCertificates,
  send,
  startFakeFunction,
} from '../helpers/proxy-harness.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';

const concurrency = 32;
let certs: Certificates;
let upstream: FakeFunction;
beforeAll(async () => {
  certs = await makeCertificates();
  upstream = await startFakeFunction();
  upstream.answer = { delayMs: 25 }; // a function that takes a little time: requests overlap the signal
});
afterAll(() => upstream.close());

describe('SIGTERM under load', () => {
  it('answers every review it accepted, each with its own uid, and exits 0', async () => {
    const { child, lines, listening } = startBuiltProxy(certs, upstream, {
      SHUTDOWN_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'info',
    });
    const { port, healthPort } = await listening;
    const template = loadFixture('v1-create-deployment-3-replicas.json');

    // The endpoints controller's part: stop routing new requests once /readyz fails.
    let routed = true;
    const watchReadiness = (async () => {
      while (routed) {
        const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (!ready) routed = false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    let next = 0;
    let inFlight = 0;
    const answers: { sent: string; uid?: string; status?: number; error?: string }[] = [];
    const clients = Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (routed) {
          const uid = `sigterm-${next++}`;
          template.request.uid = uid;
          const body = JSON.stringify(template);
          inFlight++;
          try {
            const answer = await send({ port }, certs.ca.cert, { body });
            answers.push({ sent: uid, uid: answer.json().response.uid, status: answer.status });
          } catch (error) {
            answers.push({ sent: uid, error: (error as Error).message });
          } finally {
            inFlight--;
          }
        }
      }),
    );

    while (answers.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const inFlightAtSignal = inFlight;
    child.kill('SIGTERM');
    await clients;
    await watchReadiness;
    const [code] = await once(child, 'exit');

    expect(inFlightAtSignal).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.error)).toEqual([]);
    expect(answers.every(({ sent, uid, status }) => status === 200 && uid === sent)).toBe(true);
    expect(answers.length).toBe(next);
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('"msg":"stopping"');
    expect(secretsFoundIn(lines, { functionKey })).toEqual([]);
  }, 60_000);
});
