// What rules read from a pod spec, typed: every container with its security context
// and resources, the volumes, the pod's security context and host namespaces.
//
// These fields are read leniently: a value of the wrong type reads as unset, which is
// how the rules have always treated it (`privileged: "true"` is not `true`). The API
// server has checked their types before a webhook sees the object; a manifest given
// to the CLI has not, and a stray value there should not turn a check into an error.
import { z } from 'zod';
import { lenient } from './lenient.js';
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

// Every field below is lenient, so parsing an object with these schemas cannot fail.
const flag = lenient(z.boolean());
const quantity = z.union([z.string(), z.number()]).nullable().catch(null);
const resourceList = lenient(z.record(z.string(), quantity));

const containerFields = z.object({
  securityContext: lenient(z.object({ privileged: flag, runAsNonRoot: flag })),
  resources: lenient(z.object({ requests: resourceList, limits: resourceList })),
});

// Anything in the list that is not an object is no volume; a volume always has a name,
// so String() only matters for an invalid manifest.
const volume = z
  .object({ name: z.unknown().optional(), hostPath: z.unknown().optional() })
  .transform(({ name, hostPath }): VolumeView => ({ name: String(name), hostPath: hostPath !== undefined }));

const podFields = z.object({
  securityContext: lenient(z.object({ runAsNonRoot: flag })),
  hostPID: flag,
  hostIPC: flag,
  hostNetwork: flag,
  volumes: lenient(z.array(z.unknown())),
});

export function viewPodSpec(spec: PodSpec): PodSpecView {
  const fields = podFields.parse(spec);
  return {
    containers: [
      ...viewContainers(spec.initContainers, 'init'),
      ...viewContainers(spec.containers, 'regular'),
      ...viewContainers(spec.ephemeralContainers, 'ephemeral'),
    ],
    volumes: (fields.volumes ?? []).flatMap((item) => {
      const parsed = volume.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }),
    securityContext: { runAsNonRoot: fields.securityContext?.runAsNonRoot },
    hostNamespaces: {
      hostPID: fields.hostPID === true,
      hostIPC: fields.hostIPC === true,
      hostNetwork: fields.hostNetwork === true,
    },
  };
}

function viewContainers(containers: readonly Container[] | null | undefined, type: ContainerType): ContainerView[] {
  return (containers ?? []).map((container) => {
    const { securityContext, resources } = containerFields.parse(container);
    return {
      type,
      name: container.name,
      image: container.image,
      securityContext: { privileged: securityContext?.privileged, runAsNonRoot: securityContext?.runAsNonRoot },
      resources: { requests: resources?.requests ?? {}, limits: resources?.limits ?? {} },
    };
  });
}
