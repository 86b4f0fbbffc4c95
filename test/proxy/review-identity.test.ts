// The bounded scanner that reads a review's uid and apiVersion (proxy/json-scan.ts),
// checked on its own, against JSON.parse, and on the real fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../proxy/json-scan.js';
import { checkReviewResponse, maxJsonDepth, readReviewIdentity } from '../../proxy/review-identity.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const reviewFiles = readdirSync(fixtures).filter((name) => /^v1.*\.json$/.test(name));
const read = (text: string) => readReviewIdentity(Buffer.from(text));
const review = (request: string, head = '"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"') =>
  `{${head},"request":${request}}`;

describe('reading the identity of a review', () => {
  it.each(reviewFiles)('reads the uid, apiVersion and namespace of the fixture %s as JSON.parse does', (name) => {
    const bytes = readFileSync(new URL(name, fixtures));
    const parsed: { apiVersion: string; request: { uid: string; namespace?: string } } = JSON.parse(
      bytes.toString('utf8'),
    );
    expect(readReviewIdentity(bytes)).toEqual({
      identity: { apiVersion: parsed.apiVersion, uid: parsed.request.uid },
      namespace: parsed.request.namespace || undefined,
    });
  });

  it('reads a v1beta1 review, with the uid after other fields and whitespace around', () => {
    const text =
      ' {"request" : {"kind":{"a":[1,2.5e3,-0.1,true,null]} , "uid":"u-1"},\n"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1beta1"}\t';
    expect(read(text)).toEqual({ identity: { apiVersion: 'admission.k8s.io/v1beta1', uid: 'u-1' } });
  });

  it('decodes escapes in the uid and in keys, and skips escapes elsewhere', () => {
    const text = review('{"pad":"a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9","u\\u0069d":"x\\u002dy\\"z"}');
    expect(read(text)).toEqual({ identity: { apiVersion: 'admission.k8s.io/v1', uid: 'x-y"z' } });
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    // The review object and request are two levels; the pad array adds the rest.
    expect(read(review(`{"uid":"a","pad":${nested(maxJsonDepth - 2)}}`))).toHaveProperty('identity');
    expect(read(review(`{"uid":"a","pad":${nested(maxJsonDepth - 1)}}`))).toEqual({
      invalid: `not JSON the proxy accepts: nested deeper than ${maxJsonDepth} levels`,
    });
  });

  it('refuses a body built to be expensive to parse only when it is malformed or too deep', () => {
    const pad = Array.from({ length: 100_000 }, () => '[]').join(',');
    expect(read(review(`{"uid":"a","pad":[${pad}]}`))).toHaveProperty('identity');
    expect(read(review(`{"uid":"a","pad":[${'['.repeat(100_000)}`))).toHaveProperty('invalid');
  });

  it.each([
    ['truncated JSON', review('{"uid":"a"}').slice(0, -1), 'the JSON ends early'],
    ['a string that is not closed', '{"apiVersion":"admission.k8s.io/v1', 'a string is not closed'],
    ['trailing garbage', `${review('{"uid":"a"}')}x`, 'unexpected data after the JSON value'],
    ['two documents', `${review('{"uid":"a"}')} {}`, 'unexpected data after the JSON value'],
    ['a trailing comma', review('{"uid":"a",}'), 'expected a string key in an object'],
    ['a bad escape', review('{"uid":"\\x"}'), 'a bad escape in a string'],
    ['a bad \\u escape', review('{"uid":"\\u12g4"}'), 'a bad \\u escape in a string'],
    ['a raw control character', review('{"uid":"a\nb"}'), 'a control character in a string'],
    ['a leading zero', review('{"uid":"a","n":01}'), 'expected "," or "}" in an object'],
    ['a bare word', review('{"uid":"a","n":nope}'), 'malformed literal'],
    ['a single-quoted string', review("{'uid':'a'}"), 'expected a string key in an object'],
    ['a missing colon', review('{"uid" "a"}'), 'expected ":" after a key'],
    ['an empty body', '', 'the JSON ends early'],
    [
      'a duplicate uid (JSON.parse would take the last)',
      review('{"uid":"a","uid":"b"}'),
      'duplicate key "request.uid"',
    ],
    ['a duplicate request', review('{"uid":"a"},"request":{}'), 'duplicate key "request"'],
    [
      'a duplicate apiVersion',
      review('{"uid":"a"}', '"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","apiVersion":"x"'),
      'duplicate key "apiVersion"',
    ],
  ])('refuses %s, saying why', (_sentence, text, reason) => {
    expect(read(text)).toEqual({ invalid: `not JSON the proxy accepts: ${reason}` });
  });

  it.each([
    ['no uid', review('{"name":"a"}'), 'request.uid must be a string of 1 to 128 characters'],
    ['a numeric uid', review('{"uid":7}'), 'request.uid must be a string of 1 to 128 characters'],
    ['an empty uid', review('{"uid":""}'), 'request.uid must be a string of 1 to 128 characters'],
    [
      'a uid over 128 characters',
      review(`{"uid":"${'a'.repeat(129)}"}`),
      'request.uid must be a string of 1 to 128 characters',
    ],
    ['a uid nested deeper', review('{"object":{"uid":"a"}}'), 'request.uid must be a string of 1 to 128 characters'],
    [
      'an unknown apiVersion',
      review('{"uid":"a"}', '"apiVersion":"v1","kind":"AdmissionReview"'),
      'apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1',
    ],
    [
      'another kind',
      review('{"uid":"a"}', '"apiVersion":"admission.k8s.io/v1","kind":"Pod"'),
      'kind must be AdmissionReview',
    ],
    ['an array', '[]', 'apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1'],
  ])('refuses a review with %s', (_sentence, text, reason) => {
    expect(read(text)).toEqual({ invalid: reason });
  });

  it('keeps a 128-character uid written entirely as \\u escapes', () => {
    const uid = 'a'.repeat(128);
    expect(read(review(`{"uid":"${'\\u0061'.repeat(128)}"}`))).toHaveProperty('identity.uid', uid);
  });

  it('does not take a key with a dot for a path', () => {
    const text = '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request.uid":"a"}';
    expect(read(text)).toEqual({ invalid: 'request.uid must be a string of 1 to 128 characters' });
  });
});

describe('the scanner against JSON.parse', () => {
  const documents = ['{}', '[]', '0', '-1.5E+3', '"\\ud83d\\ude00"', '{"a":[{"b":{}}],"c":"d"}', 'true', 'null'];
  it.each(documents)('accepts %s, which JSON.parse accepts', (text) => {
    expect(scanJson(Buffer.from(text), { paths: [], maxDepth: 8, maxStringBytes: 8 })).toHaveProperty('found');
  });

  const malformed = [
    '{',
    '[1,]',
    '01',
    '1.',
    '.5',
    '-',
    '1e',
    '"\\x"',
    '"\\u12"',
    '{"a":1,,}',
    'tru',
    'nul',
    '[1 2]',
    '{"a" 1}',
  ];
  it.each(malformed)('refuses %s, which JSON.parse refuses', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(scanJson(Buffer.from(text), { paths: [], maxDepth: 8, maxStringBytes: 8 })).toHaveProperty('invalid');
  });

  // Bytes inside a string are searched natively, not checked one by one: a raw control
  // character passes where the string is skipped (the function's JSON.parse refuses it,
  // with 400), and is refused where the string is kept.
  it('refuses a raw control character only in a string it keeps', () => {
    const options = { paths: ['a'], maxDepth: 8, maxStringBytes: 8 };
    expect(() => JSON.parse('{"a":"\t"}')).toThrow();
    expect(scanJson(Buffer.from('{"a":"\t"}'), options)).toEqual({ invalid: 'a control character in a string' });
    expect(scanJson(Buffer.from('{"b":"\t"}'), options)).toHaveProperty('found');
  });
});

describe("checking the function's answer", () => {
  const identity = { apiVersion: 'admission.k8s.io/v1', uid: 'abc' } as const;
  const answer = (response: string) =>
    Buffer.from(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":${response}}`);

  it.each<[string, Buffer, ReturnType<typeof checkReviewResponse>]>([
    ['accepts an answer for this uid', answer('{"uid":"abc","allowed":false,"status":{"code":403}}'), 'ok'],
    ['finds another uid', answer('{"uid":"abd","allowed":true}'), 'uid-mismatch'],
    [
      'finds another apiVersion',
      Buffer.from(
        '{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"uid":"abc","allowed":true}}',
      ),
      'uid-mismatch',
    ],
    ['refuses an answer without allowed', answer('{"uid":"abc"}'), 'invalid-response'],
    ['refuses allowed that is not a boolean', answer('{"uid":"abc","allowed":"yes"}'), 'invalid-response'],
    ['refuses an answer that is not JSON', Buffer.from('<html>'), 'invalid-response'],
    ['refuses a duplicate uid', answer('{"uid":"abc","uid":"x","allowed":true}'), 'invalid-response'],
  ])('%s', (_sentence, body, expected) => {
    expect(checkReviewResponse(body, identity)).toBe(expected);
  });
});
