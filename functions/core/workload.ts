// What an AdmissionRequest is about: a Deployment, the scale subresource of one, or
// something our policies do not look at. The object is parsed only as deep as the
// policies read it; unknown fields are kept (loose objects) so that "did the pod
// template change" compares everything, not just the fields we typed.
import { z } from 'zod';
import type { AdmissionRequest } from './admission-review.js';
import { describeIssues } from './describe-issues.js';
import { isNestedDeeperThan, maxSpecDepth } from './nesting-depth.js';

// int32, as in the Kubernetes API types.
const replicaCount = z.number().int().min(0).max(2_147_483_647);

const objectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  deletionTimestamp: z.string().nullish(),
});

const container = z.looseObject({
  name: z.string(),
  image: z.string().optional(),
});

const podTemplate = z.looseObject({
  // Record values stay unknown so that no issue path ever carries an annotation key.
  metadata: z.looseObject({ annotations: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  spec: z
    .looseObject({
      containers: z.array(container).nullish(),
      initContainers: z.array(container).nullish(),
    })
    .nullish(),
});

const deployment = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z
    .looseObject({
      // null is what a manifest's `replicas:` with no value decodes to: unset.
      replicas: replicaCount.nullish(),
      template: podTemplate.nullish(),
    })
    .nullish(),
});

const scale = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z.looseObject({ replicas: replicaCount.nullish() }).nullish(),
});

export type Deployment = Readonly<z.infer<typeof deployment>>;
export type PodTemplate = Readonly<z.infer<typeof podTemplate>>;
export type Container = Readonly<z.infer<typeof container>>;
export type Scale = Readonly<z.infer<typeof scale>>;

/** The thing a request is about, parsed as far as our policies need. */
export type AdmissionTarget =
  | { readonly type: 'deployment'; readonly object: Deployment; readonly oldObject: Deployment | undefined }
  | { readonly type: 'scale'; readonly object: Scale; readonly oldObject: Scale | undefined }
  | { readonly type: 'other' };

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
  if (resource.group !== 'apps' || resource.resource !== 'deployments') return other;
  if (!subResource) {
    const pair = readPair(request, deployment);
    return 'error' in pair ? pair : { value: { type: 'deployment', ...pair } };
  }
  if (subResource === 'scale') {
    const pair = readPair(request, scale);
    return 'error' in pair ? pair : { value: { type: 'scale', ...pair } };
  }
  return other; // status and any future subresource: nothing our policies check
}

type PairResult<T> = { readonly object: T; readonly oldObject: T | undefined } | { readonly error: string };

function readPair<T extends { spec?: unknown }>(request: AdmissionRequest, schema: z.ZodType<T>): PairResult<T> {
  const object = readObject(request.object, schema, 'request.object');
  if ('error' in object) return object;
  if (request.operation !== 'UPDATE' || request.oldObject == null) return { object: object.value, oldObject: undefined };
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
