// Every answer of the function the proxy cannot vouch for (any non-2xx, a 2xx that is
// not an AdmissionReview for this very request) is answered per FAILURE_MODE, with the
// reason in the answer, the log line and the failure metric; the function's own text
// never reaches the API server.
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type FakeFunction, send } from '../helpers/proxy-harness.js';
import { type ProxyUnderTest, proxyForThisFile } from '../helpers/proxy-under-test.js';

const closed = proxyForThisFile({ FAILURE_MODE: 'closed' });
const open = proxyForThisFile({ FAILURE_MODE: 'open' });

afterEach(() => {
  for (const under of [closed, open]) {
    under.upstream.answer = 'allow';
    under.upstream.seen.length = 0;
  }
});

let sent = 0;

/** A real review with a uid of its own, so that its log line can be found. */
function reviewWithOwnUid(apiVersion = 'admission.k8s.io/v1') {
  const review = loadFixture('v1-create-deployment-3-replicas.json');
  review.apiVersion = apiVersion;
  review.request.uid = `failure-${sent++}`;
  return review;
}

/** The log line the proxy wrote for a uid's failure. */
function failureLine(under: ProxyUnderTest, uid: string) {
  const entries = under.running.logs.map((line) => JSON.parse(line));
  return entries.find((entry) => entry.uid === uid && entry.msg?.startsWith('upstream failed'));
}

async function failureCount(under: ProxyUnderTest, reason: string): Promise<number> {
  const metric = await under.running.proxy.metrics.upstreamFailures.get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

const faults: [string, FakeFunction['answer'], string, string, number][] = [
  [
    'refuses the review with 400',
    { status: 400, text: 'INVALID_REVIEW: forged\n' },
    'refused the review (HTTP 400)',
    'upstream_refused',
    400,
  ],
  [
    'answers 404 (a wrong URL)',
    { status: 404, text: 'Not Found' },
    'refused the review (HTTP 404)',
    'upstream_refused',
    404,
  ],
  ['answers 408', { status: 408, text: 'Request Timeout' }, 'refused the review (HTTP 408)', 'upstream_refused', 408],
  [
    'answers 429 (throttled)',
    { status: 429, text: 'Too Many Requests' },
    'refused the review (HTTP 429)',
    'upstream_refused',
    429,
  ],
  [
    'answers 200 with garbage',
    'not-json',
    'answered something that is not an AdmissionReview',
    'invalid_response',
    200,
  ],
  ['answers 200 for another uid', 'wrong-uid', 'answered for a different request (uid mismatch)', 'uid_mismatch', 200],
];

describe('FAILURE_MODE=closed: answers the function cannot vouch for are denied', () => {
  it.each(faults)('denies its uid when the function %s, and says why', async (_what, fault, why, label, status) => {
    closed.upstream.answer = fault;
    const review = reviewWithOwnUid('admission.k8s.io/v1beta1');
    const before = await failureCount(closed, label);
    const answer = await send(closed.running, closed.certs.ca.cert, { body: JSON.stringify(review) });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
      response: { uid: review.request.uid, allowed: false, status: { code: 503 } },
    });
    expect(answer.json().response.status?.message).toContain(`policy backend unavailable: ${why}`);
    expect(answer.text).not.toMatch(/INVALID_REVIEW|Not Found|Too Many|<html>/);
    expect(failureLine(closed, review.request.uid)).toMatchObject({ failureReason: label, upstreamStatus: status });
    expect(await failureCount(closed, label)).toBe(before + 1);
  });
});

describe('FAILURE_MODE=open: answers the function cannot vouch for are admitted with a warning', () => {
  it.each(faults)('admits its uid with a warning when the function %s', async (_what, fault, why, label, status) => {
    open.upstream.answer = fault;
    const review = reviewWithOwnUid();
    const before = await failureCount(open, label);
    const answer = await send(open.running, open.certs.ca.cert, { body: JSON.stringify(review) });
    expect(answer.status).toBe(200);
    const { response } = answer.json();
    expect(response).toMatchObject({ uid: review.request.uid, allowed: true });
    expect(response.warnings?.[0]).toBe(`policy backend unavailable: ${why}; admitted unchecked (fails open)`);
    expect(failureLine(open, review.request.uid)).toMatchObject({ failureReason: label, upstreamStatus: status });
    expect(await failureCount(open, label)).toBe(before + 1);
  });
});

describe('a request without an AdmissionReview uid', () => {
  it('gets 400 INVALID_REVIEW from the proxy and never reaches the function', async () => {
    closed.upstream.answer = { status: 200, text: '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}' };
    const answer = await send(closed.running, closed.certs.ca.cert, { body: '{"not":"a review"}' });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/^INVALID_REVIEW: /);
    expect(closed.upstream.seen).toHaveLength(0);
  });

  it('gets 400 INVALID_REVIEW whatever the failure mode', async () => {
    const answer = await send(open.running, open.certs.ca.cert, { body: '{"not":"a review"}' });
    expect(open.upstream.seen).toHaveLength(0);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/^INVALID_REVIEW: /);
  });
});
