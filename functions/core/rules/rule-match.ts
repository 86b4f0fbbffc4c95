// Whether a rule applies to a request, and whether the request is exempt from all
// rules. Only the policy file decides either: nothing in the admitted object can
// exempt it (annotations and labels are the developer's to set).
import type { AdmissionRequest, Operation } from '../admission-review.js';
import { matchesAny } from '../patterns.js';
import type { Policy } from '../policy.js';
import { anyKind } from '../workload-kinds.js';
import { defaultOperations, type LabelSelector, type RuleMatch } from './rule.js';

export function isExempt(policy: Policy, request: AdmissionRequest, name: string, namespace: string): boolean {
  const user = request.userInfo?.username ?? '';
  const groups = request.userInfo?.groups ?? [];
  return policy.exemptions.some(
    (exemption) =>
      (exemption.namespaces.length === 0 || matchesAny(exemption.namespaces, namespace)) &&
      (exemption.names.length === 0 || matchesAny(exemption.names, name)) &&
      (exemption.users.length === 0 || matchesAny(exemption.users, user)) &&
      (exemption.groups.length === 0 || groups.some((group) => matchesAny(exemption.groups, group))),
  );
}

/** Kind, namespace name and object labels; operations and the namespace's labels are asked apart. */
export function ruleMatches(
  match: RuleMatch,
  kind: string,
  namespace: string,
  labels: ReadonlyMap<string, string>,
  oldLabels?: ReadonlyMap<string, string>,
): boolean {
  if (!match.kinds.includes(kind) && !match.kinds.includes(anyKind)) return false;
  if (!matchesAny(match.includeNamespaces, namespace) || matchesAny(match.excludeNamespaces, namespace)) return false;
  // As the API server's objectSelector: an update matches when the object selected
  // either before or after it, so removing a label cannot take an object out of a rule.
  const selector = match.labelSelector;
  return (
    selector === undefined || selects(selector, labels) || (oldLabels !== undefined && selects(selector, oldLabels))
  );
}

export function operationMatches(match: RuleMatch, operation: Operation): boolean {
  return (match.operations ?? defaultOperations).includes(operation);
}

/**
 * The namespaceSelector's answer: `unknown` when the rule selects on namespace labels
 * that the request did not come with. `labels` is undefined when they are unknown.
 */
export function namespaceMatches(
  match: RuleMatch,
  labels: ReadonlyMap<string, string> | undefined,
): boolean | 'unknown' {
  if (match.namespaceSelector === undefined) return true;
  if (labels === undefined) return 'unknown';
  return selects(match.namespaceSelector, labels);
}

export function selects(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  const exact = Object.entries(selector.matchLabels).every(([key, expected]) => labels.get(key) === expected);
  return (
    exact &&
    selector.matchExpressions.every(({ key, operator, values }) => {
      const actual = labels.get(key);
      if (operator === 'Exists') return actual !== undefined;
      if (operator === 'DoesNotExist') return actual === undefined;
      if (operator === 'In') return actual !== undefined && values.includes(actual);
      return actual === undefined || !values.includes(actual);
    })
  );
}
