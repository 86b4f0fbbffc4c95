// Targets for tests: an object as the API server sends it in a CREATE (or an UPDATE,
// given the old object; or another operation), read the way the webhook reads it.
import type { Operation } from '../../functions/core/admission-review.js';
import { type AdmissionRequest, admissionReviewSchema } from '../../functions/core/admission-review.js';
import { readTarget, type WorkloadTarget } from '../../functions/core/workload.js';
import type { WorkloadView } from '../../functions/core/workload-view.js';

const resources: Readonly<Record<string, { group: string; resource: string }>> = {
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Pod: { group: '', resource: 'pods' },
  Namespace: { group: '', resource: 'namespaces' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Service: { group: '', resource: 'services' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
};

export interface ReadOptions {
  /** Makes the request an UPDATE of this object. */
  readonly oldObject?: unknown;
  /** Makes the request one for the scale subresource; the objects are then Scales. */
  readonly scale?: boolean;
  /** Another subresource: `ephemeralcontainers`. */
  readonly subResource?: string;
  /** The request's name; empty for a generated name. Default `web`. */
  readonly name?: string;
  /** The request's namespace; default `shop`, empty for a cluster-scoped object. */
  readonly namespace?: string;
  /** Default CREATE, or UPDATE with an old object. */
  readonly operation?: Operation;
}

export interface ReadWorkload {
  readonly request: AdmissionRequest;
  readonly target: WorkloadTarget;
}

/** Reads `object` as a request for `kind` in namespace shop; throws when it does not parse. */
export function readWorkload(kind: string, object: unknown, options: ReadOptions = {}): ReadWorkload {
  const { group, resource } = resources[kind] ?? { group: 'example.com', resource: `${kind.toLowerCase()}s` };
  const subResource = options.scale ? 'scale' : options.subResource;
  const { request } = admissionReviewSchema.parse({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'read-workload',
      kind: options.scale ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : { group, version: 'v1', kind },
      resource: { group, version: 'v1', resource },
      subResource,
      name: options.name ?? 'web',
      namespace: options.namespace ?? 'shop',
      operation: options.operation ?? (options.oldObject === undefined ? 'CREATE' : 'UPDATE'),
      object,
      oldObject: options.oldObject,
    },
  });
  const target = readTarget(request);
  if ('error' in target) throw new Error(`does not parse: ${target.error}`);
  if (target.value.type !== 'workload') throw new Error(`not a request the kernel reads: ${kind}`);
  return { request, target: target.value };
}

/** The view of `object` read as a request for `kind`. */
export function viewOf(kind: string, object: unknown, options: ReadOptions = {}): WorkloadView {
  return readWorkload(kind, object, options).target.workload;
}
