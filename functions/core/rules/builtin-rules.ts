// The built-in checks a policy file can switch on. Each takes its options and returns
// the check; each violation says what is wrong, where, and how to fix it. The checks
// of each container live in container-rules.ts.
import { checkMinimumReplicas, countReplicas } from '../minimum-replicas.js';
import type { RuleInput, Violation } from './rule.js';

export { allowedRegistries, imageTag, noPrivileged, resources, runAsNonRoot } from './container-rules.js';

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

function violation(message: string, reason: string, fix: string): Violation {
  return { message, reason, fix };
}
