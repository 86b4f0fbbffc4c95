// The built-in checks a policy file can switch on. Each takes its options and returns
// the check; each violation says what is wrong, where, and how to fix it.
import { checkMinimumReplicas, countReplicas } from '../minimum-replicas.js';
import type { ContainerView } from '../pod-spec-view.js';
import { normalizeImage, tagOf } from './image-reference.js';
import type { RuleInput, Violation } from './rule.js';

export type Check = (input: RuleInput) => readonly Violation[];

export function minimumReplicas(minimum: number): Check {
  return ({ workload: { subject, replicas, viaScale } }) => {
    if (replicas === undefined) return [];
    const { count, defaulted } = replicas;
    const violation = checkMinimumReplicas({ subject, replicas: count, defaulted, minimum, viaScale });
    if (!violation) return [];
    const standing = `${subject} has ${countReplicas(count)}, below the minimum of ${minimum}; spec changes will be denied`;
    return [{ ...violation, standing }];
  };
}

export function requiredLabels(labels: readonly string[]): Check {
  return ({ workload: { subject, labels: present } }) => {
    const missing = labels.filter((label) => (present.get(label) ?? '') === '');
    if (missing.length === 0) return [];
    return [
      violation(
        `${subject} is missing the labels ${missing.join(', ')}. Add them under metadata.labels.`,
        `missing labels ${missing.join(', ')}`,
        'Add the labels and re-apply.',
      ),
    ];
  };
}

export function imageTag(): Check {
  return containerCheck((container, subject) => {
    const image = container.image ?? '';
    if (image.includes('@sha256:')) return undefined;
    const tag = tagOf(image);
    if (tag === undefined)
      return violation(
        `${subject}: container ${container.name} uses ${image || 'no image'} without a tag. Pin a version tag or a digest.`,
        `${container.name} image has no tag`,
        'Pin a version tag or digest.',
      );
    if (tag === 'latest')
      return violation(
        `${subject}: container ${container.name} uses the tag latest (${image}). Pin a version tag or a digest.`,
        `${container.name} uses :latest`,
        'Pin a version tag or digest.',
      );
    return undefined;
  });
}

export function allowedRegistries(registries: readonly string[]): Check {
  return containerCheck((container, subject) => {
    const image = normalizeImage(container.image ?? '');
    if (registries.some((registry) => image.startsWith(registry))) return undefined;
    return violation(
      `${subject}: container ${container.name} pulls ${container.image ?? 'no image'}, which is not from an allowed registry (${registries.join(', ')}).`,
      `${container.name} image from a registry not allowed`,
      `Use an image from ${registries.join(', ')}.`,
    );
  });
}

export function resources(requests: readonly string[], limits: readonly string[]): Check {
  return containerCheck((container, subject) => {
    const declared = container.resources;
    const missing = [
      ...requests.filter((name) => declared.requests[name] === undefined).map((name) => `requests.${name}`),
      ...limits.filter((name) => declared.limits[name] === undefined).map((name) => `limits.${name}`),
    ];
    if (missing.length === 0) return undefined;
    return violation(
      `${subject}: container ${container.name} sets no resources ${missing.join(', ')}. Set them under resources.`,
      `${container.name} lacks ${missing.join(', ')}`,
      'Set resource requests and limits.',
    );
  });
}

export function noPrivileged(): Check {
  return containerCheck((container, subject) => {
    return container.securityContext.privileged === true
      ? violation(
          `${subject}: container ${container.name} is privileged. Remove securityContext.privileged.`,
          `${container.name} is privileged`,
          'Remove privileged: true.',
        )
      : undefined;
  });
}

export function noHostNamespaces(): Check {
  return ({ workload: { subject, podSpec } }) => {
    const shared = (['hostPID', 'hostIPC', 'hostNetwork'] as const).filter(
      (field) => podSpec?.hostNamespaces[field] === true,
    );
    if (shared.length === 0) return [];
    return [
      violation(
        `${subject} shares the host's namespaces (${shared.join(', ')}). Remove them from the pod spec.`,
        `uses ${shared.join(', ')}`,
        `Remove ${shared.join(', ')}.`,
      ),
    ];
  };
}

export function noHostPath(): Check {
  return ({ workload: { subject, podSpec } }) => {
    const hostPaths = (podSpec?.volumes ?? []).filter((volume) => volume.hostPath).map((volume) => volume.name);
    if (hostPaths.length === 0) return [];
    return [
      violation(
        `${subject} mounts hostPath volumes (${hostPaths.join(', ')}). Use a PersistentVolumeClaim, emptyDir or ConfigMap instead.`,
        `hostPath volumes ${hostPaths.join(', ')}`,
        'Remove the hostPath volumes.',
      ),
    ];
  };
}

export function runAsNonRoot(): Check {
  return ({ workload: { subject, podSpec } }) => {
    if (!podSpec) return [];
    const podLevel = podSpec.securityContext.runAsNonRoot;
    const offenders = podSpec.containers.filter((container) => {
      const own = container.securityContext.runAsNonRoot;
      return own === false || (own !== true && podLevel !== true);
    });
    if (offenders.length === 0) return [];
    const names = offenders.map((container) => container.name).join(', ');
    return [
      violation(
        `${subject}: containers ${names} may run as root. Set securityContext.runAsNonRoot: true on the pod or on each container.`,
        `${names} may run as root`,
        'Set runAsNonRoot: true.',
      ),
    ];
  };
}

/** A check of each container: init, regular and ephemeral. */
function containerCheck(check: (container: ContainerView, subject: string) => Violation | undefined): Check {
  return ({ workload: { subject, podSpec } }) =>
    (podSpec?.containers ?? []).flatMap((container) => check(container, subject) ?? []);
}

function violation(message: string, reason: string, fix: string): Violation {
  return { message, reason, fix };
}
