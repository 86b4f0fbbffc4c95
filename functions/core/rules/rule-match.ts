// Whether a rule applies to a request, and whether the request is exempt from all
// rules. Only the policy file decides either: nothing in the admitted object can
// exempt it (annotations and labels are the developer's to set).
import type { AdmissionRequest } from '../admission-review.js';
import { matchesAny } from '../patterns.js';
import type { Policy } from '../policy.js';
import type { WorkloadKind } from '../workload-kinds.js';
import type { LabelSelector, RuleMatch } from './rule.js';

export function isExempt(policy: Policy, request: AdmissionRequest, name: string): boolean {
  const namespace = request.namespace ?? '';
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

export function ruleMatches(
  match: RuleMatch,
  kind: WorkloadKind,
  namespace: string,
  labels: ReadonlyMap<string, string>,
): boolean {
  if (!match.kinds.includes(kind)) return false;
  if (!matchesAny(match.includeNamespaces, namespace) || matchesAny(match.excludeNamespaces, namespace)) return false;
  return match.labelSelector === undefined || selects(match.labelSelector, labels);
}

function selects(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
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
