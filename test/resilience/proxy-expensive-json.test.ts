// Bodies of valid JSON built to be expensive to parse (millions of empty arrays, just
// under the 7 MiB cap), sent three at once to the built proxy bundle running with the
// image's heap (64 MB): the proxy scans them without building them, stays alive, keeps
// answering, and its peak resident memory stays far below the container's limit.
import { describe, expect, it } from 'vitest';
import { maxReviewBytes } from '../../functions/core/wire.js';
import { builtProxyForThisFile, imageNodeOptions, peakResidentBytes } from '../helpers/built-proxy.js';
import { loadFixture } from '../helpers/fixtures.js';
import { send } from '../helpers/proxy-harness.js';

const peakLimit = 256 * 1024 * 1024;

/** `head` + `[],[],...` + `tail`, as close to the review cap as the arrays allow. */
function expensiveBody(head: string, tail: string): string {
  const count = Math.floor((maxReviewBytes - head.length - tail.length - 2) / 3);
  return `${head}${'[],'.repeat(count)}[]${tail}`;
}

const under = builtProxyForThisFile({ NODE_OPTIONS: imageNodeOptions, LOG_LEVEL: 'info' });

describe('the built proxy given 7 MiB bodies built to be expensive to parse', () => {
  it('refuses three at once without a uid envelope, stays alive, and answers a normal review', async () => {
    const bodies = Array.from({ length: 3 }, () => expensiveBody('{"request":{"uid":"x","pad":[', ']}}'));
    expect(bodies[0]?.length).toBeGreaterThan(maxReviewBytes - 10);
    const answers = await Promise.all(bodies.map((body) => send({ port: under.port }, under.certs.ca.cert, { body })));
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/^INVALID_REVIEW: apiVersion must be/);
    }
    expect(under.upstream.seen).toHaveLength(0);
    const normal = await send({ port: under.port }, under.certs.ca.cert, {
      body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
    });
    expect(normal.json().response.allowed).toBe(true);
    expect(under.child.exitCode).toBeNull();
  }, 60_000);

  it('relays three at once that are well-formed reviews, stays alive, and stays under 256 MiB', async () => {
    under.upstream.seen.length = 0;
    const head = (uid: string) =>
      `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"${uid}","pad":[`;
    const uids = ['expensive-1', 'expensive-2', 'expensive-3'];
    const answers = await Promise.all(
      uids.map((uid) => send({ port: under.port }, under.certs.ca.cert, { body: expensiveBody(head(uid), ']}}') })),
    );
    expect(answers.map((answer) => answer.json().response.uid)).toEqual(uids);
    expect(under.upstream.seen).toHaveLength(3);
    const normal = await send({ port: under.port }, under.certs.ca.cert, {
      body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
    });
    expect(normal.json().response.allowed).toBe(true);
    expect(under.child.exitCode).toBeNull();
    const peak = peakResidentBytes(under.child.pid ?? 0);
    console.info(`proxy peak resident memory after expensive bodies: ${(peak / 1024 / 1024).toFixed(1)} MiB`);
    expect(peak).toBeLessThan(peakLimit);
  }, 60_000);
});
