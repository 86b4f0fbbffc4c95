// What an AdmissionRequest is about: a workload (Deployment, StatefulSet, DaemonSet,
// ReplicaSet, Job, CronJob, Pod), the scale subresource of one, or something our
// policies do not look at. A workload's objects are parsed (workload-schema.ts), then
// read once into typed views (workload-view.ts).
import type { AdmissionRequest } from './admission-review.js';
import { describeIssues } from './describe-issues.js';
import { isNestedDeeperThan, maxSpecDepth } from './nesting-depth.js';
import { replicatedKinds, type WorkloadKind } from './workload-kinds.js';
import { type ObjectParts, type ObjectShape, type ParsedObject, shapes } from './workload-schema.js';
import { viewWorkload, type WorkloadView } from './workload-view.js';

const resources: Readonly<Record<string, WorkloadKind>> = {
  'apps/deployments': 'Deployment',
  'apps/statefulsets': 'StatefulSet',
  'apps/daemonsets': 'DaemonSet',
  'apps/replicasets': 'ReplicaSet',
  'batch/jobs': 'Job',
  'batch/cronjobs': 'CronJob',
  '/pods': 'Pod',
};

/** A request about a workload: its object, or its scale. */
export interface WorkloadTarget {
  readonly type: 'workload';
  /** As parsed, every field kept: what CEL rules see, and what "did the spec change" compares. */
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
 * then parses its objects. Only CREATE and UPDATE are decided.
 */
export function readTarget(request: AdmissionRequest): TargetResult {
  const { resource, subResource, operation } = request;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return other;
  const kind = resources[`${resource.group}/${resource.resource}`];
  if (!kind) return other;
  if (!subResource) {
    const shape = kind === 'Pod' ? shapes.pod : kind === 'CronJob' ? shapes.cronJob : shapes.templated;
    return readWorkload(request, kind, shape, false);
  }
  if (subResource === 'scale' && replicatedKinds.includes(kind)) return readWorkload(request, kind, shapes.scale, true);
  return other; // status, ephemeralcontainers, binding, ...: nothing our policies check
}

type ObjectResult = { readonly object: ParsedObject; readonly parts: ObjectParts } | { readonly error: string };

function readWorkload(
  request: AdmissionRequest,
  kind: WorkloadKind,
  shape: ObjectShape,
  viaScale: boolean,
): TargetResult {
  const object = readObject(request.object, shape, 'request.object');
  if ('error' in object) return object;
  const hasOld = request.operation === 'UPDATE' && request.oldObject != null;
  const old = hasOld ? readObject(request.oldObject, shape, 'request.oldObject') : undefined;
  if (old && 'error' in old) return old;
  const view = (parts: ObjectParts) => viewWorkload(request, { kind, viaScale, ...parts });
  const target: WorkloadTarget = {
    type: 'workload',
    object: object.object,
    oldObject: old?.object,
    workload: view(object.parts),
    oldWorkload: old && view(old.parts),
  };
  return { value: target };
}

function readObject(value: unknown, shape: ObjectShape, path: string): ObjectResult {
  const read = shape.read(value);
  if ('issues' in read) return { error: describeIssues(read.issues, path) };
  if (isNestedDeeperThan(read.object.spec, maxSpecDepth)) {
    return { error: `${path}.spec: nested deeper than ${maxSpecDepth} levels` };
  }
  return read;
}
