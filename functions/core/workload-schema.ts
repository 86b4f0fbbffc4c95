// The objects a workload request carries, parsed only as deep as their shape needs:
// where the pod template is, and the replica count. Unknown fields are kept (loose
// objects) so that "did the spec change" and "what changed in the pod template"
// compare everything, not just the fields we typed. Each shape also says where its
// kind keeps those parts, so nothing downstream re-reads an object by kind.
import { z } from 'zod';

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

/** Deployment, StatefulSet, DaemonSet, ReplicaSet and Job: a pod template under spec. */
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

/** Any other kind: only its metadata is typed; every other field is kept for CEL rules. */
const generic = z.looseObject({ metadata: objectMeta.nullish(), spec: z.unknown().optional() });

/**
 * The object of a pods/ephemeralcontainers request: a Pod since Kubernetes 1.22, an
 * EphemeralContainers object (its list at the top level) before.
 */
const ephemeralContainers = z.looseObject({
  metadata: objectMeta.nullish(),
  ephemeralContainers: z.array(container).nullish(),
  spec: podSpec.nullish(),
});

/** autoscaling/v1 Scale, the object of a scale subresource request. */
const scale = z.looseObject({
  metadata: objectMeta.nullish(),
  spec: z.looseObject({ replicas: replicaCount.nullish() }).nullish(),
});

export type ObjectMeta = Readonly<z.infer<typeof objectMeta>>;
export type PodTemplate = Readonly<z.infer<typeof podTemplate>>;
export type PodSpec = Readonly<z.infer<typeof podSpec>>;
export type Container = Readonly<z.infer<typeof container>>;

/** Any parsed object: every field kept, `spec` typed no further than its shape needs. */
export interface ParsedObject {
  readonly spec?: unknown;
}

/** Where an object keeps what the workload view is made of. */
export interface ObjectParts {
  readonly metadata: ObjectMeta | null | undefined;
  /** Undefined for a Scale, which has none; a Pod's is its own metadata and spec. */
  readonly template: PodTemplate | undefined;
  /** spec.replicas as written (null or undefined when unset); undefined for kinds without. */
  readonly replicas: number | null | undefined;
}

export type ShapeResult =
  | { readonly object: ParsedObject; readonly parts: ObjectParts }
  | { readonly issues: z.ZodError };

/** How to read one shape of object: parse it, then find its parts. */
export interface ObjectShape {
  read(value: unknown): ShapeResult;
}

function shape<T extends ParsedObject>(schema: z.ZodType<T>, partsOf: (object: T) => ObjectParts): ObjectShape {
  return {
    read(value) {
      const parsed = schema.safeParse(value);
      return parsed.success ? { object: parsed.data, parts: partsOf(parsed.data) } : { issues: parsed.error };
    },
  };
}

export const shapes = {
  templated: shape(templated, ({ metadata, spec }) => ({
    metadata,
    template: spec?.template ?? {},
    replicas: spec?.replicas,
  })),
  cronJob: shape(cronJob, ({ metadata, spec }) => ({
    metadata,
    template: spec?.jobTemplate?.spec?.template ?? {},
    replicas: undefined,
  })),
  pod: shape(pod, ({ metadata, spec }) => ({
    metadata,
    template: { metadata: metadata ?? {}, spec: spec ?? {} },
    replicas: undefined,
  })),
  scale: shape(scale, ({ metadata, spec }) => ({ metadata, template: undefined, replicas: spec?.replicas })),
  generic: shape(generic, ({ metadata }) => ({ metadata, template: undefined, replicas: undefined })),
  // The pod's own securityContext is kept (runAsNonRoot there covers ephemeral
  // containers); workload.ts narrows the containers to those the request adds.
  ephemeralContainers: shape(ephemeralContainers, ({ metadata, ephemeralContainers: list, spec }) => ({
    metadata,
    template: {
      metadata: {},
      spec: { ephemeralContainers: list ?? spec?.ephemeralContainers ?? [], securityContext: spec?.securityContext },
    },
    replicas: undefined,
  })),
} as const;
