// What rules read from a pod spec, typed: every container with its security context
// and resources, the volumes, the pod's security context and host namespaces.
//
// These fields are read leniently: a value of the wrong type reads as unset, which is
// how the rules have always treated it (`privileged: "true"` is not `true`). The API
// server has checked their types before a webhook sees the object; a manifest given
// to the CLI has not, and a stray value there should not turn a check into an error.
import type { Container, PodSpec } from './workload-schema.js';

/** A resource quantity (`100m`, `128Mi`, 2). */
export type Quantity = string | number;

/**
 * Resource name -> quantity. null when the name is set to something that is not a
 * quantity (a manifest's `cpu:` with no value): still set, as the API server would store it.
 */
export type ResourceList = Readonly<Record<string, Quantity | null>>;

export type ContainerType = 'init' | 'regular' | 'ephemeral';

export interface ContainerView {
  readonly type: ContainerType;
  readonly name: string;
  readonly image: string | undefined;
  readonly securityContext: {
    readonly privileged: boolean | undefined;
    readonly runAsNonRoot: boolean | undefined;
  };
  readonly resources: { readonly requests: ResourceList; readonly limits: ResourceList };
}

export interface VolumeView {
  readonly name: string;
  readonly hostPath: boolean;
}

export interface HostNamespaces {
  readonly hostPID: boolean;
  readonly hostIPC: boolean;
  readonly hostNetwork: boolean;
}

export interface PodSpecView {
  /** Init, then regular, then ephemeral containers. */
  readonly containers: readonly ContainerView[];
  readonly volumes: readonly VolumeView[];
  readonly securityContext: { readonly runAsNonRoot: boolean | undefined };
  readonly hostNamespaces: HostNamespaces;
}

// Every reader below is lenient: a value of the wrong type reads as unset. Plain type
// checks rather than zod: this runs for every container of every review, and a failed
// zod parse builds an error only to be caught (npm run bench: 20 containers).

/** An object's own field, or undefined when `value` is not a plain object. */
function fieldOf(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined;
}

function readFlag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function readResourceList(value: unknown): ResourceList {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const entries = Object.entries(value).map(([name, amount]): [string, Quantity | null] => [
    name,
    typeof amount === 'string' || typeof amount === 'number' ? amount : null,
  ]);
  return Object.fromEntries(entries);
}

function readVolumes(value: unknown): VolumeView[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): VolumeView[] => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    // A volume always has a name, so String() only matters for an invalid manifest.
    return [{ name: String(fieldOf(item, 'name')), hostPath: fieldOf(item, 'hostPath') !== undefined }];
  });
}

export function viewPodSpec(spec: PodSpec): PodSpecView {
  return {
    containers: [
      ...viewContainers(spec.initContainers, 'init'),
      ...viewContainers(spec.containers, 'regular'),
      ...viewContainers(spec.ephemeralContainers, 'ephemeral'),
    ],
    volumes: readVolumes(fieldOf(spec, 'volumes')),
    securityContext: { runAsNonRoot: readFlag(fieldOf(fieldOf(spec, 'securityContext'), 'runAsNonRoot')) },
    hostNamespaces: {
      hostPID: fieldOf(spec, 'hostPID') === true,
      hostIPC: fieldOf(spec, 'hostIPC') === true,
      hostNetwork: fieldOf(spec, 'hostNetwork') === true,
    },
  };
}

function viewContainers(containers: readonly Container[] | null | undefined, type: ContainerType): ContainerView[] {
  return (containers ?? []).map((container) => {
    const securityContext = fieldOf(container, 'securityContext');
    const resources = fieldOf(container, 'resources');
    return {
      type,
      name: container.name,
      image: container.image,
      securityContext: {
        privileged: readFlag(fieldOf(securityContext, 'privileged')),
        runAsNonRoot: readFlag(fieldOf(securityContext, 'runAsNonRoot')),
      },
      resources: {
        requests: readResourceList(fieldOf(resources, 'requests')),
        limits: readResourceList(fieldOf(resources, 'limits')),
      },
    };
  });
}
