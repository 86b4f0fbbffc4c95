// The proxy's heartbeat against the fake function: it carries the cluster name, the
// failure mode and the reviews the proxy answered itself since the last heartbeat that
// got through, with the function key; and a heartbeat that fails changes nothing for
// reviews or readiness.
import { afterEach, describe, expect, it } from 'vitest';
import { loadProxyConfig, ProxyConfigError } from '../../proxy/config.js';
import { heartbeatUrl } from '../../proxy/heartbeat.js';
import { loadFixture } from '../helpers/fixtures.js';
import { functionKey, type SeenRequest, send } from '../helpers/proxy-harness.js';
import { type ProxyUnderTest, proxyForThisFile } from '../helpers/proxy-under-test.js';

const beating = proxyForThisFile({ HEARTBEAT_INTERVAL_MS: '150', FAILURE_MODE: 'closed' });
const nameless = proxyForThisFile({ HEARTBEAT_INTERVAL_MS: '100', CLUSTER_NAME: ' ' });

afterEach(() => {
  beating.upstream.answer = 'allow';
});

const isHeartbeat = (seen: SeenRequest) => seen.url === '/api/heartbeat';

async function waitFor<T>(
  find: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The next heartbeat the fake function receives after this call. */
function nextHeartbeat(under: ProxyUnderTest): Promise<SeenRequest> {
  const before = under.upstream.seen.length;
  return waitFor(() => under.upstream.seen.slice(before).find(isHeartbeat), 'a heartbeat');
}

async function heartbeatCount(under: ProxyUnderTest, result: string): Promise<number> {
  const metric = await under.running.proxy.metrics.heartbeats.get();
  return metric.values.find((value) => value.labels.result === result)?.value ?? 0;
}

let reviews = 0;
function review() {
  const body = loadFixture('v1-create-deployment-3-replicas.json');
  body.request.uid = `heartbeat-${reviews++}`;
  return JSON.stringify(body);
}

describe('the heartbeat', () => {
  it('carries the cluster, the failure mode and the failures since the last one that got through, with the key', async () => {
    const { upstream, running, certs } = beating;
    upstream.answer = 'status-500';
    const denied = await send(running, certs.ca.cert, { body: review() });
    expect(denied.json().response.allowed).toBe(false);

    await nextHeartbeat(beating); // perhaps under way before the review: its counts may predate it
    const first = await nextHeartbeat(beating); // answered 500 too: not through
    expect(first.headers['x-functions-key']).toBe(functionKey);
    expect(first.headers['x-cluster-name']).toBe('test-cluster');
    expect(JSON.parse(first.body)).toEqual({
      version: 1,
      cluster: 'test-cluster',
      failureMode: 'closed',
      failures: { upstream_error: 1 },
    });
    expect(JSON.parse((await nextHeartbeat(beating)).body).failures).toEqual({ upstream_error: 1 });

    upstream.answer = { status: 204, text: '' };
    const sent = await heartbeatCount(beating, 'sent');
    await waitFor(async () => ((await heartbeatCount(beating, 'sent')) > sent ? true : undefined), 'a 204');
    expect(JSON.parse((await nextHeartbeat(beating)).body).failures).toEqual({});
  });

  it('changes nothing for reviews or readiness when the function refuses it, and is logged once', async () => {
    const { upstream, running, certs } = beating;
    upstream.answer = 'allow'; // a heartbeat is no review: the fake answers it 400
    const refused = await heartbeatCount(beating, 'refused');
    await waitFor(async () => ((await heartbeatCount(beating, 'refused')) >= refused + 3 ? true : undefined), '3');
    const failuresBefore = (await running.proxy.metrics.upstreamFailures.get()).values.length;

    const started = Date.now();
    const answer = await send(running, certs.ca.cert, { body: review() });
    expect(answer.status).toBe(200);
    expect(answer.json().response.allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await running.proxy.metrics.upstreamFailures.get()).values.length).toBe(failuresBefore);
    const ready = await fetch(`http://127.0.0.1:${running.healthPort}/readyz`);
    expect(ready.status).toBe(200);
    const failing = running.logs.filter((line) => line.includes('heartbeats to the function fail'));
    expect(failing.length).toBeLessThanOrEqual(2); // once per change from through to failing, not per heartbeat
  });

  it('is not sent without CLUSTER_NAME, and the log says why once', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(nameless.upstream.seen.filter(isHeartbeat)).toEqual([]);
    const why = nameless.running.logs.filter((line) => line.includes('CLUSTER_NAME is not set: no heartbeats'));
    expect(why).toHaveLength(1);
  });
});

describe('the heartbeat settings', () => {
  const base = { FUNCTION_URL: 'https://shop-admission.azurewebsites.net/api/admission', FUNCTION_KEY: 'k' };

  it('goes to the heartbeat route beside the admission route', () => {
    expect(heartbeatUrl(new URL(base.FUNCTION_URL)).href).toBe(
      'https://shop-admission.azurewebsites.net/api/heartbeat',
    );
    expect(heartbeatUrl(new URL('http://127.0.0.1:7071/api/admission?x=1')).href).toBe(
      'http://127.0.0.1:7071/api/heartbeat',
    );
  });

  it('beats every minute by default, 0 turns it off, and a too-short interval is refused', () => {
    expect(loadProxyConfig(base).heartbeatIntervalMs).toBe(60_000);
    expect(loadProxyConfig({ ...base, HEARTBEAT_INTERVAL_MS: '0' }).heartbeatIntervalMs).toBe(0);
    expect(() => loadProxyConfig({ ...base, HEARTBEAT_INTERVAL_MS: '50' })).toThrow(ProxyConfigError);
    expect(() => loadProxyConfig({ ...base, HEARTBEAT_INTERVAL_MS: '50' })).toThrow(
      'HEARTBEAT_INTERVAL_MS must be milliseconds: 0 (off) or from 100 to 3600000',
    );
  });
});
