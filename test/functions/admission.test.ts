import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { admission } from '../../functions/admission.js';
import type { AdmissionReviewResponse } from '../../functions/core/index.js';
import type { Notification } from '../../functions/core/notification.js';
import { defaultPolicy } from '../../functions/core/policy.js';
import { maxReviewBytes as maxBodyBytes } from '../../functions/core/wire.js';
import { createAdmissionHandler } from '../../functions/shells/http/admission-handler.js';
import { loadFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';

const fixtures = [
  'v1-create-deployment-3-replicas.json',
  'v1-create-deployment-2-replicas.json',
  'v1-create-deployment-dry-run.json',
  'v1-update-deployment-image.json',
  'v1-update-deployment-labels-only.json',
  'v1-update-scale-to-1.json',
  'v1-delete-deployment.json',
  'v1beta1-create-deployment-2-replicas.json',
];

function handlerWithSink(clusterName?: string) {
  const sent: Notification[] = [];
  const handler = createAdmissionHandler({
    settings: { clusterName },
    policy: defaultPolicy(3),
    now: () => new Date('2026-11-22T10:00:00Z'),
    sendNotifications: (notifications) => sent.push(...notifications),
  });
  return { handler, sent };
}

async function call(request: HttpRequest, handler = admission) {
  const { context, lines } = recordingContext();
  const response: HttpResponseInit = await handler(request, context);
  return { response, lines };
}

function body(response: HttpResponseInit): AdmissionReviewResponse {
  // Trust boundary: the handler under test builds jsonBody with toAdmissionReviewResponse.
  return response.jsonBody as AdmissionReviewResponse;
}

describe('admission handler: answers', () => {
  it.each(fixtures)('answers %s in its own apiVersion with its uid', async (fixture) => {
    const review = loadFixture(fixture);
    const { response } = await call(reviewRequest(review));
    expect(response.status).toBe(200);
    expect(body(response)).toMatchObject({
      apiVersion: review.apiVersion,
      kind: 'AdmissionReview',
      response: { uid: review.request.uid },
    });
  });

  it('answers a v1beta1 review as v1beta1, denied with code 403', async () => {
    const { response } = await call(reviewRequest(loadFixture('v1beta1-create-deployment-2-replicas.json')));
    expect(body(response)).toEqual({
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
      response: {
        uid: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
        allowed: false,
        status: {
          code: 403,
          reason: 'Forbidden',
          message: 'deployment shop/web has 2 replicas; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        },
      },
    });
  });

  it('allows a Deployment with 3 replicas without a status', async () => {
    const { response } = await call(reviewRequest(loadFixture('v1-create-deployment-3-replicas.json')));
    expect(body(response).response).toEqual({ uid: 'b6a1d8e4-4c2f-4f0a-9e57-1d3c5b7a9e21', allowed: true });
  });

  it('passes warnings through, each under 120 characters', async () => {
    const review = loadFixture('v1-update-deployment-labels-only.json');
    const longName = `web-${'x'.repeat(200)}`;
    Object.assign(review.request, { name: longName });
    review.request.object.spec.replicas = review.request.oldObject.spec.replicas = 1;
    const { response } = await call(reviewRequest(review));
    const [warning = '', ...others] = body(response).response.warnings ?? [];
    expect(others).toEqual([]);
    expect(warning.length).toBeLessThan(120);
    expect(warning).toMatch(/^deployment shop\/web-x+\.\.\.$/);
  });

  it('hands notifications to the sink with the cluster from the proxy header', async () => {
    const { handler, sent } = handlerWithSink('from-settings');
    const request = reviewRequest(loadFixture('v1-update-deployment-image.json'), { 'x-cluster-name': 'prod-aks' });
    await call(request, handler);
    expect(sent).toEqual([expect.objectContaining({ type: 'changed', cluster: 'prod-aks', name: 'web' })]);
  });

  it('falls back to CLUSTER_NAME when the proxy sends no cluster', async () => {
    const { handler, sent } = handlerWithSink('from-settings');
    await call(reviewRequest(loadFixture('v1-create-deployment-2-replicas.json')), handler);
    expect(sent).toEqual([expect.objectContaining({ type: 'blocked', cluster: 'from-settings' })]);
  });

  it('sends nothing for a dry run', async () => {
    const { handler, sent } = handlerWithSink();
    const { response } = await call(reviewRequest(loadFixture('v1-create-deployment-dry-run.json')), handler);
    expect(body(response).response.allowed).toBe(false);
    expect(sent).toEqual([]);
  });
});

describe('admission handler: bad requests', () => {
  const valid = JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));

  it.each<[string, () => HttpRequest, number, RegExp]>([
    [
      'refuses GET with 405 and Allow: POST',
      () => new HttpRequest({ method: 'GET', url: 'http://h/api/admission' }),
      405,
      /^METHOD_NOT_ALLOWED/,
    ],
    [
      'refuses a form body with 415',
      () => reviewRequest(valid, { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      /^UNSUPPORTED_MEDIA_TYPE/,
    ],
    [
      'refuses a missing content type with 415',
      () => new HttpRequest({ method: 'POST', url: 'http://h/api/admission', body: { string: valid } }),
      415,
      /application\/json/,
    ],
    ['refuses an empty body', () => reviewRequest(''), 400, /^EMPTY_BODY: request body is empty/],
    [
      'refuses a body that is not JSON',
      () => reviewRequest('{"apiVersion": '),
      400,
      /^INVALID_JSON: request body is not valid JSON\n$/,
    ],
    [
      'refuses JSON that is not an AdmissionReview',
      () => reviewRequest({ hello: 'world' }),
      400,
      /^INVALID_REVIEW: .*apiVersion: Invalid option/,
    ],
    [
      'refuses an unknown AdmissionReview version',
      () => reviewRequest({ ...JSON.parse(valid), apiVersion: 'admission.k8s.io/v2' }),
      400,
      /apiVersion: Invalid option: expected one of "admission.k8s.io\/v1"\|"admission.k8s.io\/v1beta1"/,
    ],
    [
      'refuses a review without request.uid, naming the field',
      () => {
        const review = JSON.parse(valid);
        delete review.request.uid;
        return reviewRequest(review);
      },
      400,
      /request\.uid: Invalid input: expected string, received undefined/,
    ],
    [
      'refuses a Deployment whose replicas is not a number, naming the path',
      () => {
        const review = JSON.parse(valid);
        review.request.object.spec.replicas = 'three';
        return reviewRequest(review);
      },
      400,
      /request\.object\.spec\.replicas: Invalid input: expected number, received string/,
    ],
    [
      'refuses a container list that is not a list',
      () => {
        const review = JSON.parse(valid);
        review.request.object.spec.template.spec.containers = 'web';
        return reviewRequest(review);
      },
      400,
      /request\.object\.spec\.template\.spec\.containers: Invalid input: expected array/,
    ],
    [
      'refuses a spec nested deeper than any Deployment, before comparing it',
      () => {
        const review = loadFixture('v1-update-deployment-image.json');
        review.request.object.spec.template.spec.volumes = 'DEEP';
        review.request.oldObject.spec.template.spec.volumes = 'DEEP';
        const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
        return reviewRequest(JSON.stringify(review).replaceAll('"DEEP"', deep));
      },
      400,
      /^INVALID_REVIEW: .*request\.object\.spec: nested deeper than 100 levels/,
    ],
    [
      'refuses a malformed x-cluster-name header',
      () => reviewRequest(valid, { 'x-cluster-name': 'prod aks' }),
      400,
      /^INVALID_CLUSTER_NAME/,
    ],
  ])('%s', async (_sentence, makeRequest, status, message) => {
    const { response } = await call(makeRequest());
    expect(response.status).toBe(status);
    expect(response.body).toMatch(message);
    expect(response.jsonBody).toBeUndefined();
    if (status === 405) expect((response.headers as Record<string, string>).allow).toBe('POST');
  });

  it('refuses a declared body over 7 MiB without reading it', async () => {
    const request = reviewRequest('{}', { 'content-length': String(maxBodyBytes + 1) });
    const { response } = await call(request);
    expect(response.status).toBe(400);
    expect(response.body).toBe('BODY_TOO_LARGE: request body too large; limit is 7340032 bytes\n');
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses a streamed body that grows past 7 MiB', async () => {
    const review = JSON.parse(valid);
    review.request.object.metadata.annotations.big = 'x'.repeat(maxBodyBytes);
    const { response } = await call(reviewRequest(review));
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/^BODY_TOO_LARGE/);
  });

  it('accepts a body just under the limit, as an UPDATE of two 3 MiB objects would be', async () => {
    const review = loadFixture('v1-update-deployment-labels-only.json');
    const bulk = 'x'.repeat(3 * 1024 * 1024 - 10_000);
    review.request.object.metadata.annotations = { ...review.request.object.metadata.annotations, big: bulk };
    review.request.oldObject.metadata.annotations = { ...review.request.oldObject.metadata.annotations, big: bulk };
    const { response } = await call(reviewRequest(review));
    expect(response.status).toBe(200);
    expect(body(response).response.allowed).toBe(true);
  });

  it('answers 500 for an internal error so the failure policy decides, never allowing', async () => {
    const handler = createAdmissionHandler({
      settings: { clusterName: undefined },
      policy: defaultPolicy(3),
      now: () => new Date(),
      sendNotifications: () => {
        throw new TypeError('sink exploded with token=abc123');
      },
    });
    const { response, lines } = await call(reviewRequest(loadFixture('v1-create-deployment-3-replicas.json')), handler);
    expect(response.status).toBe(500);
    expect(response.body).toMatch(/^INTERNAL: /);
    expect(lines.some((line) => line.level === 'error' && line.text.includes('"errorCode":"INTERNAL"'))).toBe(true);
    expect(lines.map((line) => line.text).join('\n')).not.toContain('abc123');
  });
});

describe('admission handler: logs', () => {
  it('logs who and what was decided, and nothing from the object', async () => {
    const review = loadFixture('v1-create-deployment-2-replicas.json');
    const [container] = review.request.object.spec.template.spec.containers;
    if (!container) throw new Error('the fixture has a container');
    container.env = [{ name: 'DB_PASSWORD', value: 'hunter2-secret' }];
    const { lines } = await call(reviewRequest(review));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]?.text ?? '');
    expect(entry).toMatchObject({
      event: 'admission.decided',
      uid: '0e9d4c6b-71a2-4b8e-a3f5-c2d1e0b9a874',
      kind: 'apps/v1/Deployment',
      namespace: 'shop',
      name: 'web',
      operation: 'CREATE',
      user: 'alice@contoso.com',
      decision: 'denied',
      notifications: 1,
    });
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(entry).sort()).toEqual(
      [
        'decision',
        'dryRun',
        'durationMs',
        'event',
        'kind',
        'name',
        'namespace',
        'notifications',
        'operation',
        'uid',
        'user',
      ].sort(),
    );
    expect(lines[0]?.text).not.toMatch(/hunter2|nginx|replicas/);
  });

  it('logs the proxy request id for correlation, but only a plain token', async () => {
    const review = loadFixture('v1-create-deployment-3-replicas.json');
    const tagged = await call(reviewRequest(review, { 'x-request-id': 'req-7f3a' }));
    expect(JSON.parse(tagged.lines[0]?.text ?? '')).toMatchObject({ requestId: 'req-7f3a' });
    const forged = await call(reviewRequest(review, { 'x-request-id': 'x" "event":"forged' }));
    expect(JSON.parse(forged.lines[0]?.text ?? '').requestId).toBeUndefined();
  });

  it('logs a rejected body by error code only', async () => {
    const { lines } = await call(reviewRequest('{"token": "sk_live_secret"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]?.text ?? '')).toMatchObject({ event: 'admission.rejected', errorCode: 'INVALID_JSON' });
    expect(lines[0]?.text).not.toContain('sk_live_secret');
  });
});
