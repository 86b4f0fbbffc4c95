// Kinds, as the policy names them, to the resources a ValidatingAdmissionPolicy
// matches: its API group and plural resource, and whether objects of the kind live in
// a namespace. A kind not in the table (a custom resource's) is matched through every
// resource of every group, narrowed by a matchCondition on request.kind.kind.
import type { Operation } from '../../functions/core/index.js';

interface KindResource {
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

const kindResources: Readonly<Record<string, KindResource>> = {
  Pod: { group: '', resource: 'pods', namespaced: true },
  Deployment: { group: 'apps', resource: 'deployments', namespaced: true },
  StatefulSet: { group: 'apps', resource: 'statefulsets', namespaced: true },
  DaemonSet: { group: 'apps', resource: 'daemonsets', namespaced: true },
  ReplicaSet: { group: 'apps', resource: 'replicasets', namespaced: true },
  Job: { group: 'batch', resource: 'jobs', namespaced: true },
  CronJob: { group: 'batch', resource: 'cronjobs', namespaced: true },
  Namespace: { group: '', resource: 'namespaces', namespaced: false },
  ConfigMap: { group: '', resource: 'configmaps', namespaced: true },
  Secret: { group: '', resource: 'secrets', namespaced: true },
  Service: { group: '', resource: 'services', namespaced: true },
  ServiceAccount: { group: '', resource: 'serviceaccounts', namespaced: true },
  PersistentVolumeClaim: { group: '', resource: 'persistentvolumeclaims', namespaced: true },
  PersistentVolume: { group: '', resource: 'persistentvolumes', namespaced: false },
  Node: { group: '', resource: 'nodes', namespaced: false },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses', namespaced: true },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies', namespaced: true },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespaced: false },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers', namespaced: true },
  PodDisruptionBudget: { group: 'policy', resource: 'poddisruptionbudgets', namespaced: true },
};

/** The kinds whose pod template (or own spec) the engine reads, as functions/core/workload-kinds.ts lists them. */
export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];
/** The kinds Kubernetes gives replicas and a scale subresource. */
export const replicatedKinds = ['Deployment', 'StatefulSet', 'ReplicaSet'];

export interface ResourceRule {
  readonly apiGroups: string[];
  readonly apiVersions: string[];
  readonly resources: string[];
  readonly operations: Operation[];
  readonly scope: '*';
}

export interface KindMatch {
  readonly resourceRules: ResourceRule[];
  /** A CEL condition on request.kind.kind, when a kind is not in the table. */
  readonly kindCondition: string | undefined;
  /** Whether a cluster-scoped object (other than a Namespace) may match. */
  readonly clusterScoped: boolean;
}

/**
 * `subresources` adds `<resource>/<name>` for the kinds that have it (scale for the
 * replicated kinds, ephemeralcontainers for Pods), as the engine sees those requests.
 */
export function matchKinds(
  kinds: readonly string[],
  operations: Operation[],
  subresources: { readonly scale: boolean; readonly ephemeralContainers: boolean },
): KindMatch {
  const groups = new Map<string, string[]>();
  for (const kind of kinds) {
    const known = kindResources[kind];
    if (known === undefined) continue;
    const resources = groups.get(known.group) ?? [];
    resources.push(known.resource);
    if (subresources.scale && replicatedKinds.includes(kind)) resources.push(`${known.resource}/scale`);
    if (subresources.ephemeralContainers && kind === 'Pod') resources.push('pods/ephemeralcontainers');
    groups.set(known.group, resources);
  }
  const unknown = kinds.filter((kind) => kindResources[kind] === undefined);
  const resourceRules: ResourceRule[] = [...groups.entries()].map(([group, resources]) => ({
    apiGroups: [group],
    apiVersions: ['*'],
    resources,
    operations,
    scope: '*',
  }));
  if (unknown.length > 0)
    resourceRules.push({ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations, scope: '*' });
  const named = kinds.filter((kind) => kind !== '*');
  return {
    resourceRules,
    kindCondition:
      unknown.length > 0 && !kinds.includes('*')
        ? `request.kind.kind in [${named.map((kind) => `'${kind}'`).join(', ')}]`
        : undefined,
    clusterScoped:
      unknown.length > 0 || kinds.some((kind) => kind !== 'Namespace' && kindResources[kind]?.namespaced === false),
  };
}
