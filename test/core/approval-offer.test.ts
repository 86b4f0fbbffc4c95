// The offer: a denial by approvable rules only, in a namespace whose route lists
// approvers, carries an approval offer on its BLOCKED text and exposes its binding to
// the shell; anything else does not.
import { describe, expect, it } from 'vitest';
import {
  admitByApproval,
  type BlockedNotification,
  hashApprovalSpec,
  parseQueueMessage,
  toQueueMessage,
} from '../../functions/core/index.js';
import { approvalPolicy, approvers, decideReview } from '../helpers/approvals.js';
import { loadFixture, type ReviewFixture } from '../helpers/fixtures.js';

const policy = approvalPolicy();

function twoReplicas(): ReviewFixture {
  return loadFixture('v1-create-deployment-2-replicas.json');
}

function blocked(review: ReviewFixture, under = policy): BlockedNotification {
  const [notification] = decideReview(review, under).notifications;
  if (notification?.type !== 'blocked') throw new Error('expected a BLOCKED notification');
  return notification;
}

describe('the approval offer', () => {
  it('rides on the BLOCKED text of a denial by an approvable rule, bound to this exact change', () => {
    const review = twoReplicas();
    const decision = decideReview(review, policy);
    const binding = {
      cluster: 'prod-aks',
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
      rules: ['min-replicas'],
      specHash: hashApprovalSpec(review.request.object),
    };
    expect(decision).toMatchObject({ allowed: false, approvable: binding });
    expect(blocked(review).approval).toEqual({ binding, approvers: [approvers.alice, approvers.bob], required: 1 });
  });

  it('asks for two approvers under the two-person rule', () => {
    expect(blocked(twoReplicas(), approvalPolicy(2)).approval?.required).toBe(2);
  });

  it('is not made when a rule that is not approvable denies too', () => {
    const review = twoReplicas();
    delete review.request.object.metadata.labels['app.kubernetes.io/part-of'];
    const decision = decideReview(review, policy);
    expect(decision.allowed).toBe(false);
    expect(decision.approvable).toBeUndefined();
    expect(blocked(review).approval).toBeUndefined();
  });

  it('is not made where no route lists approvers', () => {
    const review = twoReplicas();
    review.request.namespace = review.request.object.metadata.namespace = 'payments';
    expect(decideReview(review, policy).approvable).toBeUndefined();
    expect(blocked(review).approval).toBeUndefined();
  });

  it('is not texted for a dry run, but the binding is exposed so a dry run can check a grant', () => {
    const review = twoReplicas();
    review.request.dryRun = true;
    const decision = decideReview(review, policy);
    expect(decision.notifications).toEqual([]);
    expect(decision.approvable?.rules).toEqual(['min-replicas']);
  });

  it('binds the cluster as "" when it is unknown', () => {
    expect(decideReview(twoReplicas(), policy, '').approvable?.cluster).toBe('');
  });

  it('is not made for an allowed request', () => {
    const review = twoReplicas();
    review.request.object.spec.replicas = 3;
    expect(decideReview(review, policy).approvable).toBeUndefined();
  });
});

describe('the offer on the queue', () => {
  it('survives the queue message unchanged', () => {
    const notification = blocked(twoReplicas());
    const read = parseQueueMessage(JSON.parse(JSON.stringify(toQueueMessage(notification))));
    if (!('value' in read)) throw new Error(read.error);
    expect(read.value.notification).toMatchObject({ type: 'blocked', approval: notification.approval });
  });

  it('is kept whole when a huge notification is summarised to fit', () => {
    const notification = { ...blocked(twoReplicas()), reason: 'x'.repeat(60_000) };
    const { notification: fitted } = toQueueMessage(notification);
    expect(fitted.type === 'blocked' && fitted.approval).toEqual(notification.approval);
    expect(JSON.stringify({ version: 1, notification: fitted }).length).toBeLessThan(49_152);
  });

  it('is dropped on reading when out of bounds, and the BLOCKED text still goes', () => {
    const notification = blocked(twoReplicas());
    const approval = notification.approval && { ...notification.approval, approvers: ['not a number'] };
    const read = parseQueueMessage({ version: 1, notification: { ...notification, approval } });
    if (!('value' in read)) throw new Error(read.error);
    expect(read.value.notification).toMatchObject({ type: 'blocked', approval: undefined });
  });
});

describe('a denial admitted by approval', () => {
  const denied = {
    allowed: false,
    message: 'denied',
    violations: ['denied'],
    warnings: ['container web has no readinessProbe'],
    notifications: [],
    audited: ['audit-rule'],
    outcome: 'denied',
  } as const;
  const binding = { ...bindingFor(), rules: ['min-replicas', 'probes'] };

  it('is allowed with the approvers, the time and every rule in one warning, before the others', () => {
    const claimed = { approvers: ['+44…0123', '+1…0001'], approvedAt: '2026-12-02T10:42:59.123Z' };
    expect(admitByApproval(denied, binding, claimed)).toEqual({
      allowed: true,
      warnings: [
        'approved by +44...0123 and +1...0001 at 10:42 UTC (rules min-replicas, probes)',
        'container web has no readinessProbe',
      ],
      notifications: [],
      audited: ['audit-rule'],
      outcome: 'approved',
      auditAnnotations: {
        'approved-by': '+44...0123 and +1...0001',
        'approved-at': '2026-12-02T10:42:59.123Z',
        'approved-rules': 'min-replicas,probes',
      },
    });
  });

  it('answers the API server with audit annotation keys it accepts: no "/", the webhook name is prefixed', () => {
    const claimed = { approvers: ['+44…0123'], approvedAt: '2026-12-02T10:42:00Z' };
    const decision = admitByApproval(denied, binding, claimed);
    const keys = Object.keys(decision.auditAnnotations ?? {});
    expect(keys.length).toBe(3);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

function bindingFor() {
  return {
    cluster: 'prod-aks',
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    rules: ['min-replicas'],
    specHash: 'a'.repeat(64),
  };
}
