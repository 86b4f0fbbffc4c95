// The namespace watch against a scripted API server over TLS on 127.0.0.1: list, then
// watch; changes arrive; 410 Gone, error statuses, malformed and oversized lines make
// it list again after a backoff; a rotated token is used from the next request on; and
// the token never reaches a log line.
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKubeApiGet } from '../../proxy/kube-api-request.js';
import { createLogger } from '../../proxy/logger.js';
import { createNamespaceCache, type NamespaceCache } from '../../proxy/namespace-cache.js';
import { maxPageBytes } from '../../proxy/namespace-list.js';
import { maxEventBytes, type NamespaceWatch, startNamespaceWatch } from '../../proxy/namespace-watch.js';
import { type FakeNamespaceApi, startFakeNamespaceApi } from '../helpers/fake-namespace-api.js';

let api: FakeNamespaceApi;
let cache: NamespaceCache;
let watch: NamespaceWatch | undefined;
let logs: string[];
let restarts: string[];

beforeEach(async () => {
  api = await startFakeNamespaceApi();
  api.namespaces.set('shop', { tier: 'prod' });
  api.namespaces.set('dev', {});
  cache = createNamespaceCache();
  logs = [];
  restarts = [];
});

afterEach(async () => {
  watch?.stop();
  watch = undefined;
  await api.close();
});

function start(): NamespaceWatch {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  watch = startNamespaceWatch({
    get: createKubeApiGet({ host: '127.0.0.1', port: api.port, tokenFile: api.tokenFile, caFile: api.caFile }),
    cache,
    logger: createLogger('debug', sink),
    onSynced: () => undefined,
    onRestart: (reason) => restarts.push(reason),
    timings: { firstBackoffMs: 20, maxBackoffMs: 100, watchSeconds: 60 },
  });
  return watch;
}

const lists = () => api.requests.filter((request) => !request.path.includes('watch=1')).length;
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });

describe('the namespace watch', () => {
  it('lists with the service account token, then watches from the list resourceVersion', async () => {
    const running = start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(running.synced()).toBe(true);
    expect(cache.labelsHeader('shop')).toBe('{"tier":"prod"}');
    expect(cache.labelsHeader('dev')).toBe('{}');
    expect(api.requests.map((request) => request.token)).toEqual(['Bearer sa-token-one', 'Bearer sa-token-one']);
    expect(api.requests[1]?.path).toMatch(/watch=1&allowWatchBookmarks=true&timeoutSeconds=\d+&resourceVersion=100$/);
  });

  it('applies additions, relabels and deletions as they come', async () => {
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    api.change('shop', { tier: 'dev' });
    api.change('new', { team: 'a' });
    api.change('dev', null);
    await waitFor(() => expect(cache.labelsHeader('dev')).toBeUndefined());
    expect(cache.labelsHeader('shop')).toBe('{"tier":"dev"}');
    expect(cache.labelsHeader('new')).toBe('{"team":"a"}');
  });

  it('lists in pages of 100', async () => {
    for (let i = 0; i < 250; i++) api.namespaces.set(`ns-${i}`, { n: String(i) });
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(api.requests.slice(0, 3).map((request) => request.path)).toEqual([
      '/api/v1/namespaces?limit=100',
      '/api/v1/namespaces?limit=100&continue=100',
      '/api/v1/namespaces?limit=100&continue=200',
    ]);
    expect(cache.stats().namespaces).toBe(252);
  });

  it('asks again in smaller pages when a page is over the cap', async () => {
    // 1,000 labels of some 80 bytes: about 80 KiB a Namespace, 100 of them twice the page cap.
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`key-${i}`, 'v'.repeat(63)]));
    for (let i = 0; i < 100; i++) api.namespaces.set(`big-${String(i).padStart(3, '0')}`, many);
    expect(JSON.stringify(many).length * 100).toBeGreaterThan(maxPageBytes);
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    const paths = api.requests.map((request) => request.path).filter((path) => !path.includes('watch=1'));
    expect(paths.slice(0, 2)).toEqual(['/api/v1/namespaces?limit=100', '/api/v1/namespaces?limit=25']);
    expect(restarts).toEqual([]);
    expect(cache.stats()).toMatchObject({ namespaces: 102, notSent: 100 }); // each over the header's 8 KiB
  });

  it('lists again after a 410 Gone on the watch, and counts the restart', async () => {
    api.failWatches.push(410);
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(lists()).toBe(2);
    expect(restarts).toEqual(['gone']);
  });

  it('lists again after a 410 ERROR event in the stream', async () => {
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    api.namespaces.set('later', { x: 'y' });
    api.writeLine(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }));
    await waitFor(() => expect(cache.labelsHeader('later')).toBe('{"x":"y"}'));
    expect(restarts).toEqual(['gone']);
  });

  it.each([
    ['a malformed line', () => api.writeLine('{"type":"ADDED","object":'), 'invalid_stream'],
    ['an event of another shape', () => api.writeLine('{"type":"ADDED","object":[]}'), 'invalid_stream'],
    ['a line over the cap', () => api.writeLine('x'.repeat(maxEventBytes + 1)), 'line_too_long'],
  ])('lists again after %s, keeping what it knew meanwhile', async (_sentence, breakIt, reason) => {
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    breakIt();
    await waitFor(() => expect(restarts).toEqual([reason]));
    expect(cache.labelsHeader('shop')).toBe('{"tier":"prod"}');
    await waitFor(() => expect(lists()).toBe(2));
  });

  it('backs off and retries a 403, not synced meanwhile, saying what it needs and never the token', async () => {
    api.failLists.push(403, 403, 403);
    const running = start();
    await waitFor(() => expect(restarts).toEqual(['http_403', 'http_403', 'http_403']));
    await waitFor(() => expect(running.synced()).toBe(true));
    const text = logs.join('');
    expect(text).toContain('NAMESPACE_WATCH_FAILED');
    expect(text).toContain('get, list and watch on namespaces');
    expect(text).not.toContain('sa-token-one');
  });

  it('uses a rotated token from the next request on', async () => {
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    writeFileSync(api.tokenFile, 'sa-token-two\n');
    api.endWatches();
    await waitFor(() => expect(api.requests.at(-1)?.token).toBe('Bearer sa-token-two'));
    expect(logs.join('')).not.toContain('sa-token');
  });

  it('stops for good when stopped', async () => {
    const running = start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    running.stop();
    await waitFor(() => expect(api.openWatches()).toBe(0));
    const seen = api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.requests.length).toBe(seen);
  });
});
