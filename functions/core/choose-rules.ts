// Which of a policy's rules look at a workload: those whose kinds, namespaces and
// label selector match it. A scale request changes only the replica count, so only
// rules about replica counts see it.
import type { Policy } from './policy.js';
import type { CompiledRule } from './rules/rule.js';
import { ruleMatches } from './rules/rule-match.js';
import type { WorkloadView } from './workload-view.js';

export function chooseRules(policy: Policy, workload: WorkloadView): CompiledRule[] {
  return policy.rules.filter(
    (rule) =>
      (!workload.viaScale || rule.checksScale) &&
      ruleMatches(rule.match, workload.kind, workload.namespace, workload.labels),
  );
}
