// What an AdmissionRequest is about: a workload (Deployment, StatefulSet, DaemonSet,
// ReplicaSet, Job, CronJob, Pod), the scale subresource of one, the ephemeral
// containers of a Pod (kubectl debug), any other object (Namespace, ConfigMap, ...),
// or something our policies do not look at (status and other subresources). Objects
// are parsed (workload-schema.ts), then read once into typed views (workload-view.ts).
import type { AdmissionRequest } from './admission-review.js';
import { describeIssues } from './describe-issues.js';
import { isNestedDeeperThan, maxSpecDepth } from './nesting-depth.js';
import { replicatedKinds, type WorkloadKind } from './workload-kinds.js';
import { type ObjectParts, type ObjectShape, type ParsedObject, shapes } from './workload-schema.js';
import { type ViewVia, viewWorkload, type WorkloadView } from './workload-view.js';

const resources: Readonly<Record<string, WorkloadKind>> = {
  'apps/deployments': 'Deployment',
  'apps/statefulsets': 'StatefulSet',
  'apps/daemonsets': 'DaemonSet',
  'apps/replicasets': 'ReplicaSet',
  'batch/jobs': 'Job',
  'batch/cronjobs': 'CronJob',
  '/pods': 'Pod',
};

/** A request about an object: the object itself, its scale, or a Pod's ephemeral containers. */
export interface WorkloadTarget {
  readonly type: 'workload';
  /**
   * As parsed, every field kept: what CEL rules see, and what "did the spec change"
   * compares. For a DELETE, the object being deleted (the request's oldObject).
   */
  readonly object: ParsedObject;
  /** Set for an UPDATE that carries the old object. */
  readonly oldObject: ParsedObject | undefined;
  /** The same objects, read into typed views: what built-in rules and notifications read. */
  readonly workload: WorkloadView;
  readonly oldWorkload: WorkloadView | undefined;
}

/** The thing a request is about, parsed as far as our policies need. */
export type AdmissionTarget = WorkloadTarget | { readonly type: 'other' };

export type TargetResult = { readonly value: AdmissionTarget } | { readonly error: string };

const other: TargetResult = { value: { type: 'other' } };

/**
 * Classifies a request by resource (what the webhook rules match on, and what stays
 * `apps/deployments` for a scale request whose object is an autoscaling/v1 Scale),
 * then parses its objects. Rules choose the operations they see (match.operations).
 */
export function readTarget(request: AdmissionRequest): TargetResult {
  const { resource, subResource, operation } = request;
  const workloadKind = resources[`${resource.group}/${resource.resource}`];
  const kind = workloadKind ?? request.kind.kind;
  if (operation === 'CONNECT') return readWorkload(request, kind, shapes.generic, undefined);
  if (!subResource) return readWorkload(request, kind, shapeOf(workloadKind), undefined);
  if (operation === 'DELETE') return other;
  if (subResource === 'scale' && workloadKind && replicatedKinds.includes(workloadKind)) {
    return readWorkload(request, workloadKind, shapes.scale, 'scale');
  }
  if (subResource === 'ephemeralcontainers' && workloadKind === 'Pod') {
    return readWorkload(request, workloadKind, shapes.ephemeralContainers, 'ephemeralcontainers');
  }
  return other; // status, binding, eviction, ...: nothing our policies check
}

function shapeOf(kind: WorkloadKind | undefined): ObjectShape {
  if (kind === undefined) return shapes.generic;
  return kind === 'Pod' ? shapes.pod : kind === 'CronJob' ? shapes.cronJob : shapes.templated;
}

type ObjectResult = { readonly object: ParsedObject; readonly parts: ObjectParts } | { readonly error: string };

function readWorkload(request: AdmissionRequest, kind: string, shape: ObjectShape, via: ViewVia): TargetResult {
  // A DELETE carries the object being deleted as oldObject; a CONNECT, its options.
  const object = readObject(objectOf(request), shape, objectPath(request));
  if ('error' in object) return object;
  const hasOld = request.operation === 'UPDATE' && request.oldObject != null;
  const old = hasOld ? readObject(request.oldObject, shape, 'request.oldObject') : undefined;
  if (old && 'error' in old) return old;
  const added = via === 'ephemeralcontainers' ? addedEphemeralContainers(object.parts, old?.parts) : object.parts;
  const view = (parts: ObjectParts) => viewWorkload(request, { kind, via, ...parts });
  const target: WorkloadTarget = {
    type: 'workload',
    object: object.object,
    oldObject: old?.object,
    workload: view(added),
    oldWorkload:
      old && view(via === 'ephemeralcontainers' ? addedEphemeralContainers(old.parts, old.parts) : old.parts),
  };
  return { value: target };
}

function objectOf({ operation, object, oldObject }: AdmissionRequest): unknown {
  if (operation === 'DELETE') return oldObject ?? {}; // absent from API servers before 1.15
  return operation === 'CONNECT' ? (object ?? {}) : object;
}

function objectPath(request: AdmissionRequest): string {
  return request.operation === 'DELETE' ? 'request.oldObject' : 'request.object';
}

/**
 * The ephemeral containers a request adds (Kubernetes never changes or removes one):
 * those already in the Pod were admitted, or predate the policy, and are not this
 * request's doing.
 */
function addedEphemeralContainers(parts: ObjectParts, oldParts: ObjectParts | undefined): ObjectParts {
  const spec = parts.template?.spec;
  const before = new Set((oldParts?.template?.spec?.ephemeralContainers ?? []).map((container) => container.name));
  const added = (spec?.ephemeralContainers ?? []).filter((container) => !before.has(container.name));
  return { ...parts, template: { ...parts.template, spec: { ...spec, ephemeralContainers: added } } };
}

function readObject(value: unknown, shape: ObjectShape, path: string): ObjectResult {
  const read = shape.read(value);
  if ('issues' in read) return { error: describeIssues(read.issues, path) };
  if (isNestedDeeperThan(read.object.spec, maxSpecDepth)) {
    return { error: `${path}.spec: nested deeper than ${maxSpecDepth} levels` };
  }
  // CEL rules and "did anything but metadata change" walk every field of other kinds.
  if (shape === shapes.generic && isNestedDeeperThan(read.object, maxSpecDepth + 1)) {
    return { error: `${path}: nested deeper than ${maxSpecDepth + 1} levels` };
  }
  return read;
}
