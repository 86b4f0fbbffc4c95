// Which of a policy's rules look at a request: those whose operations, kinds,
// namespaces and selectors match it. A scale request changes only the replica count,
// so only rules about replica counts see it; an ephemeralcontainers request (kubectl
// debug) only adds containers, so only rules about containers see it. A rule that
// selects on the namespace's labels when the request came without them cannot be
// decided: it is set apart, to answer per its failurePolicy.
import type { Operation } from './admission-review.js';
import type { Policy } from './policy.js';
import type { CompiledRule } from './rules/rule.js';
import { namespaceMatches, operationMatches, ruleMatches } from './rules/rule-match.js';
import type { WorkloadView } from './workload-view.js';

export interface ChosenRules {
  readonly rules: readonly CompiledRule[];
  /** Rules with failurePolicy Fail that needed the namespace's labels, which were not supplied. */
  readonly undecided: readonly CompiledRule[];
}

export function chooseRules(
  policy: Policy,
  operation: Operation,
  workload: WorkloadView,
  oldWorkload: WorkloadView | undefined,
  namespaceObject: unknown,
): ChosenRules {
  // A namespaceSelector does not apply to cluster-scoped objects other than Namespaces.
  const clusterScoped = workload.namespace === '' && workload.kind !== 'Namespace';
  const namespaceLabels = labelsOfNamespace(workload, namespaceObject);
  const rules: CompiledRule[] = [];
  const undecided: CompiledRule[] = [];
  for (const rule of policy.rules) {
    if (!seesRequest(rule, workload) || !operationMatches(rule.match, operation)) continue;
    if (!ruleMatches(rule.match, workload.kind, workload.namespace, workload.labels, oldWorkload?.labels)) continue;
    const inNamespace = clusterScoped || namespaceMatches(rule.match, namespaceLabels);
    if (inNamespace === true) rules.push(rule);
    else if (inNamespace === 'unknown' && (rule.failurePolicy ?? 'Fail') === 'Fail') undecided.push(rule);
  }
  return { rules, undecided };
}

function seesRequest(rule: CompiledRule, workload: WorkloadView): boolean {
  if (workload.via === 'scale') return rule.checksScale;
  if (workload.via === 'ephemeralcontainers') return rule.checksEphemeralContainers === true;
  return true;
}

const noLabels: ReadonlyMap<string, string> = new Map();

/**
 * The labels a namespaceSelector looks at: a Namespace's own (as in a
 * ValidatingAdmissionPolicy), else those of `namespaceObject`, the Namespace the
 * caller looked up, when it is the object's namespace. Undefined when they are unknown.
 */
function labelsOfNamespace(workload: WorkloadView, namespaceObject: unknown): ReadonlyMap<string, string> | undefined {
  if (workload.kind === 'Namespace') return workload.labels;
  const metadata = fieldOf(namespaceObject, 'metadata');
  if (metadata === undefined || fieldOf(metadata, 'name') !== workload.namespace) return undefined;
  const labels = fieldOf(metadata, 'labels') ?? {};
  if (typeof labels !== 'object' || labels === null) return noLabels;
  return new Map(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function fieldOf(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined;
}
