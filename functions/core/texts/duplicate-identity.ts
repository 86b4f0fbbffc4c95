// What makes two notifications the same news to the person reading them: the same
// cluster, namespace and owning workload, the same kind of event, and the same rule
// (for BLOCKED and FLAGGED) or the same changes (CHANGED). Not who sent the request,
// its uid or time, and not the exact object name alone: Pods of one ReplicaSet, or a
// GitOps tool re-applying a denied Deployment, are one text, not one each. A BLOCKED
// text that offers approval by reply is also told apart by the spec it would admit.
import type { Notification } from '../notification.js';

/** A stable string for the duplicate key; the shell hashes it with the recipient. */
export function describeDuplicateIdentity(notification: Notification): string {
  const { type, cluster, namespace, kind, name, owner } = notification;
  const workload = owner ?? `${kind}/${name}`;
  const content =
    type === 'blocked' || type === 'flagged'
      ? (notification.rules ?? [notification.reason])
      : type === 'changed'
        ? notification.changes
        : [];
  // Approve by reply: a changed spec is another change to approve, so its BLOCKED text
  // (and its code) goes out; the same spec re-applied stays one text.
  const approval = type === 'blocked' && notification.approval ? [notification.approval.binding.specHash] : [];
  return JSON.stringify([
    type,
    cluster ?? '',
    namespace,
    workload,
    notification.subResource ?? '',
    content,
    ...approval,
  ]);
}
