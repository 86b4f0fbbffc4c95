// A compiled policy: the rules, who is exempt, and which changes are texted. Built by
// policy/load-policy.ts from a policy file, or by defaultPolicy() without one.
import type { Pattern } from './patterns.js';
import { minimumReplicas } from './rules/builtin-rules.js';
import type { CompiledRule } from './rules/rule.js';
import type { WorkloadKind } from './workload-kinds.js';

/** Matches a request when every list it sets matches (an empty list matches anything). */
export interface Exemption {
  readonly namespaces: readonly Pattern[];
  readonly names: readonly Pattern[];
  readonly users: readonly Pattern[];
  readonly groups: readonly Pattern[];
}

export interface NotificationPolicy {
  /** Text ops when an application is created / meaningfully changed. */
  readonly created: boolean;
  readonly changed: boolean;
  /** The kinds those texts are about; Pods come and go with every rollout. */
  readonly kinds: readonly WorkloadKind[];
  /**
   * Changes of the replica count alone: texted when a person made them (`human`, the
   * default: not the HPA or another controller), always (`all`) or never (`none`).
   */
  readonly scale?: 'human' | 'all' | 'none';
}

/** A notification route that lists approvers (approve by reply). */
export interface ApprovalRoute {
  readonly namespaces: readonly Pattern[];
  /** E.164, each once; never empty. */
  readonly approvers: readonly string[];
  /** Two-person rule: 2 when two different approvers must reply. */
  readonly required: 1 | 2;
}

export interface Policy {
  readonly rules: readonly CompiledRule[];
  readonly exemptions: readonly Exemption[];
  readonly notifications: NotificationPolicy;
  /** The routes with approvers, for denials by `approvable` rules only; none when absent. */
  readonly approvalRoutes?: readonly ApprovalRoute[];
}

const everything: Pattern = () => true;

/** Today's behaviour without a policy file: Deployments (and their scale) need `minReplicas`. */
export function defaultPolicy(minReplicas = 3): Policy {
  const policy: Policy = {
    rules: [
      {
        name: 'minimum-replicas',
        action: 'deny',
        notify: true,
        checksScale: true,
        match: {
          kinds: ['Deployment'],
          includeNamespaces: [everything],
          excludeNamespaces: [],
          labelSelector: undefined,
        },
        check: minimumReplicas(minReplicas),
      },
    ],
    exemptions: [],
    notifications: { created: true, changed: true, kinds: ['Deployment'], scale: 'human' },
  };
  return Object.freeze(policy);
}
