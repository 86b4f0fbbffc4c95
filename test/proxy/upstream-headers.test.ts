// The function receives the proxy's own headers only: the body's type and length, the
// function key, the request id and the configured cluster name. Whatever the caller
// sent (credentials, a cluster name, an identity, forwarding headers) stays behind.
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { functionKey, send } from '../helpers/proxy-harness.js';
import { proxyForThisFile } from '../helpers/proxy-under-test.js';

const review = JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));
const named = proxyForThisFile(); // CLUSTER_NAME=test-cluster
const unnamed = proxyForThisFile({ CLUSTER_NAME: '' });

afterEach(() => {
  for (const under of [named, unnamed]) under.upstream.seen.length = 0;
});

// Headers a caller could send to pass for someone, or to smuggle something, to the function.
const callerHeaders = {
  'x-cluster-name': 'someone-elses-cluster',
  'x-ms-client-principal-name': 'admin@contoso.com',
  'x-ms-client-principal-id': '00000000-0000-0000-0000-000000000000',
  'x-forwarded-for': '10.0.0.66',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
  forwarded: 'for=10.0.0.66',
  authorization: 'Bearer api-server-token',
  cookie: 'session=stolen',
  'x-functions-key': 'attacker-key',
  'x-custom': 'anything',
  te: 'trailers',
  'content-type': 'application/json; charset=utf-8; smuggled=1',
};

const proxyOwnHeaders = [
  'accept-encoding',
  'connection',
  'content-length',
  'content-type',
  'host',
  'x-functions-key',
  'x-request-id',
];

describe('headers to the function', () => {
  it('sends the proxy own values and nothing else the caller sent', async () => {
    const answer = await send(named.running, named.certs.ca.cert, {
      body: review,
      headers: { ...callerHeaders, 'x-request-id': 'req-42' },
    });
    expect(answer.json().response.allowed).toBe(true);
    const seen = named.upstream.seen[0]?.headers;
    expect(Object.keys(seen ?? {}).sort()).toEqual([...proxyOwnHeaders, 'x-cluster-name'].sort());
    expect(seen).toMatchObject({
      'x-functions-key': functionKey,
      'x-cluster-name': 'test-cluster',
      'x-request-id': 'req-42',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(review)),
      'accept-encoding': 'identity',
      connection: 'keep-alive',
    });
    expect(seen?.host).toBe(new URL(named.upstream.url).host);
  });

  it('sends no cluster name at all when none is configured, not even the caller one', async () => {
    await send(unnamed.running, unnamed.certs.ca.cert, { body: review, headers: callerHeaders });
    const seen = unnamed.upstream.seen[0]?.headers;
    expect(Object.keys(seen ?? {}).sort()).toEqual(proxyOwnHeaders);
    expect(seen?.['x-cluster-name']).toBeUndefined();
    expect(seen?.['x-functions-key']).toBe(functionKey);
  });

  it('sends its own request id when the caller sent none', async () => {
    const answer = await send(named.running, named.certs.ca.cert, { body: review });
    const sentId = named.upstream.seen[0]?.headers['x-request-id'];
    expect(sentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-request-id']).toBe(sentId);
  });

  it('strips the caller headers even when it asks for 100-continue', async () => {
    const answer = await send(named.running, named.certs.ca.cert, {
      body: review,
      headers: { ...callerHeaders, expect: '100-continue' },
    });
    expect(answer.json().response.allowed).toBe(true);
    const seen = named.upstream.seen[0]?.headers;
    expect(Object.keys(seen ?? {}).sort()).toEqual([...proxyOwnHeaders, 'x-cluster-name'].sort());
    expect(seen?.['x-cluster-name']).toBe('test-cluster');
  });
});
