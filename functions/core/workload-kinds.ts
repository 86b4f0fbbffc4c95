// The kinds of workload our policies look at, and which of them Kubernetes gives
// replicas (and a scale subresource).

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

/** Kinds whose spec.replicas Kubernetes defaults to 1; the scale subresource exists for these. */
export const replicatedKinds: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'ReplicaSet'];
