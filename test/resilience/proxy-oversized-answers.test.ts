// 300 answers of the function over the proxy's 1 MiB cap, in each failure mode: each is
// answered per FAILURE_MODE and counted, and its connection is closed, not left paused
// in the pool (the pool holds 256: a leak of each would stall every review after them).
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { send } from '../helpers/proxy-harness.js';
import { type ProxyUnderTest, proxyForThisFile } from '../helpers/proxy-under-test.js';

const answers = 300;
const batch = 50;
const closed = proxyForThisFile({ FAILURE_MODE: 'closed' });
const open = proxyForThisFile({ FAILURE_MODE: 'open' });
const why = 'policy backend unavailable: answered more than 1048576 bytes';

async function tooLargeCount(under: ProxyUnderTest): Promise<number> {
  const metric = await under.running.proxy.metrics.upstreamFailures.get();
  return metric.values.find((value) => value.labels.reason === 'response_too_large')?.value ?? 0;
}

/** Sends `answers` reviews, `batch` at a time, each with its own uid; returns their answers. */
async function sendReviews(under: ProxyUnderTest) {
  const template = loadFixture('v1-create-deployment-3-replicas.json');
  const all = [];
  for (let sent = 0; sent < answers; sent += batch) {
    const bodies = Array.from({ length: batch }, (_, index) => {
      template.request.uid = `oversized-${sent + index}`;
      return JSON.stringify(template);
    });
    all.push(...(await Promise.all(bodies.map((body) => send(under.running, under.certs.ca.cert, { body })))));
  }
  return all;
}

/** A normal review afterwards is answered quickly, and the pool kept nothing of the oversized answers. */
async function expectNothingLeaked(under: ProxyUnderTest) {
  under.upstream.answer = 'allow';
  const started = performance.now();
  const answer = await send(under.running, under.certs.ca.cert, {
    body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
  });
  expect(answer.json().response.allowed).toBe(true);
  expect(performance.now() - started).toBeLessThan(1000);
  await expect.poll(() => under.upstream.openConnections(), { timeout: 2000 }).toBeLessThanOrEqual(2);
}

describe('answers of the function over 1 MiB', () => {
  it('deny each review when failing closed, counted, with no socket leaked', async () => {
    closed.upstream.answer = { bytes: 1024 * 1024 + 512 * 1024 };
    const before = await tooLargeCount(closed);
    const all = await sendReviews(closed);
    all.forEach((answer, index) => {
      expect(answer.json().response).toMatchObject({ uid: `oversized-${index}`, allowed: false });
      expect(answer.json().response.status?.message).toContain(why);
    });
    expect(await tooLargeCount(closed)).toBe(before + answers);
    await expectNothingLeaked(closed);
  }, 60_000);

  it('admit each review with a warning when failing open, counted, with no socket leaked', async () => {
    open.upstream.answer = { bytes: 1024 * 1024 + 1 };
    const before = await tooLargeCount(open);
    const all = await sendReviews(open);
    all.forEach((answer, index) => {
      expect(answer.json().response).toMatchObject({ uid: `oversized-${index}`, allowed: true });
      expect(answer.json().response.warnings?.[0]).toContain('answered more than 1048576 bytes');
    });
    expect(await tooLargeCount(open)).toBe(before + answers);
    await expectNothingLeaked(open);
  }, 60_000);
});
