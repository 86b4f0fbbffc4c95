// Replica changes made by the HPA or another controller are not news: with the
// default `notifications.scale: human` they are not texted; `all` texts them, `none`
// texts no replica-only change at all. Other changes are texted whoever made them.
import { describe, expect, it } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { defaultPolicy, type Policy } from '../../functions/core/policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { loadFixture } from '../helpers/fixtures.js';

const hpa = 'system:serviceaccount:kube-system:horizontal-pod-autoscaler';

function withScale(scale: 'human' | 'all' | 'none'): Policy {
  const policy = defaultPolicy(3);
  return { ...policy, notifications: { ...policy.notifications, scale } };
}

/** A Deployment update from 3 to `replicas` (and, optionally, a new image) by `user`. */
function texts(user: string, replicas: number, policy: Policy, image?: string) {
  const review = loadFixture('v1-update-deployment-image.json');
  review.request.userInfo.username = user;
  const object = review.request.object;
  const old = review.request.oldObject;
  object.spec.replicas = replicas;
  old.spec.replicas = 3;
  object.spec.template = structuredClone(old.spec.template);
  const [first] = object.spec.template.spec.containers;
  if (image && first) first.image = image;
  const { request } = admissionReviewSchema.parse(review);
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return decide(request, target.value, policy, { cluster: 'prod-aks', now: new Date() }).notifications;
}

/** `kubectl scale` (the scale subresource) from 3 to 5 by `user`. */
function scaleTexts(user: string, policy: Policy) {
  const review = loadFixture('v1-update-scale-to-1.json');
  review.request.userInfo.username = user;
  review.request.object.spec.replicas = 5;
  const { request } = admissionReviewSchema.parse(review);
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return decide(request, target.value, policy, { cluster: 'prod-aks', now: new Date() }).notifications;
}

describe('texts about replica changes', () => {
  it.each([
    ['the HPA', hpa],
    ['the controller manager', 'system:kube-controller-manager'],
    ['another kube-system controller', 'system:serviceaccount:kube-system:deployment-controller'],
  ])('are not sent by default when %s changes the replicas', (_who, user) => {
    expect(texts(user, 5, withScale('human'))).toEqual([]);
    expect(scaleTexts(user, withScale('human'))).toEqual([]);
  });

  it('are sent by default when a person, or a GitOps tool acting for one, changes the replicas', () => {
    expect(texts('alice@contoso.com', 5, withScale('human'))).toMatchObject([{ changes: ['replicas 3 -> 5'] }]);
    expect(texts('system:serviceaccount:argocd:argocd-application-controller', 5, defaultPolicy(3))).toHaveLength(1);
    expect(scaleTexts('alice@contoso.com', withScale('human'))).toMatchObject([{ changes: ['replicas 3 -> 5'] }]);
  });

  it('are sent for the HPA too with scale: all, and for nobody with scale: none', () => {
    expect(texts(hpa, 5, withScale('all'))).toHaveLength(1);
    expect(texts('alice@contoso.com', 5, withScale('none'))).toEqual([]);
    expect(scaleTexts('alice@contoso.com', withScale('none'))).toEqual([]);
  });

  it('still text a controller change that is not only the replica count', () => {
    expect(texts(hpa, 5, withScale('human'), 'nginx:1.27')).toMatchObject([
      { changes: ['web: nginx:1.25 -> nginx:1.27', 'replicas 3 -> 5'] },
    ]);
  });
});
