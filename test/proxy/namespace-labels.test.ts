// The pieces of the namespace watch that take no network: the stream's line reader,
// the events and pages it reads, the bounded cache, the backoff, the header's codec
// (shared with the function through the wire module) and the namespace a review names.
import { describe, expect, it } from 'vitest';
import { decodeNamespaceLabels, encodeNamespaceLabels, maxNamespaceLabelsBytes } from '../../functions/core/wire.js';
import { createNamespaceCache } from '../../proxy/namespace-cache.js';
import { readNamespacePage, readWatchEvent, WatchProtocolError } from '../../proxy/namespace-objects.js';
import { backoffMs, defaultTimings } from '../../proxy/namespace-watch.js';
import { readReviewIdentity } from '../../proxy/review-identity.js';
import { createLineSplitter, LineTooLong } from '../../proxy/watch-lines.js';

const splitInto = (max: number) => {
  const lines: string[] = [];
  return { lines, splitter: createLineSplitter(max, (line) => lines.push(line)) };
};

describe('the watch stream reader', () => {
  it('gives whole lines whatever the chunks, and skips blank ones', () => {
    const { lines, splitter } = splitInto(100);
    for (const chunk of ['{"a":', '1}\n\n{"b"', ':2}\n{"c":3}', '\n']) splitter.push(Buffer.from(chunk));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(splitter.held()).toBe(0);
  });

  it('keeps a multi-byte character split between chunks whole', () => {
    const { lines, splitter } = splitInto(100);
    const bytes = Buffer.from('"é"\n');
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2));
    expect(lines).toEqual(['"é"']);
  });

  it('stops at a line over the cap before its newline comes, holding no more than the cap', () => {
    const { splitter } = splitInto(1024);
    splitter.push(Buffer.alloc(1000, 0x61));
    expect(() => splitter.push(Buffer.alloc(100, 0x61))).toThrow(LineTooLong);
    expect(splitter.held()).toBe(1000);
  });

  it('accepts a line of exactly the cap, and refuses one byte more within one chunk', () => {
    const { lines, splitter } = splitInto(10);
    splitter.push(Buffer.from(`${'a'.repeat(10)}\n`));
    expect(lines).toEqual(['a'.repeat(10)]);
    expect(() => splitter.push(Buffer.from(`${'a'.repeat(11)}\n`))).toThrow(LineTooLong);
  });
});

const namespace = (name: string, labels: Record<string, string> = {}, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, resourceVersion: '42', labels, annotations: { big: 'x'.repeat(1000) }, ...extra },
});

describe('reading watch events and list pages', () => {
  it('keeps the name, the labels and the resourceVersion of an event, nothing else', () => {
    const line = JSON.stringify({ type: 'MODIFIED', object: namespace('shop', { tier: 'prod' }) });
    expect(readWatchEvent(line)).toEqual({
      type: 'MODIFIED',
      namespace: { name: 'shop', labels: { tier: 'prod' } },
      version: '42',
    });
  });

  it('reads a bookmark and a 410 error', () => {
    const bookmark = { type: 'BOOKMARK', object: { kind: 'Namespace', metadata: { resourceVersion: '77' } } };
    expect(readWatchEvent(JSON.stringify(bookmark))).toEqual({ type: 'BOOKMARK', version: '77' });
    const gone = { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } };
    expect(readWatchEvent(JSON.stringify(gone))).toEqual({ type: 'ERROR', code: 410 });
  });

  it.each([
    ['not JSON', '{"type":"ADDED",'],
    ['an unknown type', JSON.stringify({ type: 'RENAMED', object: namespace('a') })],
    ['a label that is not a string', JSON.stringify({ type: 'ADDED', object: namespace('a', { n: 1 } as never) })],
    ['no name', JSON.stringify({ type: 'ADDED', object: { metadata: { resourceVersion: '1' } } })],
    ['a name of 64 characters', JSON.stringify({ type: 'ADDED', object: namespace('a'.repeat(64)) })],
    ['an array', '[]'],
  ])('refuses %s as a protocol error', (_sentence, line) => {
    expect(() => readWatchEvent(line)).toThrow(WatchProtocolError);
  });

  it('reads a page and its continue token; an empty token is the last page', () => {
    const body = (token: string) =>
      JSON.stringify({ metadata: { resourceVersion: '9', continue: token }, items: [namespace('a', { x: 'y' })] });
    expect(readNamespacePage(body('next'))).toEqual({
      namespaces: [{ name: 'a', labels: { x: 'y' } }],
      version: '9',
      continueToken: 'next',
    });
    expect(readNamespacePage(body('')).continueToken).toBeUndefined();
  });
});

describe('the namespace cache', () => {
  it('answers with the header for a known namespace, {} for one without labels, nothing for others', () => {
    const cache = createNamespaceCache();
    cache.upsert({ name: 'shop', labels: { tier: 'prod' } });
    cache.upsert({ name: 'bare', labels: {} });
    expect(cache.labelsHeader('shop')).toBe('{"tier":"prod"}');
    expect(cache.labelsHeader('bare')).toBe('{}');
    expect(cache.labelsHeader('other')).toBeUndefined();
    cache.remove('shop');
    expect(cache.labelsHeader('shop')).toBeUndefined();
    expect(cache.stats()).toEqual({ namespaces: 1, bytes: 2, notSent: 0 });
  });

  it('keeps at most maxNamespaces; the rest stay unknown', () => {
    const cache = createNamespaceCache({ maxNamespaces: 3, maxLabelBytes: 1024 });
    for (const name of ['a', 'b', 'c', 'd']) cache.upsert({ name, labels: {} });
    expect(cache.labelsHeader('d')).toBeUndefined();
    cache.upsert({ name: 'c', labels: { changed: 'yes' } }); // a known one still changes
    expect(cache.labelsHeader('c')).toBe('{"changed":"yes"}');
  });

  it('sends nothing for labels over the header cap or past the bytes cap, and counts them', () => {
    const cache = createNamespaceCache({ maxNamespaces: 100, maxLabelBytes: 40 });
    const huge = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key-${i}`, 'v'.repeat(60)]));
    cache.upsert({ name: 'huge', labels: huge });
    cache.upsert({ name: 'a', labels: { team: 'shop-frontend' } }); // 24 bytes
    cache.upsert({ name: 'b', labels: { team: 'shop-backend' } }); // would pass 40
    expect(cache.labelsHeader('huge')).toBeUndefined();
    expect(cache.labelsHeader('a')).toBe('{"team":"shop-frontend"}');
    expect(cache.labelsHeader('b')).toBeUndefined();
    expect(cache.stats()).toEqual({ namespaces: 3, bytes: 24, notSent: 2 });
    cache.remove('a');
    cache.upsert({ name: 'b', labels: { team: 'shop-backend' } }); // room again
    expect(cache.labelsHeader('b')).toBe('{"team":"shop-backend"}');
  });

  it('keeps answering from the old set while a list fills the new one', () => {
    const cache = createNamespaceCache();
    cache.upsert({ name: 'old', labels: {} });
    const next = cache.startReplacing();
    next.add({ name: 'new', labels: {} });
    expect(cache.labelsHeader('old')).toBe('{}');
    next.commit();
    expect([cache.labelsHeader('old'), cache.labelsHeader('new')]).toEqual([undefined, '{}']);
  });

  it('holds 10,000 namespaces within its default caps', () => {
    const cache = createNamespaceCache();
    const next = cache.startReplacing();
    for (let i = 0; i < 10_001; i++) next.add({ name: `ns-${i}`, labels: { team: `team-${i % 50}`, tier: 'prod' } });
    next.commit();
    expect(cache.stats().namespaces).toBe(10_000);
    expect(cache.labelsHeader('ns-9999')).toBe('{"team":"team-49","tier":"prod"}');
    expect(cache.labelsHeader('ns-10000')).toBeUndefined();
  });
});

describe('the x-namespace-labels header', () => {
  it('round-trips labels with prefixes, dots and empty values', () => {
    const labels = {
      'kubernetes.io/metadata.name': 'shop',
      'app.example.com/tier': 'prod',
      empty: '',
      'a.b_c-d': 'X.1',
    };
    const header = encodeNamespaceLabels(labels);
    expect(header).toBeDefined();
    expect(decodeNamespaceLabels(header ?? '')).toEqual(labels);
  });

  it('is not made for labels over the cap, and one over the cap is not read', () => {
    const labels = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`key-${i}`, 'v'.repeat(50)]));
    expect(encodeNamespaceLabels(labels)).toBeUndefined();
    const text = JSON.stringify(labels);
    expect(text.length).toBeGreaterThan(maxNamespaceLabelsBytes);
    expect(decodeNamespaceLabels(text)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"a":'],
    ['an array', '["a"]'],
    ['null', 'null'],
    ['a string', '"tier=prod"'],
    ['a number value', '{"replicas":3}'],
    ['a nested object', '{"a":{"b":"c"}}'],
    ['a key with a space', '{"bad key":"x"}'],
    ['a key that starts with a dash', '{"-a":"x"}'],
    ['two slashes', '{"a/b/c":"x"}'],
    ['an upper-case prefix', '{"Example.com/a":"x"}'],
    ['a value of 64 characters', `{"a":"${'v'.repeat(64)}"}`],
    ['a value with a newline', '{"a":"x\\ny"}'],
    ['__proto__', '{"__proto__":"x"}'],
  ])('refuses %s', (_sentence, header) => {
    expect(decodeNamespaceLabels(header)).toBeUndefined();
  });

  it('refuses to encode a malformed label rather than send it', () => {
    expect(encodeNamespaceLabels({ 'bad key': 'x' })).toBeUndefined();
  });
});

describe('the backoff', () => {
  it('doubles from 0.5 s to 30 s, jittered between half and the whole', () => {
    const low = (failures: number) => backoffMs(failures, defaultTimings, () => 0);
    const high = (failures: number) => backoffMs(failures, defaultTimings, () => 1);
    expect([low(0), high(0), high(1), high(2), high(6), high(7), high(100)]).toEqual([
      250, 500, 1000, 2000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('the namespace a review names', () => {
  const review = (request: object) =>
    Buffer.from(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request }));
  const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };

  it('is request.namespace for a namespaced object', () => {
    expect(readReviewIdentity(review({ uid: 'u', kind: deployment, namespace: 'shop' }))).toHaveProperty(
      'namespace',
      'shop',
    );
  });

  it('is none for a cluster-scoped object and for a Namespace itself (as a ValidatingAdmissionPolicy)', () => {
    const namespaceKind = { group: '', version: 'v1', kind: 'Namespace' };
    expect(readReviewIdentity(review({ uid: 'u', kind: deployment }))).toHaveProperty('namespace', undefined);
    expect(
      readReviewIdentity(review({ uid: 'u', kind: namespaceKind, namespace: 'shop', name: 'shop' })),
    ).toHaveProperty('namespace', undefined);
  });

  it('refuses a review with two namespaces (the function would read the last)', () => {
    const text =
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","namespace":"a","namespace":"b"}}';
    expect(readReviewIdentity(Buffer.from(text))).toEqual({
      invalid: 'not JSON the proxy accepts: duplicate key "request.namespace"',
    });
  });
});
