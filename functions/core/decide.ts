// The decision: a pure function from a parsed request to allowed / denied / warned,
// plus the notifications ops should get. No I/O, no clock, no settings lookups.
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionRequest } from './admission-review.js';
import { deploymentReplicas, describeDeploymentChanges } from './describe-changes.js';
import { checkMinimumReplicas, countReplicas, type ReplicaViolation } from './minimum-replicas.js';
import type { Notification, NotificationSubject } from './notification.js';
import type { Policy } from './policy.js';
import type { AdmissionTarget, Deployment, Scale } from './workload.js';

export interface DecisionContext {
  readonly cluster: string | undefined;
  readonly now: Date;
}

export interface Decision {
  readonly allowed: boolean;
  /** Set when denied: the `status.message` kubectl shows. */
  readonly message?: string;
  readonly warnings: readonly string[];
  /** Empty for dry runs: they are decided the same way but must have no side effects. */
  readonly notifications: readonly Notification[];
  /** Short label for logs and metrics. */
  readonly outcome: 'allowed' | 'denied' | 'warned' | 'not-applicable';
}

const notApplicable: Decision = { allowed: true, warnings: [], notifications: [], outcome: 'not-applicable' };

export function decide(
  request: AdmissionRequest,
  target: AdmissionTarget,
  policy: Policy,
  context: DecisionContext,
): Decision {
  const decision =
    target.type === 'deployment'
      ? decideDeployment(request, target.object, target.oldObject, policy, context)
      : target.type === 'scale'
        ? decideScale(request, target.object, target.oldObject, policy, context)
        : notApplicable;
  return request.dryRun === true ? { ...decision, notifications: [] } : decision;
}

function decideDeployment(
  request: AdmissionRequest,
  object: Deployment,
  oldObject: Deployment | undefined,
  policy: Policy,
  context: DecisionContext,
): Decision {
  // Deletion in progress: the API server and garbage collector update finalizers and
  // deletionTimestamp. Blocking those would wedge the delete; nothing to check.
  if (object.metadata?.deletionTimestamp) return notApplicable;
  const subject = describeSubject(request, object, context, undefined);
  const replicas = deploymentReplicas(object);
  const violation = checkMinimumReplicas({
    subject: `deployment ${formatName(subject)}`,
    replicas,
    defaulted: object.spec?.replicas == null,
    minimum: policy.minReplicas,
    viaScale: false,
  });
  const specChanged = oldObject === undefined || !isDeepStrictEqual(oldObject.spec, object.spec);
  if (violation) return specChanged ? deny(subject, violation) : tolerate(subject, replicas, policy);
  if (request.operation === 'CREATE' || !oldObject) {
    const images = (object.spec?.template?.spec?.containers ?? []).map((c) => ({ container: c.name, image: c.image ?? '' }));
    return allow([{ ...subject, type: 'created', replicas, images }]);
  }
  const changes = describeDeploymentChanges(oldObject, object);
  return allow(changes.length > 0 ? [{ ...subject, type: 'changed', changes }] : []);
}

function decideScale(
  request: AdmissionRequest,
  object: Scale,
  oldObject: Scale | undefined,
  policy: Policy,
  context: DecisionContext,
): Decision {
  // autoscaling/v1 ScaleSpec.replicas is omitempty: absent means 0.
  const replicas = object.spec?.replicas ?? 0;
  const oldReplicas = oldObject ? (oldObject.spec?.replicas ?? 0) : undefined;
  const subject = describeSubject(request, object, context, 'scale');
  const violation = checkMinimumReplicas({
    subject: `deployment ${formatName(subject)}`,
    replicas,
    defaulted: false,
    minimum: policy.minReplicas,
    viaScale: true,
  });
  if (violation) return oldReplicas === replicas ? tolerate(subject, replicas, policy) : deny(subject, violation);
  if (oldReplicas === undefined || oldReplicas === replicas) return allow([]);
  return allow([{ ...subject, type: 'changed', changes: [`replicas ${oldReplicas} -> ${replicas}`] }]);
}

function allow(notifications: Notification[]): Decision {
  return { allowed: true, warnings: [], notifications, outcome: 'allowed' };
}

function deny(subject: NotificationSubject, violation: ReplicaViolation): Decision {
  const blocked: Notification = { ...subject, type: 'blocked', reason: violation.reason, fix: violation.fix };
  return { allowed: false, message: violation.message, warnings: [], notifications: [blocked], outcome: 'denied' };
}

// An object that already breaks the rule, touched without changing its spec (labels,
// finalizers, a GitOps re-apply): denying would wedge controllers and text ops every
// sync. Allow it, and tell whoever sent it.
function tolerate(subject: NotificationSubject, replicas: number, policy: Policy): Decision {
  const warning = `deployment ${formatName(subject)} has ${countReplicas(replicas)}, below the minimum of ${policy.minReplicas}; spec changes will be denied`;
  return { allowed: true, warnings: [warning], notifications: [], outcome: 'warned' };
}

function describeSubject(
  request: AdmissionRequest,
  object: Deployment | Scale,
  context: DecisionContext,
  subResource: 'scale' | undefined,
): NotificationSubject {
  const metadata = object.metadata;
  const name =
    request.name || metadata?.name || (metadata?.generateName ? `${metadata.generateName}(generated)` : '(unnamed)');
  return {
    cluster: context.cluster,
    kind: 'Deployment',
    namespace: request.namespace ?? '',
    name,
    operation: request.operation === 'CREATE' ? 'CREATE' : 'UPDATE',
    subResource,
    user: request.userInfo?.username || '(unknown user)',
    uid: request.uid,
    at: context.now.toISOString(),
  };
}

function formatName(subject: NotificationSubject): string {
  return subject.namespace ? `${subject.namespace}/${subject.name}` : subject.name;
}
