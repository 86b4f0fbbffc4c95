// The proxy sends the function the labels of a review's namespace, from its own watch
// (here of a scripted API server), in x-namespace-labels: only for a namespace it
// knows, never for a Namespace itself or a cluster-scoped object, never a caller's copy.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wireHeaders } from '../../functions/core/wire.js';
import { type FakeNamespaceApi, startFakeNamespaceApi } from '../helpers/fake-namespace-api.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  makeCertificates,
  type RunningProxy,
  send,
  startFakeFunction,
  startProxy,
} from '../helpers/proxy-harness.js';

let api: FakeNamespaceApi;
let certs: Certificates;
let upstream: FakeFunction;
let running: RunningProxy;

beforeAll(async () => {
  api = await startFakeNamespaceApi();
  api.namespaces.set('shop', { tier: 'prod', 'app.example.com/owner': 'web-team' });
  certs = await makeCertificates();
  upstream = await startFakeFunction();
  running = await startProxy(certs, upstream, api.env);
  await vi.waitFor(() => expect(api.openWatches()).toBe(1), { timeout: 5000, interval: 10 });
});

afterAll(async () => {
  await running.proxy.shutdown();
  await Promise.all([upstream.close(), api.close()]);
});

const reviewIn = (namespace: string | undefined, kind = { group: 'apps', version: 'v1', kind: 'Deployment' }) => {
  const review = loadFixture('v1-create-deployment-3-replicas.json') as { request: Record<string, unknown> };
  const { namespace: _dropped, ...request } = review.request;
  return JSON.stringify({ ...review, request: { ...request, kind, ...(namespace ? { namespace } : {}) } });
};

async function headerSent(body: string, headers: Record<string, string> = {}): Promise<unknown> {
  upstream.seen.length = 0;
  const answer = await send(running, certs.ca.cert, { body, headers });
  expect(answer.status).toBe(200);
  return upstream.seen[0]?.headers[wireHeaders.namespaceLabels];
}

function metricsText(): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: running.healthPort, path: '/metrics' }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}

describe('x-namespace-labels', () => {
  it('carries the labels of a known namespace as JSON', async () => {
    const header = await headerSent(reviewIn('shop'));
    expect(JSON.parse(String(header))).toEqual({ tier: 'prod', 'app.example.com/owner': 'web-team' });
  });

  it('follows a relabelling', async () => {
    api.change('shop', { tier: 'dev' });
    await vi.waitFor(async () => expect(await headerSent(reviewIn('shop'))).toBe('{"tier":"dev"}'), {
      timeout: 5000,
      interval: 20,
    });
  });

  it('is left out for a namespace the watch does not know', async () => {
    expect(await headerSent(reviewIn('nowhere'))).toBeUndefined();
  });

  it('is left out for a cluster-scoped object and for a Namespace itself', async () => {
    expect(await headerSent(reviewIn(undefined))).toBeUndefined();
    expect(await headerSent(reviewIn('shop', { group: '', version: 'v1', kind: 'Namespace' }))).toBeUndefined();
  });

  it('drops a copy the caller sent, and sends its own instead', async () => {
    const forged = { [wireHeaders.namespaceLabels]: '{"tier":"prod"}' };
    expect(await headerSent(reviewIn('nowhere'), forged)).toBeUndefined();
    expect(await headerSent(reviewIn('shop'), forged)).toBe('{"tier":"dev"}');
  });

  it('says in /metrics that the labels are synced', async () => {
    expect(await metricsText()).toMatch(/^admission_proxy_namespace_labels_synced 1$/m);
  });
});
