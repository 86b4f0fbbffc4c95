// What changed between two versions of a workload, in short phrases ops can read
// on a phone: `web: nginx:1.25 -> nginx:1.27`, `replicas 3 -> 5`. An empty list means
// nothing meaningful changed (a no-op re-apply, metadata or status only), which is
// what keeps GitOps tools that re-apply every few minutes from texting anyone.
import { isDeepStrictEqual } from 'node:util';
import type { Container, PodTemplate } from './workload-schema.js';
import type { WorkloadView } from './workload-view.js';

/** The annotation `kubectl rollout restart` bumps on the pod template. */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

const maxFieldsNamed = 3;

/** Lists the meaningful changes from `before` to `after`: images, replicas, pod template. */
export function describeWorkloadChanges(before: WorkloadView, after: WorkloadView): string[] {
  const changes = describeTemplateChanges(before.template ?? {}, after.template ?? {});
  const [oldReplicas, newReplicas] = [before.replicas?.count, after.replicas?.count];
  if (oldReplicas !== newReplicas) changes.push(`replicas ${oldReplicas} -> ${newReplicas}`);
  return changes;
}

function describeTemplateChanges(before: PodTemplate, after: PodTemplate): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  const changes = [
    ...describeContainerChanges(before.spec?.containers ?? [], after.spec?.containers ?? [], ''),
    ...describeContainerChanges(before.spec?.initContainers ?? [], after.spec?.initContainers ?? [], 'init '),
    ...describeMetadataChanges(before, after),
  ];
  const otherSpecFields = changedFields(before.spec ?? {}, after.spec ?? {}, ['containers', 'initContainers']);
  if (otherSpecFields.length > 0) changes.push(`pod spec ${nameFields(otherSpecFields)} changed`);
  // Whatever is left (container order, template fields we do not name) still changed.
  if (changes.length === 0) changes.push('pod template changed');
  return changes;
}

function describeContainerChanges(before: readonly Container[], after: readonly Container[], label: string): string[] {
  const changes: string[] = [];
  const oldByName = new Map(before.map((container) => [container.name, container]));
  const newNames = new Set(after.map((container) => container.name));
  for (const container of after) {
    const old = oldByName.get(container.name);
    if (!old) {
      changes.push(`added ${label}container ${container.name} (${container.image ?? 'no image'})`);
    } else if (old.image !== container.image) {
      changes.push(`${label}${container.name}: ${old.image ?? 'no image'} -> ${container.image ?? 'no image'}`);
    } else {
      const fields = changedFields(old, container, []);
      if (fields.length > 0) changes.push(`${label}${container.name}: ${nameFields(fields)} changed`);
    }
  }
  for (const container of before) {
    if (!newNames.has(container.name)) changes.push(`removed ${label}container ${container.name}`);
  }
  return changes;
}

function describeMetadataChanges(before: PodTemplate, after: PodTemplate): string[] {
  const fields = changedFields(before.metadata ?? {}, after.metadata ?? {}, []);
  if (fields.length === 0) return [];
  const annotationsOnly = fields.length === 1 && fields[0] === 'annotations';
  const oldAnnotations = before.metadata?.annotations ?? {};
  const newAnnotations = after.metadata?.annotations ?? {};
  const restartOnly =
    annotationsOnly && changedFields(oldAnnotations, newAnnotations, []).every((key) => key === restartedAtAnnotation);
  return [restartOnly ? 'rollout restart' : `pod ${nameFields(fields)} changed`];
}

type Fields = Readonly<Record<string, unknown>>;

/** Top-level keys whose values differ between two objects, sorted, minus `ignored`. */
function changedFields(before: Fields, after: Fields, ignored: readonly string[]): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignored.includes(key) && !isDeepStrictEqual(before[key] ?? null, after[key] ?? null))
    .sort();
}

function nameFields(fields: readonly string[]): string {
  const named = fields.slice(0, maxFieldsNamed).join(', ');
  const more = fields.length - maxFieldsNamed;
  return more > 0 ? `${named} and ${more} more` : named;
}
