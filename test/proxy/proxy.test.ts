import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issueServingCertificate } from '../../certs/issue-certificates.js';
import { loadFixture } from '../helpers/fixtures.js';
import { type FakeFunction, functionKey, send, startFakeFunction, startProxy } from '../helpers/proxy-harness.js';
import { proxyForThisFile } from '../helpers/proxy-under-test.js';

const v1 = loadFixture('v1-create-deployment-3-replicas.json');
const v1beta1 = loadFixture('v1beta1-create-deployment-2-replicas.json');
const review = JSON.stringify(v1);

const under = proxyForThisFile();
const ca = () => under.certs.ca.cert;

afterEach(() => {
  under.upstream.answer = 'allow';
  under.upstream.seen.length = 0;
});

describe('relaying', () => {
  it('relays the review and the function answer faithfully', async () => {
    const answer = await send(under.running, ca(), { body: review });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: v1.request.uid, allowed: true },
    });
    expect(under.upstream.seen[0]?.body).toBe(review);
    expect(under.upstream.seen[0]?.url).toBe('/api/admission');
  });

  it('adds the function key from the file, the cluster name and a request id', async () => {
    const answer = await send(under.running, ca(), { body: review, headers: { 'x-request-id': 'req-42' } });
    expect(under.upstream.seen[0]?.headers).toMatchObject({
      'x-functions-key': functionKey,
      'x-cluster-name': 'test-cluster',
      'x-request-id': 'req-42',
    });
    expect(answer.headers['x-request-id']).toBe('req-42');
  });

  it('replaces a function key sent by the caller instead of passing it on', async () => {
    await send(under.running, ca(), { body: review, headers: { 'x-functions-key': 'attacker-key' } });
    expect(under.upstream.seen[0]?.headers['x-functions-key']).toBe(functionKey);
  });

  it('does not pass on the caller credentials or hop-by-hop headers', async () => {
    await send(under.running, ca(), {
      body: review,
      headers: { authorization: 'Bearer api-server-token', te: 'trailers' },
    });
    expect(under.upstream.seen[0]?.headers.authorization).toBeUndefined();
    expect(under.upstream.seen[0]?.headers.te).toBeUndefined();
    expect(under.upstream.seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength(review)));
  });

  // This 400 used to be relayed raw. The API server never sends a malformed review, so
  // a refusal means a forged request or a broken function: it is now answered per
  // FAILURE_MODE, saying the function refused the review, and its text stays behind.
  it('answers the function own 400 per FAILURE_MODE instead of relaying its text', async () => {
    under.upstream.answer = 'status-400';
    const answer = await send(under.running, ca(), { body: review });
    expect(answer.status).toBe(200);
    expect(answer.json().response).toMatchObject({ uid: v1.request.uid, allowed: false, status: { code: 503 } });
    expect(answer.json().response.status?.message).toContain('refused the review (HTTP 400)');
    expect(answer.text).not.toContain('INVALID_REVIEW');
  });

  it('reuses upstream connections across reviews (keep-alive), whatever the caller asked for its own', async () => {
    const before = under.upstream.connections;
    for (let index = 0; index < 20; index++)
      await send(under.running, ca(), { body: review, headers: { connection: 'close' } });
    expect(under.upstream.connections - before).toBeLessThanOrEqual(1);
    expect(under.upstream.seen).toHaveLength(20);
  });
});

describe('when the function cannot answer (FAILURE_MODE=closed)', () => {
  it.each<[string, FakeFunction['answer'], string]>([
    ['answers 500', 'status-500', 'policy backend unavailable: answered HTTP 500'],
    [
      'answers something that is not an AdmissionReview',
      'not-json',
      'answered something that is not an AdmissionReview',
    ],
    ['answers for another uid', 'wrong-uid', 'answered for a different request (uid mismatch)'],
    ['resets the connection', 'reset', 'could not connect (ECONNRESET)'],
    ['refuses the key', 'status-401', 'refused the function key (HTTP 401)'],
  ])('denies with the right uid and says why when the function %s', async (_what, behaviour, why) => {
    under.upstream.answer = behaviour;
    const answer = await send(under.running, ca(), { body: JSON.stringify(v1beta1) });
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
      response: { uid: v1beta1.request.uid, allowed: false, status: { code: 503 } },
    });
    expect(body.response.status?.message).toContain(why);
  });

  it('gives up before the API server deadline in ?timeout=', async () => {
    under.upstream.answer = 'hang';
    const started = Date.now();
    const answer = await send(under.running, ca(), { body: review, path: '/admission?timeout=2s' });
    const elapsed = Date.now() - started;
    expect(answer.json().response).toMatchObject({ uid: v1.request.uid, allowed: false });
    expect(answer.json().response.status?.message).toContain('timed out after 1s');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2000);
  });

  it('logs a refused key loudly, without the key', async () => {
    under.upstream.answer = 'status-401';
    await send(under.running, ca(), { body: review });
    const errorLine = under.running.logs
      .map((line) => JSON.parse(line))
      .find((entry) => entry.level === 50 && entry.uid === v1.request.uid);
    expect(errorLine).toMatchObject({ failureReason: 'unauthorized', uid: v1.request.uid });
    expect(under.running.logs.join('')).not.toContain(functionKey);
  });

  it('answers 400 INVALID_REVIEW, without asking the function, when there is no uid to answer for', async () => {
    under.upstream.answer = 'status-500';
    const seen = under.upstream.seen.length;
    const answer = await send(under.running, ca(), { body: '{"not":"a review"}' });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe('INVALID_REVIEW: apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1\n');
    expect(under.upstream.seen).toHaveLength(seen);
  });

  it.each([
    [
      'nested too deep',
      `${review.slice(0, -1)},"pad":${'['.repeat(70)}${']'.repeat(70)}}`,
      'nested deeper than 64 levels',
    ],
    ['cut short', review.slice(0, -1), 'the JSON ends early'],
    ['followed by garbage', `${review}]`, 'unexpected data after the JSON value'],
    ['with a second uid', review.replace('"uid":', '"uid":"first","uid":'), 'duplicate key "request.uid"'],
  ])('answers 400 INVALID_REVIEW to a review %s, without asking the function', async (_sentence, body, reason) => {
    const seen = under.upstream.seen.length;
    const answer = await send(under.running, ca(), { body });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(`INVALID_REVIEW: not JSON the proxy accepts: ${reason}\n`);
    expect(under.upstream.seen).toHaveLength(seen);
  });
});

describe('FAILURE_MODE=open', () => {
  it('allows with a warning when the function is unreachable', async () => {
    const down = await startFakeFunction();
    await down.close();
    const open = await startProxy(under.certs, down, { FAILURE_MODE: 'open' });
    try {
      const answer = await send(open, ca(), { body: review });
      const { response } = answer.json();
      expect(response).toMatchObject({ uid: v1.request.uid, allowed: true });
      expect(response.warnings?.[0]).toMatch(
        /^policy backend unavailable: could not connect \(ECONNREFUSED\); admitted unchecked/,
      );
      expect(response.warnings?.[0]?.length).toBeLessThan(120);
    } finally {
      await open.proxy.shutdown();
    }
  });
});

describe('limits', () => {
  it.each<[string, Parameters<typeof send>[2], number, RegExp]>([
    ['refuses GET on the webhook path with 405', { method: 'GET' }, 405, /^METHOD_NOT_ALLOWED/],
    [
      'refuses a non-JSON body with 415',
      { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      /^UNSUPPORTED_MEDIA_TYPE/,
    ],
    [
      'refuses a body over 7 MiB with 413',
      { body: 'x'.repeat(7 * 1024 * 1024 + 1) },
      413,
      /^PAYLOAD_TOO_LARGE: request body over 7340032 bytes/,
    ],
    ['answers 404 off the webhook path', { path: '/other' }, 404, /^NOT_FOUND/],
  ])('%s', async (_sentence, options, status, text) => {
    const answer = await send(under.running, ca(), options);
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(text);
    expect(under.upstream.seen).toHaveLength(0);
  });

  it('serves only the webhook path on the TLS port: health, readiness and metrics are 404 there', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const answer = await send(under.running, ca(), { method: 'GET', path });
      expect(answer.status).toBe(404);
      expect(answer.text).toMatch(/^NOT_FOUND/);
    }
  });

  it('serves health, readiness and metrics on the plain port, and not the webhook', async () => {
    const plain = `http://127.0.0.1:${under.running.healthPort}`;
    expect((await fetch(`${plain}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${plain}/readyz`)).text()).toBe('ready\n');
    await send(under.running, ca(), { body: review });
    const metrics = await (await fetch(`${plain}/metrics`)).text();
    expect(metrics).toMatch(/admission_proxy_requests_total\{outcome="relayed"\} \d+/);
    expect(metrics).toContain('admission_proxy_upstream_duration_seconds_bucket');
    expect((await fetch(`${plain}/admission`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${plain}/healthz`, { method: 'POST' })).status).toBe(404);
  });
});

describe('live reload', () => {
  it('serves a rotated certificate to new connections without failing any', async () => {
    const before = (await send(under.running, ca(), { body: review })).peerCertificateSerial;
    const sending = Array.from({ length: 20 }, (_, index) =>
      new Promise((resolve) => setTimeout(resolve, index * 20)).then(() => send(under.running, ca(), { body: review })),
    );
    await under.certs.rotate();
    const answers = await Promise.all(sending);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    await vi.waitFor(
      async () => expect((await send(under.running, ca(), { body: review })).peerCertificateSerial).not.toBe(before),
      { timeout: 3000 },
    );
  });

  it('refuses a key that does not match the certificate and keeps the current pair', async () => {
    const current = (await send(under.running, ca(), { body: review })).peerCertificateSerial;
    const other = await issueServingCertificate(under.certs.ca, {
      commonName: 'x',
      names: ['127.0.0.1'],
      validDays: 1,
    });
    writeFileSync(under.certs.keyFile, other.key); // the cert file still holds the current certificate
    await vi.waitFor(() => expect(under.running.logs.join('')).toContain('new TLS pair refused'), { timeout: 3000 });
    const answer = await send(under.running, ca(), { body: review });
    expect(answer.status).toBe(200);
    expect(answer.peerCertificateSerial).toBe(current);
    await under.certs.rotate(); // leave a consistent pair for the next test
  });

  it('picks up a rotated function key file', async () => {
    writeFileSync(under.certs.keyFileForFunction, 'fk_rotated_0123456789\n');
    try {
      await vi.waitFor(
        async () => {
          under.upstream.seen.length = 0;
          await send(under.running, ca(), { body: review });
          expect(under.upstream.seen[0]?.headers['x-functions-key']).toBe('fk_rotated_0123456789');
        },
        { timeout: 3000 },
      );
    } finally {
      writeFileSync(under.certs.keyFileForFunction, functionKey);
    }
  });
});
