// The namespace watch against an API server that misbehaves at the connection level: a
// watch or a list cut mid-stream, and a watch kept open with keep-alives that never
// carries an event nor ends. The proxy neither crashes nor stays stuck: it lists again.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKubeApiGet } from '../../proxy/kube-api-request.js';
import { createLogger } from '../../proxy/logger.js';
import { createNamespaceCache, type NamespaceCache } from '../../proxy/namespace-cache.js';
import { type NamespaceWatch, startNamespaceWatch, type WatchTimings } from '../../proxy/namespace-watch.js';
import { type FakeNamespaceApi, startFakeNamespaceApi } from '../helpers/fake-namespace-api.js';

let api: FakeNamespaceApi;
let cache: NamespaceCache;
let watch: NamespaceWatch | undefined;
let restarts: string[];

beforeEach(async () => {
  api = await startFakeNamespaceApi();
  api.namespaces.set('shop', { tier: 'prod' });
  cache = createNamespaceCache();
  restarts = [];
});

afterEach(async () => {
  watch?.stop();
  watch = undefined;
  await api.close();
});

function start(timings: Partial<WatchTimings> = {}): NamespaceWatch {
  watch = startNamespaceWatch({
    get: createKubeApiGet({ host: '127.0.0.1', port: api.port, tokenFile: api.tokenFile, caFile: api.caFile }),
    cache,
    logger: createLogger('debug', new Writable({ write: (_chunk, _encoding, done) => done() })),
    onSynced: () => undefined,
    onRestart: (reason) => restarts.push(reason),
    timings: { firstBackoffMs: 20, maxBackoffMs: 100, watchSeconds: 60, ...timings },
  });
  return watch;
}

const lists = () => api.requests.filter((request) => !request.path.includes('watch=1')).length;
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });

describe('the namespace watch, when the connection misbehaves', () => {
  it('lists again after a watch is reset mid-stream, keeping what it knew', async () => {
    start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    api.writeLine('{"type":"MODIFIED","object":{"metadata":{"name":"sh'); // half an event, then a reset
    await new Promise((resolve) => setTimeout(resolve, 50));
    api.resetWatches();
    await waitFor(() => expect(lists()).toBe(2));
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(restarts).toHaveLength(1);
    expect(cache.labelsHeader('shop')).toBe('{"tier":"prod"}');
  });

  it('lists again after a list is cut mid-body', async () => {
    api.cutLists = 2;
    const running = start();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(restarts).toHaveLength(2);
    expect(running.synced()).toBe(true);
  });

  it('cuts a watch that stays open past its timeoutSeconds and a grace, on keep-alives alone', async () => {
    start({ watchSeconds: 1, watchGraceMs: 300 });
    await waitFor(() => expect(api.openWatches()).toBe(1));
    const keepAlive = setInterval(() => api.writeLine(''), 50);
    try {
      await waitFor(() => expect(restarts).toEqual(['deadline']));
    } finally {
      clearInterval(keepAlive);
    }
    await waitFor(() => expect(lists()).toBe(2));
  });

  it('backs off further when each list succeeds but the watch after it fails at once (list allowed, watch forbidden)', async () => {
    api.failWatches.push(...Array.from({ length: 50 }, () => 403));
    start({ firstBackoffMs: 20, maxBackoffMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // Reset after each list, the backoff would stay at 10-20 ms: some 60 lists. Doubling
    // from 20 ms to 400 ms (jittered to half and whole), 1.2 s holds at most about 9.
    expect(lists()).toBeGreaterThanOrEqual(3);
    expect(lists()).toBeLessThanOrEqual(10);
    expect(restarts.every((reason) => reason === 'http_403')).toBe(true);
  });

  it('starts the backoff again from the first once a watch has run steadily', async () => {
    start({ firstBackoffMs: 20, maxBackoffMs: 5000, steadyAfterMs: 200 });
    await waitFor(() => expect(api.openWatches()).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    api.resetWatches();
    await waitFor(() => expect(lists()).toBe(2));
    const relisted = performance.now();
    await waitFor(() => expect(api.openWatches()).toBe(1));
    expect(performance.now() - relisted).toBeLessThan(2000);
  });
});
