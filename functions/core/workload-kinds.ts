// The kinds of workload our policies look at, and which of them Kubernetes gives
// replicas (and a scale subresource). Rules may also name any other kind (Namespace,
// ConfigMap, a custom resource's): those have no pod spec, so only rules that read
// labels or the whole object (required-labels, CEL) apply to them.

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

/** Kinds whose spec.replicas Kubernetes defaults to 1; the scale subresource exists for these. */
export const replicatedKinds: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/** A kind as Kubernetes names it: `Deployment`, `Namespace`, `VirtualService`. */
export const kindPattern = /^[A-Z][A-Za-z0-9]{0,62}$/;

/** In a rule's match.kinds: every kind. */
export const anyKind = '*';

/** True for the kinds that carry a pod spec (a template, or their own). */
export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return workloadKinds.some((workloadKind) => workloadKind === kind);
}
