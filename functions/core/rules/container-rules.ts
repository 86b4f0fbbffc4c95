// The built-in checks of each container (init, regular and ephemeral): its image, its
// privileges, its resources. Each accepts exemptImages, patterns as the rest of the
// policy writes them (`mcr.microsoft.com/oss/*`), matched against the image as
// written and as the runtime reads it (`nginx:1.27` is `docker.io/library/nginx:1.27`):
// a matching container is skipped, as Kyverno's and Gatekeeper's exemptImages do.
import { matchesAny, type Pattern } from '../patterns.js';
import type { ContainerView } from '../pod-spec-view.js';
import type { Check } from './builtin-rules.js';
import { matchesImageSource, normalizeImage, parseImageReference, tagOf } from './image-reference.js';
import type { Violation } from './rule.js';

export function imageTag(exemptImages: readonly Pattern[] = []): Check {
  return containerCheck(exemptImages, (container, subject) => {
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

/** Compares the image's registry (and path, at `/` boundaries), never a prefix of its text. */
export function allowedRegistries(registries: readonly string[], exemptImages: readonly Pattern[] = []): Check {
  return containerCheck(exemptImages, (container, subject) => {
    const image = parseImageReference(container.image ?? '');
    if (registries.some((registry) => matchesImageSource(registry, image))) return undefined;
    return violation(
      `${subject}: container ${container.name} pulls ${container.image ?? 'no image'}, which is not from an allowed registry (${registries.join(', ')}).`,
      `${container.name} image from a registry not allowed`,
      `Use an image from ${registries.join(', ')}.`,
    );
  });
}

/** Ephemeral containers are left out: Kubernetes does not let them set resources. */
export function resources(
  requests: readonly string[],
  limits: readonly string[],
  exemptImages: readonly Pattern[] = [],
): Check {
  return containerCheck(exemptImages, (container, subject) => {
    if (container.type === 'ephemeral') return undefined;
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

export function noPrivileged(exemptImages: readonly Pattern[] = []): Check {
  return containerCheck(exemptImages, (container, subject) => {
    return container.securityContext.privileged === true
      ? violation(
          `${subject}: container ${container.name} is privileged. Remove securityContext.privileged.`,
          `${container.name} is privileged`,
          'Remove privileged: true.',
        )
      : undefined;
  });
}

export function runAsNonRoot(exemptImages: readonly Pattern[] = []): Check {
  return ({ workload: { subject, podSpec } }) => {
    if (!podSpec) return [];
    const podLevel = podSpec.securityContext.runAsNonRoot;
    const offenders = podSpec.containers.filter((container) => {
      const own = container.securityContext.runAsNonRoot;
      return !isExemptImage(exemptImages, container) && (own === false || (own !== true && podLevel !== true));
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

/** A check of each container not exempt by its image: init, regular and ephemeral. */
function containerCheck(
  exemptImages: readonly Pattern[],
  check: (container: ContainerView, subject: string) => Violation | undefined,
): Check {
  return ({ workload: { subject, podSpec } }) =>
    (podSpec?.containers ?? []).flatMap((container) =>
      isExemptImage(exemptImages, container) ? [] : (check(container, subject) ?? []),
    );
}

function isExemptImage(exemptImages: readonly Pattern[], container: ContainerView): boolean {
  if (exemptImages.length === 0 || container.image === undefined) return false;
  return matchesAny(exemptImages, container.image) || matchesAny(exemptImages, normalizeImage(container.image));
}

function violation(message: string, reason: string, fix: string): Violation {
  return { message, reason, fix };
}
