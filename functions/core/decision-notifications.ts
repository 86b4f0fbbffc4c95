// The texts a verdict calls for: BLOCKED when a notifying deny rule denied the request;
// otherwise FLAGGED for each notifying warn or audit finding, and NEW or CHANGED for
// the kinds the policy announces. An object allowed only because it already broke a
// rule gets a warning for its sender and no NEW or CHANGED text. A change of the
// replica count alone made by a controller (the HPA) is not news unless the policy's
// `notifications.scale` says so: it happens every few minutes.
import type { AdmissionRequest } from './admission-review.js';
import type { ApprovalOffer } from './approval.js';
import type { DecisionContext, Finding } from './decision.js';
import { describeWorkloadChanges } from './describe-changes.js';
import type { Verdict } from './judge-findings.js';
import type { Notification, NotificationSubject } from './notification.js';
import type { NotificationPolicy } from './policy.js';
import type { WorkloadTarget } from './workload.js';
import type { WorkloadView } from './workload-view.js';

export function describeSubject(
  request: AdmissionRequest,
  workload: WorkloadView,
  context: DecisionContext,
): NotificationSubject {
  return {
    cluster: context.cluster,
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
    owner: workload.owner ? `${workload.owner.kind}/${workload.owner.name}` : undefined,
    operation: request.operation === 'CREATE' ? 'CREATE' : 'UPDATE',
    subResource: workload.viaScale ? 'scale' : undefined,
    user: request.userInfo?.username || '(unknown user)',
    uid: request.uid,
    at: context.now.toISOString(),
  };
}

export function describeNotifications(
  verdict: Verdict,
  target: WorkloadTarget,
  policy: NotificationPolicy,
  subject: NotificationSubject,
  approval?: ApprovalOffer,
): Notification[] {
  if (!verdict.allowed) return describeBlocked(verdict.denials, subject, approval);
  const flagged = verdict.flagged.map(({ rule, violation }): Notification => {
    return about(subject, { type: 'flagged', rules: [rule.name], reason: violation.reason, fix: violation.fix });
  });
  const admitted = verdict.tolerated.length === 0 ? describeAdmitted(target, policy, subject) : [];
  return [...flagged, ...admitted];
}

/** One text for all the notifying rules that denied: every rule and reason, the first fix. */
function describeBlocked(
  denials: readonly Finding[],
  subject: NotificationSubject,
  approval: ApprovalOffer | undefined,
): Notification[] {
  const notifying = denials.filter((finding) => finding.rule.notify);
  const [first] = notifying;
  if (!first) return [];
  const reason = notifying.map((finding) => finding.violation.reason).join('; ');
  const rules = [...new Set(notifying.map((finding) => finding.rule.name))];
  const offer = approval ? { approval } : {};
  return [about(subject, { type: 'blocked', rules, reason, fix: first.violation.fix, ...offer })];
}

/** "New application" and "changed application" texts for admitted requests. */
function describeAdmitted(
  { workload, oldWorkload }: WorkloadTarget,
  policy: NotificationPolicy,
  subject: NotificationSubject,
): Notification[] {
  if (!policy.kinds.some((kind) => kind === workload.kind)) return [];
  if (workload.viaScale) {
    const [before, after] = [oldWorkload?.replicas?.count ?? 0, workload.replicas?.count ?? 0];
    if (!policy.changed || !oldWorkload || before === after || !textsScale(policy, subject)) return [];
    return [about(subject, { type: 'changed', changes: [`replicas ${before} -> ${after}`] })];
  }
  if (subject.operation === 'CREATE' || !oldWorkload) {
    if (!policy.created) return [];
    const images = (workload.podSpec?.containers ?? [])
      .filter((container) => container.type === 'regular')
      .map((container) => ({ container: container.name, image: container.image ?? '' }));
    return [about(subject, { type: 'created', replicas: workload.replicas?.count ?? 1, images })];
  }
  if (!policy.changed) return [];
  const changes = describeWorkloadChanges(oldWorkload, workload);
  const replicasOnly = changes.length === 1 && changes[0]?.startsWith('replicas ');
  if (replicasOnly && !textsScale(policy, subject)) return [];
  return changes.length > 0 ? [about(subject, { type: 'changed', changes })] : [];
}

/** Whether a change of the replica count alone is texted, by `notifications.scale` and who made it. */
function textsScale(policy: NotificationPolicy, subject: NotificationSubject): boolean {
  const scale = policy.scale ?? 'human';
  return scale === 'all' || (scale === 'human' && !isController(subject.user));
}

/**
 * Controllers, not people: kube-system's service accounts (the HPA's
 * system:serviceaccount:kube-system:horizontal-pod-autoscaler, the controller
 * manager's) and the other system: identities of the control plane. Service accounts
 * of other namespaces (a GitOps tool applying a commit) speak for a person.
 */
function isController(user: string): boolean {
  if (user.startsWith('system:serviceaccount:')) return user.startsWith('system:serviceaccount:kube-system:');
  return user.startsWith('system:') && user !== 'system:admin';
}

/**
 * The subject's fields, then `fields`. Written out: on Node 20, `{ ...subject, type }`
 * (a spread and then more properties) costs some microseconds a time; this, 0.1 µs.
 */
function about<T extends object>(subject: NotificationSubject, fields: T): NotificationSubject & T {
  const { cluster, kind, namespace, name, owner, operation, subResource, user, uid, at } = subject;
  return Object.assign({ cluster, kind, namespace, name, owner, operation, subResource, user, uid, at }, fields);
}
