import { describe, expect, it } from 'vitest';
import { errorCode } from '../../proxy/error-code.js';
import type { StreamRead } from '../../proxy/read-stream.js';
import { judgeUpstreamAnswer } from '../../proxy/upstream-verdict.js';

const identity = { apiVersion: 'admission.k8s.io/v1', uid: '705ab4f5-6393-11e8-b7cc-42010a800002' } as const;

function body(value: unknown): StreamRead {
  return { body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) };
}

const review = (uid: string, apiVersion = 'admission.k8s.io/v1') => ({
  apiVersion,
  kind: 'AdmissionReview',
  response: { uid, allowed: true },
});

describe('judging the function answer', () => {
  it.each<[string, number, StreamRead, typeof identity, ReturnType<typeof judgeUpstreamAnswer>]>([
    [
      'relays a review answered for this very request',
      200,
      body(review(identity.uid)),
      identity,
      { relay: Buffer.from(JSON.stringify(review(identity.uid))) },
    ],
    [
      'relays a review for this request that came with another 2xx status',
      201,
      body(review(identity.uid)),
      identity,
      { relay: Buffer.from(JSON.stringify(review(identity.uid))) },
    ],
    // Relayed raw before: the function's own 400. Not an answer the proxy can vouch for.
    // (A request without a uid never reaches the function: the proxy refuses it first.)
    [
      'fails the function own refusal of a review (400), without relaying its text',
      400,
      body('INVALID_REVIEW: nope\n'),
      identity,
      { failure: { kind: 'upstream-refused', status: 400 } },
    ],
    [
      'fails a 404 (a wrong FUNCTION_URL)',
      404,
      body(''),
      identity,
      { failure: { kind: 'upstream-refused', status: 404 } },
    ],
    ['fails a 408', 408, body(''), identity, { failure: { kind: 'upstream-refused', status: 408 } }],
    [
      'fails a 429 (throttled)',
      429,
      body('slow down'),
      identity,
      { failure: { kind: 'upstream-refused', status: 429 } },
    ],
    [
      'fails a 404 by its status even when its body was cut off',
      404,
      { failure: 'aborted' },
      identity,
      { failure: { kind: 'upstream-refused', status: 404 } },
    ],
    ['fails a 204 without a body', 204, body(''), identity, { failure: { kind: 'invalid-response' } }],
    ['fails no status at all', 0, body(''), identity, { failure: { kind: 'upstream-error', status: 0 } }],
    [
      'fails an answer over the cap',
      200,
      { failure: 'too-large' },
      identity,
      { failure: { kind: 'response-too-large', limit: 1024 * 1024 } },
    ],
    ['fails an answer cut off', 200, { failure: 'aborted' }, identity, { failure: { kind: 'invalid-response' } }],
    ['fails a refused key (401)', 401, body(''), identity, { failure: { kind: 'unauthorized', status: 401 } }],
    ['fails a refused key (403)', 403, body(''), identity, { failure: { kind: 'unauthorized', status: 403 } }],
    ['fails a 5xx', 503, body('busy'), identity, { failure: { kind: 'upstream-error', status: 503 } }],
    [
      'fails a review that came with a 4xx status',
      422,
      body(review(identity.uid)),
      identity,
      { failure: { kind: 'upstream-refused', status: 422 } },
    ],
    ['fails a redirect', 302, body(''), identity, { failure: { kind: 'upstream-error', status: 302 } }],
    ['fails a 200 that is not a review', 200, body('<html>'), identity, { failure: { kind: 'invalid-response' } }],
    [
      'fails a review for another uid',
      200,
      body(review('someone-else')),
      identity,
      { failure: { kind: 'uid-mismatch' } },
    ],
    [
      'fails a review in another apiVersion',
      200,
      body(review(identity.uid, 'admission.k8s.io/v1beta1')),
      identity,
      { failure: { kind: 'uid-mismatch' } },
    ],
  ])('%s', (_sentence, status, read, requestIdentity, verdict) => {
    expect(judgeUpstreamAnswer(status, read, requestIdentity)).toEqual(verdict);
  });
});

describe('errorCode', () => {
  it.each<[string, unknown, string]>([
    ['reads a system error code', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [
      'reads an OpenSSL code with digits',
      { code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' },
      'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
    ],
    ['says UNKNOWN for an error without a code', new Error('boom'), 'UNKNOWN'],
    ['says UNKNOWN for a code that is not a plain token', { code: 'ECONN; rm -rf' }, 'UNKNOWN'],
    ['says UNKNOWN for a numeric code', { code: 42 }, 'UNKNOWN'],
    ['says UNKNOWN for something that is not an object', 'ECONNRESET', 'UNKNOWN'],
    ['says UNKNOWN for null', null, 'UNKNOWN'],
  ])('%s', (_sentence, error, code) => {
    expect(errorCode(error)).toBe(code);
  });
});
