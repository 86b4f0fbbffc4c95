// Bodies of valid JSON built to be expensive to parse (millions of empty arrays, just
// under the 7 MiB cap), sent three at once to the built proxy bundle running with the
// image's heap (64 MB): the proxy scans them without building them, stays alive, keeps
// answering, and its peak resident memory stays far below the container's limit.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxReviewBytes } from '../../functions/core/wire.js';
import { imageNodeOptions, peakResidentBytes, startBuiltProxy } from '../helpers/built-proxy.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  makeCertificates,
  send,
  startFakeFunction,
} from '../helpers/proxy-harness.js';

const peakLimit = 256 * 1024 * 1024;

/** `head` + `[],[],...` + `tail`, as close to the review cap as the arrays allow. */
function expensiveBody(head: string, tail: string): string {
  const count = Math.floor((maxReviewBytes - head.length - tail.length - 2) / 3);
  return `${head}${'[],'.repeat(count)}[]${tail}`;
}

let certs: Certificates;
let upstream: FakeFunction;
let child: ChildProcess;
let port: number;

beforeAll(async () => {
  certs = await makeCertificates();
  upstream = await startFakeFunction();
  const started = startBuiltProxy(certs, upstream, { NODE_OPTIONS: imageNodeOptions, LOG_LEVEL: 'info' });
  child = started.child;
  ({ port } = await started.listening);
}, 20_000);

afterAll(async () => {
  child.kill('SIGKILL');
  await upstream.close();
});

describe('the built proxy given 7 MiB bodies built to be expensive to parse', () => {
  it('refuses three at once without a uid envelope, stays alive, and answers a normal review', async () => {
    const bodies = Array.from({ length: 3 }, () => expensiveBody('{"request":{"uid":"x","pad":[', ']}}'));
    expect(bodies[0]?.length).toBeGreaterThan(maxReviewBytes - 10);
    const answers = await Promise.all(bodies.map((body) => send({ port }, certs.ca.cert, { body })));
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/^INVALID_REVIEW: apiVersion must be/);
    }
    expect(upstream.seen).toHaveLength(0);
    const normal = await send({ port }, certs.ca.cert, {
      body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
    });
    expect(normal.json().response.allowed).toBe(true);
    expect(child.exitCode).toBeNull();
  }, 60_000);

  it('relays three at once that are well-formed reviews, stays alive, and stays under 256 MiB', async () => {
    upstream.seen.length = 0;
    const head = (uid: string) =>
      `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"${uid}","pad":[`;
    const uids = ['expensive-1', 'expensive-2', 'expensive-3'];
    const answers = await Promise.all(
      uids.map((uid) => send({ port }, certs.ca.cert, { body: expensiveBody(head(uid), ']}}') })),
    );
    expect(answers.map((answer) => answer.json().response.uid)).toEqual(uids);
    expect(upstream.seen).toHaveLength(3);
    const normal = await send({ port }, certs.ca.cert, {
      body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
    });
    expect(normal.json().response.allowed).toBe(true);
    expect(child.exitCode).toBeNull();
    const peak = peakResidentBytes(child.pid ?? 0);
    console.info(`proxy peak resident memory after expensive bodies: ${(peak / 1024 / 1024).toFixed(1)} MiB`);
    expect(peak).toBeLessThan(peakLimit);
  }, 60_000);
});
