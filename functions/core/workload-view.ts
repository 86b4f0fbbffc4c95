// The object a request is about, read once into a typed view: what it is called,
// its labels and owner, its replicas as Kubernetes counts them, and its pod spec
// (for workload kinds; other kinds have only the metadata part).
// Built once for the object (and once for the old object); every rule, the change
// description and the notifications read this, never the object by kind.
import { z } from 'zod';
import type { AdmissionRequest } from './admission-review.js';
import { lenient } from './lenient.js';
import { type PodSpecView, viewPodSpec } from './pod-spec-view.js';
import { replicatedKinds } from './workload-kinds.js';
import type { ObjectMeta, ObjectParts, PodTemplate } from './workload-schema.js';

export interface ReplicaCount {
  readonly count: number;
  /** True when the count is Kubernetes' default: no spec.replicas in the object. */
  readonly defaulted: boolean;
}

/** The controller among metadata.ownerReferences: a Pod's ReplicaSet, a Job's CronJob. */
export interface Owner {
  readonly kind: string;
  readonly name: string;
}

/** The subresource a request is for, when it is one the kernel reads. */
export type ViewVia = 'scale' | 'ephemeralcontainers' | undefined;

export interface WorkloadView {
  /** A workload kind, or any other kind by name (`Namespace`, `ConfigMap`). */
  readonly kind: string;
  /** True for the scale subresource of `kind`: a Scale, with replicas and no pod template. */
  readonly viaScale: boolean;
  /** The subresource: `scale`, or `ephemeralcontainers` (the pod spec then holds only the containers added). */
  readonly via: ViewVia;
  /** The request's name, else metadata.name, else `<generateName>(generated)`, else `(unnamed)`. */
  readonly name: string;
  /** The request's namespace; empty when it has none. */
  readonly namespace: string;
  /** `deployment shop/web`, as messages name the object. */
  readonly subject: string;
  /** metadata.labels with string values, the only kind Kubernetes allows. */
  readonly labels: ReadonlyMap<string, string>;
  readonly owner: Owner | undefined;
  /** metadata.deletionTimestamp is set: the object is being deleted. */
  readonly deletionStarted: boolean;
  /** Undefined for kinds without replicas; for a Scale, the requested count. */
  readonly replicas: ReplicaCount | undefined;
  /** As parsed, every field kept, for describing changes. Undefined for a Scale and other kinds. */
  readonly template: PodTemplate | undefined;
  /** What rules read from the pod spec, typed. Undefined for a Scale and other kinds. */
  readonly podSpec: PodSpecView | undefined;
}

/** What the view is made from: the request's kind, and the parts of one parsed object. */
export interface ViewSource extends ObjectParts {
  readonly kind: string;
  readonly via: ViewVia;
}

const ownerReference = z.object({ kind: z.string(), name: z.string(), controller: z.boolean().optional() });
const ownerReferences = lenient(z.array(z.unknown()));

export function viewWorkload(request: AdmissionRequest, source: ViewSource): WorkloadView {
  const { kind, via, metadata, template } = source;
  const name = describeName(request, metadata);
  // A Namespace is in itself: namespace patterns and namespaceSelectors match it by its own name and labels.
  const namespace = request.namespace || (kind === 'Namespace' ? name : '');
  const place = kind === 'Namespace' || !namespace ? '' : `${namespace}/`;
  return {
    kind,
    viaScale: via === 'scale',
    via,
    name,
    namespace,
    subject: `${kind.toLowerCase()} ${place}${name}`,
    labels: readLabels(metadata),
    owner: readOwner(metadata),
    deletionStarted: (metadata?.deletionTimestamp ?? '') !== '',
    replicas: countReplicas(source),
    template,
    podSpec: template ? viewPodSpec(template.spec ?? {}) : undefined,
  };
}

function describeName(request: AdmissionRequest, metadata: ObjectMeta | null | undefined): string {
  return (
    request.name || metadata?.name || (metadata?.generateName ? `${metadata.generateName}(generated)` : '(unnamed)')
  );
}

function readLabels(metadata: ObjectMeta | null | undefined): ReadonlyMap<string, string> {
  const entries = Object.entries(metadata?.labels ?? {});
  return new Map(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function readOwner(metadata: ObjectMeta | null | undefined): Owner | undefined {
  for (const item of ownerReferences.parse(metadata?.ownerReferences) ?? []) {
    const reference = ownerReference.safeParse(item);
    if (reference.success && reference.data.controller === true) {
      return { kind: reference.data.kind, name: reference.data.name };
    }
  }
  return undefined;
}

function countReplicas({ kind, via, replicas }: ViewSource): ReplicaCount | undefined {
  // autoscaling/v1 ScaleSpec.replicas is omitempty: absent means 0.
  if (via === 'scale') return { count: replicas ?? 0, defaulted: false };
  if (!replicatedKinds.some((replicated) => replicated === kind)) return undefined;
  return { count: replicas ?? 1, defaulted: replicas == null };
}
