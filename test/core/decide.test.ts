import { describe, expect, it } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import type { Decision } from '../../functions/core/decision.js';
import type { Notification } from '../../functions/core/notification.js';
import { defaultPolicy } from '../../functions/core/policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { loadFixture, type WorkloadFixture } from '../helpers/fixtures.js';

const policy = defaultPolicy(3);
const now = new Date('2026-11-22T10:00:00Z');

function decideReview(review: unknown, cluster: string | null = 'prod-aks'): Decision {
  const { request } = admissionReviewSchema.parse(review);
  const target = readTarget(request);
  if ('error' in target) throw new Error(`fixture does not parse: ${target.error}`);
  return decide(request, target.value, policy, { cluster: cluster ?? undefined, now });
}

function only(decision: Decision): Notification {
  expect(decision.notifications).toHaveLength(1);
  return decision.notifications[0] as Notification;
}

describe('minimum replicas on create', () => {
  it.each([
    ['denies a Deployment with 2 replicas and says the count, the minimum and the fix', 2, false],
    ['denies a Deployment with 0 replicas', 0, false],
    ['allows a Deployment with exactly the minimum', 3, true],
    ['allows a Deployment with more than the minimum', 12, true],
  ])('%s', (_sentence, replicas, allowed) => {
    const review = loadFixture('v1-create-deployment-3-replicas.json');
    review.request.object.spec.replicas = replicas;
    const decision = decideReview(review);
    expect(decision.allowed).toBe(allowed);
    if (!allowed) {
      expect(decision.message).toBe(
        `deployment shop/web has ${replicas} replicas; the minimum is 3. Set spec.replicas to 3 or more and re-apply.`,
      );
    }
  });

  it('denies a Deployment without spec.replicas, which Kubernetes runs as 1 replica', () => {
    const review = loadFixture('v1-create-deployment-3-replicas.json');
    delete review.request.object.spec.replicas;
    const decision = decideReview(review);
    expect(decision.allowed).toBe(false);
    expect(decision.message).toContain('does not set spec.replicas (so runs 1 replica); the minimum is 3');
  });

  it('treats replicas: null as unset', () => {
    const review = loadFixture('v1-create-deployment-3-replicas.json');
    review.request.object.spec.replicas = null;
    expect(decideReview(review).allowed).toBe(false);
  });

  it('applies a configured minimum instead of 3', () => {
    const review = loadFixture('v1-create-deployment-2-replicas.json');
    const { request } = admissionReviewSchema.parse(review);
    const target = readTarget(request);
    if ('error' in target) throw new Error(target.error);
    expect(decide(request, target.value, defaultPolicy(2), { cluster: undefined, now }).allowed).toBe(true);
    expect(decide(request, target.value, defaultPolicy(5), { cluster: undefined, now }).message).toContain(
      'the minimum is 5',
    );
  });
});

describe('notifications', () => {
  it('sends a blocked notification with who, where, why and how to fix', () => {
    const notification = only(decideReview(loadFixture('v1-create-deployment-2-replicas.json')));
    expect(notification).toEqual({
      type: 'blocked',
      cluster: 'prod-aks',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      operation: 'CREATE',
      subResource: undefined,
      user: 'alice@contoso.com',
      uid: '0e9d4c6b-71a2-4b8e-a3f5-c2d1e0b9a874',
      at: '2026-11-22T10:00:00.000Z',
      rules: ['minimum-replicas'],
      reason: '2 replicas, minimum is 3',
      fix: 'Set spec.replicas >= 3 and re-apply.',
    });
  });

  it('announces a new application with its replicas and images', () => {
    const notification = only(decideReview(loadFixture('v1-create-deployment-3-replicas.json')));
    expect(notification).toMatchObject({ type: 'created', operation: 'CREATE', replicas: 3 });
    expect(notification.type === 'created' && notification.images).toEqual([{ container: 'web', image: 'nginx:1.25' }]);
  });

  it('reports an image change as old -> new', () => {
    const notification = only(decideReview(loadFixture('v1-update-deployment-image.json')));
    expect(notification).toMatchObject({
      type: 'changed',
      operation: 'UPDATE',
      changes: ['web: nginx:1.25 -> nginx:1.27'],
    });
  });

  it('reports an image change and a replica change together', () => {
    const review = loadFixture('v1-update-deployment-image.json');
    review.request.object.spec.replicas = 5;
    const notification = only(decideReview(review));
    expect(notification.type === 'changed' && notification.changes).toEqual([
      'web: nginx:1.25 -> nginx:1.27',
      'replicas 3 -> 5',
    ]);
  });

  it.each([
    ['stays silent for a labels-only update', 'v1-update-deployment-labels-only.json'],
    ['stays silent for a DELETE, whose object is null', 'v1-delete-deployment.json'],
  ])('%s', (_sentence, fixture) => {
    const decision = decideReview(loadFixture(fixture));
    expect(decision).toMatchObject({ allowed: true, notifications: [], warnings: [] });
  });

  it('stays silent when GitOps re-applies an unchanged object', () => {
    const review = loadFixture('v1-update-deployment-image.json');
    review.request.object = structuredClone(review.request.oldObject);
    expect(decideReview(review)).toMatchObject({ allowed: true, notifications: [], outcome: 'allowed' });
  });

  it('decides a dry run the same way but sends nothing', () => {
    const dryRun = decideReview(loadFixture('v1-create-deployment-dry-run.json'));
    expect(dryRun).toMatchObject({ allowed: false, notifications: [], outcome: 'denied' });
    expect(dryRun.message).toContain('has 2 replicas');
  });

  it('leaves the cluster out when none is known', () => {
    expect(only(decideReview(loadFixture('v1-create-deployment-3-replicas.json'), null)).cluster).toBeUndefined();
  });

  it('names a generated Deployment by its generateName prefix', () => {
    const review = loadFixture('v1-create-deployment-2-replicas.json');
    review.request.name = '';
    delete review.request.object.metadata.name;
    review.request.object.metadata.generateName = 'web-';
    expect(decideReview(review).message).toContain('deployment shop/web-(generated) has 2 replicas');
  });
});

describe('updates to a Deployment that already breaks the rule', () => {
  function belowMinimum(change: (object: WorkloadFixture) => void) {
    const review = loadFixture('v1-update-deployment-labels-only.json');
    review.request.oldObject.spec.replicas = 2;
    review.request.object.spec.replicas = 2;
    change(review.request.object);
    return decideReview(review);
  }

  it('allows a metadata-only update with a warning, so controllers and GitOps are not wedged', () => {
    const decision = belowMinimum(() => {});
    expect(decision).toMatchObject({ allowed: true, outcome: 'warned', notifications: [] });
    expect(decision.warnings).toEqual([
      'deployment shop/web has 2 replicas, below the minimum of 3; spec changes will be denied',
    ]);
  });

  it('counts a single replica in the singular', () => {
    const review = loadFixture('v1-update-deployment-labels-only.json');
    review.request.oldObject.spec.replicas = review.request.object.spec.replicas = 1;
    expect(decideReview(review).warnings[0]).toContain('has 1 replica, below the minimum of 3');
  });

  it('denies a spec change until replicas meet the minimum', () => {
    const decision = belowMinimum((object) => {
      (object as { spec: { minReadySeconds?: number } }).spec.minReadySeconds = 10;
    });
    expect(decision).toMatchObject({ allowed: false, outcome: 'denied' });
  });

  it('denies lowering replicas below the minimum', () => {
    const review = loadFixture('v1-update-deployment-image.json');
    review.request.object.spec.replicas = 1;
    expect(decideReview(review).message).toContain('has 1 replica; the minimum is 3');
  });

  it('allows any update once deletion has started, so finalizers can be removed', () => {
    const decision = belowMinimum((object) => {
      (object as { metadata?: object }).metadata = { name: 'web', deletionTimestamp: '2026-11-22T09:59:00Z' };
      object.spec.replicas = 0;
    });
    expect(decision).toMatchObject({ allowed: true, notifications: [], outcome: 'not-applicable' });
  });
});

describe('the scale subresource', () => {
  it('denies kubectl scale --replicas=1 and texts ops', () => {
    const decision = decideReview(loadFixture('v1-update-scale-to-1.json'));
    expect(decision.message).toBe(
      'deployment shop/web cannot be scaled to 1 replica; the minimum is 3. Scale to 3 or more, for example kubectl scale --replicas=3.',
    );
    expect(only(decision)).toMatchObject({
      type: 'blocked',
      subResource: 'scale',
      reason: 'scale to 1 replica, minimum is 3',
    });
  });

  it('treats a Scale without spec.replicas as 0, as autoscaling/v1 does', () => {
    const review = loadFixture('v1-update-scale-to-1.json');
    delete review.request.object.spec.replicas;
    expect(decideReview(review).message).toContain('cannot be scaled to 0 replicas');
  });

  it('reports scaling up as a replica change', () => {
    const review = loadFixture('v1-update-scale-to-1.json');
    review.request.object.spec.replicas = 6;
    expect(only(decideReview(review))).toMatchObject({ type: 'changed', changes: ['replicas 3 -> 6'] });
  });

  it('stays silent when the count does not change', () => {
    const review = loadFixture('v1-update-scale-to-1.json');
    review.request.object.spec.replicas = 3;
    expect(decideReview(review)).toMatchObject({ allowed: true, notifications: [] });
  });
});

describe('requests the policies do not cover', () => {
  it.each<[string, Record<string, unknown>]>([
    [
      'allows a ConfigMap',
      {
        kind: { group: '', version: 'v1', kind: 'ConfigMap' },
        resource: { group: '', version: 'v1', resource: 'configmaps' },
        object: { data: {} },
      },
    ],
    ['allows a StatefulSet with 1 replica', { resource: { group: 'apps', version: 'v1', resource: 'statefulsets' } }],
    ['allows a status update', { subResource: 'status', operation: 'UPDATE' }],
    ['allows CONNECT', { operation: 'CONNECT', object: null }],
  ])('%s without notification', (_sentence, change) => {
    const review = loadFixture('v1-create-deployment-2-replicas.json');
    review.request.object.spec.replicas = 1;
    Object.assign(review.request, change);
    expect(decideReview(review)).toMatchObject({ allowed: true, notifications: [], outcome: 'not-applicable' });
  });
});
