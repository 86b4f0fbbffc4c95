// The shape every rule has once a policy is compiled: where it applies, what it does
// when it finds something, and the check itself (pure: facts in, violations out).
import type { AdmissionRequest } from '../admission-review.js';
import type { Pattern } from '../patterns.js';
import type { WorkloadKind } from '../workload-kinds.js';
import type { WorkloadView } from '../workload-view.js';

export type RuleAction = 'deny' | 'warn' | 'audit';

/** What a rule found, in words for kubectl (`message`) and for a text (`reason`, `fix`). */
export interface Violation {
  readonly message: string;
  readonly reason: string;
  readonly fix: string;
  /** The warning for an object that already broke the rule before this request. */
  readonly standing?: string;
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values: readonly string[];
  }[];
}

export interface RuleMatch {
  readonly kinds: readonly WorkloadKind[];
  readonly includeNamespaces: readonly Pattern[];
  readonly excludeNamespaces: readonly Pattern[];
  readonly labelSelector: LabelSelector | undefined;
}

/** Everything a check may look at, for a workload or for a scale request. */
export interface RuleInput {
  /** The object, read once into a typed view: what built-in rules read. */
  readonly workload: WorkloadView;
  /** What CEL rules see, as in a ValidatingAdmissionPolicy: the request and its objects, every field kept. */
  readonly request: AdmissionRequest;
  readonly object: unknown;
  readonly oldObject: unknown;
}

export interface CompiledRule {
  readonly name: string;
  readonly action: RuleAction;
  readonly notify: boolean;
  readonly match: RuleMatch;
  /** Rules about replica counts also see scale requests. */
  readonly checksScale: boolean;
  check(input: RuleInput): readonly Violation[];
}
