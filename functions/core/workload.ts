// What an AdmissionRequest is about: a workload (Deployment, StatefulSet, DaemonSet,
// ReplicaSet, Job, CronJob, Pod), the scale subresource of one, or something our
// policies do not look at. Objects are parsed only as deep as the policies read them;
// unknown fields are kept (loose objects) so that "did the pod template change"
// compares everything, not just the fields we typed.
import { z } from 'zod';
import type { AdmissionRequest } from './admission-review.js';
import { describeIssues } from './describe-issues.js';
import { isNestedDeeperThan, maxSpecDepth } from './nesting-depth.js';

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

/** Kinds whose spec.replicas Kubernetes defaults to 1; the scale subresource exists for these. */
export const replicatedKinds: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'ReplicaSet'];

const resources: Readonly<Record<string, WorkloadKind>> = {
  'apps/deployments': 'Deployment',
  'apps/statefulsets': 'StatefulSet',
  'apps/daemonsets': 'DaemonSet',
  'apps/replicasets': 'ReplicaSet',
  'batch/jobs': 'Job',
  'batch/cronjobs': 'CronJob',
  '/pods': 'Pod',
};

// int32, as in the Kubernetes API types.
const replicaCount = z.number().int().min(0).max(2_147_483_647);
// Record values stay unknown so that no issue path ever carries a label or annotation key.
const stringMap = z.record(z.string(), z.unknown()).nullish();

const objectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  labels: stringMap,
  deletionTimestamp: z.string().nullish(),
});

const container = z.looseObject({ name: z.string(), image: z.string().optional() });

const podSpec = z.looseObject({
  containers: z.array(container).nullish(),
  initContainers: z.array(container).nullish(),
  ephemeralContainers: z.array(container).nullish(),
});

const podTemplate = z.looseObject({
  metadata: z.looseObject({ labels: stringMap, annotations: stringMap }).nullish(),
  spec: podSpec.nullish(),
});

const templated = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z
    .looseObject({
      // null is what a manifest's `replicas:` with no value decodes to: unset.
      replicas: replicaCount.nullish(),
      template: podTemplate.nullish(),
    })
    .nullish(),
});

const cronJob = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z
    .looseObject({
      jobTemplate: z.looseObject({ spec: z.looseObject({ template: podTemplate.nullish() }).nullish() }).nullish(),
    })
    .nullish(),
});

const pod = z.looseObject({ metadata: objectMeta.nullish(), spec: podSpec.nullish() });

const scale = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z.looseObject({ replicas: replicaCount.nullish() }).nullish(),
});

export type Workload =
  | Readonly<z.infer<typeof templated>>
  | Readonly<z.infer<typeof cronJob>>
  | Readonly<z.infer<typeof pod>>;
export type Deployment = Readonly<z.infer<typeof templated>>;
export type PodTemplate = Readonly<z.infer<typeof podTemplate>>;
export type PodSpec = Readonly<z.infer<typeof podSpec>>;
export type Container = Readonly<z.infer<typeof container>>;
export type Scale = Readonly<z.infer<typeof scale>>;

/** The thing a request is about, parsed as far as our policies need. */
export type AdmissionTarget =
  | {
      readonly type: 'workload';
      readonly kind: WorkloadKind;
      readonly object: Workload;
      readonly oldObject: Workload | undefined;
    }
  | {
      readonly type: 'scale';
      readonly kind: WorkloadKind;
      readonly object: Scale;
      readonly oldObject: Scale | undefined;
    }
  | { readonly type: 'other' };

export type TargetResult = { readonly value: AdmissionTarget } | { readonly error: string };

const other: TargetResult = { value: { type: 'other' } };

/** The pod template of a workload, wherever its kind keeps it (a Pod is its own). */
export function podTemplateOf(kind: WorkloadKind, object: Workload): PodTemplate {
  if (kind === 'Pod') return { metadata: object.metadata ?? {}, spec: (object as z.infer<typeof pod>).spec ?? {} };
  if (kind === 'CronJob') return (object as z.infer<typeof cronJob>).spec?.jobTemplate?.spec?.template ?? {};
  return (object as Deployment).spec?.template ?? {};
}

/** spec.replicas as Kubernetes defaults it (1), or undefined for kinds without replicas. */
export function replicasOf(kind: WorkloadKind, object: Workload): number | undefined {
  return replicatedKinds.includes(kind) ? ((object as Deployment).spec?.replicas ?? 1) : undefined;
}

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
    const schema = kind === 'Pod' ? pod : kind === 'CronJob' ? cronJob : templated;
    const pair = readPair<Workload>(request, schema as z.ZodType<Workload>);
    return 'error' in pair ? pair : { value: { type: 'workload', kind, ...pair } };
  }
  if (subResource === 'scale' && replicatedKinds.includes(kind)) {
    const pair = readPair(request, scale);
    return 'error' in pair ? pair : { value: { type: 'scale', kind, ...pair } };
  }
  return other; // status, ephemeralcontainers, binding, ...: nothing our policies check
}

type PairResult<T> = { readonly object: T; readonly oldObject: T | undefined } | { readonly error: string };

function readPair<T extends { spec?: unknown }>(request: AdmissionRequest, schema: z.ZodType<T>): PairResult<T> {
  const object = readObject(request.object, schema, 'request.object');
  if ('error' in object) return object;
  if (request.operation !== 'UPDATE' || request.oldObject == null)
    return { object: object.value, oldObject: undefined };
  const oldObject = readObject(request.oldObject, schema, 'request.oldObject');
  if ('error' in oldObject) return oldObject;
  return { object: object.value, oldObject: oldObject.value };
}

function readObject<T extends { spec?: unknown }>(
  value: unknown,
  schema: z.ZodType<T>,
  path: string,
): { readonly value: T } | { readonly error: string } {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { error: describeIssues(parsed.error, path) };
  if (isNestedDeeperThan(parsed.data.spec, maxSpecDepth)) {
    return { error: `${path}.spec: nested deeper than ${maxSpecDepth} levels` };
  }
  return { value: parsed.data };
}
